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
