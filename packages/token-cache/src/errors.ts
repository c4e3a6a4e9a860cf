/**
 * The library's errors: one base class with a `code`, and a few subclasses that carry what a
 * caller needs to react (Go's `oauth2.RetrieveError` for the endpoint). Messages never contain
 * a token or a client secret.
 */
import type { StoreErrorKind } from './events.js';

/** Every code a `TokenCacheError` can carry. */
export type TokenCacheErrorCode =
  | 'CONFIG_INVALID'
  | 'ENDPOINT_ERROR'
  | 'ENDPOINT_RESPONSE_INVALID'
  | 'ENDPOINT_TIMEOUT'
  | 'ENDPOINT_UNREACHABLE'
  | 'STORE_ERROR'
  | 'TOKEN_UNAVAILABLE'
  | 'DEADLINE_EXCEEDED';

/** Base class of every error this library throws. */
export class TokenCacheError extends Error {
  readonly code: TokenCacheErrorCode;

  constructor(code: TokenCacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
    this.code = code;
  }
}

/**
 * Configuration is missing or invalid. The message names the option or environment variable
 * and what was expected.
 *
 * @example
 * ```ts
 * throw new ConfigError('AUTH0_DOMAIN', 'a bare domain or an http(s):// URL', 'ftp://x');
 * ```
 */
export class ConfigError extends TokenCacheError {
  /** The option or environment variable at fault. */
  readonly variable: string;

  constructor(variable: string, expected: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', `${variable} must be ${expected}`, options);
    this.variable = variable;
  }
}

/** The token endpoint answered with an error, an invalid body, or not at all. */
export class TokenEndpointError extends TokenCacheError {
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** RFC 6749 §5.2 `error`, e.g. `access_denied`, `invalid_client`. */
  readonly error?: string;
  /** RFC 6749 §5.2 `error_description`. */
  readonly errorDescription?: string;
  /** When the endpoint allows the next request (from `x-ratelimit-reset` or `Retry-After`), epoch ms. */
  readonly retryAt?: number;

  constructor(
    code: Extract<
      TokenCacheErrorCode,
      'ENDPOINT_ERROR' | 'ENDPOINT_RESPONSE_INVALID' | 'ENDPOINT_TIMEOUT' | 'ENDPOINT_UNREACHABLE'
    >,
    message: string,
    details: {
      status?: number;
      error?: string;
      errorDescription?: string;
      retryAt?: number;
      cause?: unknown;
    } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.status = details.status;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.retryAt = details.retryAt;
  }
}

/** A shared-store call failed. `kind` says how, for retries, metrics and the CLI. */
export class StoreError extends TokenCacheError {
  readonly kind: StoreErrorKind;
  /** The store operation, e.g. `GetParameter`. */
  readonly operation: string;

  constructor(
    kind: StoreErrorKind,
    operation: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('STORE_ERROR', message, options);
    this.kind = kind;
    this.operation = operation;
  }
}

/** No usable token exists anywhere: thrown by `getToken()` with the underlying cause. */
export class TokenUnavailableError extends TokenCacheError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TOKEN_UNAVAILABLE', message, options);
  }
}

/**
 * The credential secret (`AWS_SECRET_ID`) cannot be used: it is not a JSON object, or it lacks
 * keys that the environment does not supply either. Names the keys, never a value.
 *
 * @example
 * ```ts
 * if (error instanceof SecretContentError) console.error(error.missingKeys); // ['AUTH0_AUDIENCE']
 * ```
 */
export class SecretContentError extends ConfigError {
  /** The credential keys the secret should hold (and the environment does not). */
  readonly missingKeys: readonly string[];

  constructor(expected: string, missingKeys: readonly string[], options?: { cause?: unknown }) {
    super('AWS_SECRET_ID', expected, options);
    this.missingKeys = missingKeys;
  }
}

/**
 * The token endpoint issued a token that lives no longer than `TOKEN_CACHE_MIN_REMAINING_MS`:
 * unusable the moment it arrives, so it is refused before anything stores it. A configuration
 * problem (the API's token lifetime, or the setting), not a reason to ask again.
 *
 * @example
 * ```ts
 * if (error instanceof TokenLifetimeError) console.error(`${error.variable}: ${error.lifetimeMs} ms`);
 * ```
 */
export class TokenLifetimeError extends TokenEndpointError {
  /** The setting the token's lifetime must exceed. */
  readonly variable = 'TOKEN_CACHE_MIN_REMAINING_MS';
  /** The token's remaining life when it arrived, ms. */
  readonly lifetimeMs: number;
  /** The configured minimum remaining life, ms. */
  readonly minRemainingMs: number;

  constructor(lifetimeMs: number, minRemainingMs: number) {
    super(
      'ENDPOINT_RESPONSE_INVALID',
      `The token endpoint issued a token with ${lifetimeMs} ms left, no more than TOKEN_CACHE_MIN_REMAINING_MS (minRemainingMs, ${minRemainingMs} ms): it would never be usable. Lower TOKEN_CACHE_MIN_REMAINING_MS (and the refresh window) or lengthen the API's token lifetime.`,
    );
    this.lifetimeMs = lifetimeMs;
    this.minRemainingMs = minRemainingMs;
  }
}

/**
 * No usable token, because the shared store kept answering "throttled" for the whole deadline.
 * The store is busy, not down: no container calls the endpoint without the lease then, since
 * that would turn the store's quota into the user's token quota.
 */
export class StoreThrottledError extends TokenUnavailableError {}

/**
 * Whether `error` is a store's answer that a write was not taken (throttled, refused, invalid,
 * too large), as opposed to one whose fate is unknown: a 5xx, a reset connection, a timeout,
 * the caller's deadline.
 *
 * @example
 * ```ts
 * if (!storeRefused(error)) remember(sentText); // it may have landed
 * ```
 */
export function storeRefused(error: unknown): boolean {
  return (
    error instanceof StoreError &&
    ['throttled', 'access-denied', 'not-found', 'too-large', 'invalid'].includes(error.kind)
  );
}
