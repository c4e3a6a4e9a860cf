/**
 * The shape both client-credentials flavours share (RFC 6749 §4.4): a `TokenSource` that knows
 * whose tokens it issues, so the cache can tell a stored token of ours from a foreign one.
 */
import { DEFAULTS } from '../defaults.js';
import { requireDuration } from '../duration.js';
import { ConfigError } from '../errors.js';
import type { Clock, GetTokenOptions, Token, TokenIdentity, TokenSource } from '../token.js';
import { type FetchFunction, postTokenRequest, type TokenRequest } from './post-token-request.js';

/** Default bound on one token request, connection to last byte. */
export const DEFAULT_ENDPOINT_TIMEOUT_MS = DEFAULTS.endpointTimeoutMs;

/**
 * A token source that calls a token endpoint on every `getToken()` (it caches nothing; the
 * cache in front of it does). The client secret lives in a closure, not on the object, so
 * logging or serializing a source cannot leak it.
 *
 * @example
 * ```ts
 * const source = auth0ClientCredentials({ domain, clientId, clientSecret, audience });
 * source.identity; // { issuer: 'https://tenant.auth0.com/', audience, clientIds: [clientId] }
 * ```
 */
export interface ClientCredentialsSource extends TokenSource {
  /** Issuer, audience and client id of the tokens this source obtains. */
  readonly identity: TokenIdentity;
  /** The token endpoint URL (no credentials in it). */
  readonly tokenEndpoint: string;
}

/** Options every flavour accepts. */
export interface ClientCredentialsCommonOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Bound on each request in ms (default 5,000). */
  readonly timeoutMs?: number;
  /** `fetch` implementation (default the global one). */
  readonly fetch?: FetchFunction;
  /** Clock used to turn `expires_in` into `expiresAt` (default `Date.now`). */
  readonly clock?: Clock;
}

/** What a flavour hands to {@link createClientCredentialsSource}. */
export interface ClientCredentialsParts {
  readonly endpoint: URL;
  readonly identity: TokenIdentity;
  readonly request: TokenRequest;
  readonly common: ClientCredentialsCommonOptions;
}

/**
 * Assembles a source from a prepared request. Used by `auth0ClientCredentials` and
 * `oauth2ClientCredentials`; exported for flavours of your own.
 *
 * @example
 * ```ts
 * const source = createClientCredentialsSource({ endpoint, identity, request, common: { clientId, clientSecret } });
 * ```
 */
export function createClientCredentialsSource(
  parts: ClientCredentialsParts,
): ClientCredentialsSource {
  const { endpoint, identity, request, common } = parts;
  const timeoutMs = common.timeoutMs ?? DEFAULT_ENDPOINT_TIMEOUT_MS;
  const fetchImpl: FetchFunction = common.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const clock: Clock = common.clock ?? Date.now;
  const secrets = [common.clientSecret];
  return {
    identity,
    tokenEndpoint: endpoint.href,
    // Every call is a new request: forceRefresh changes nothing for the last tier.
    getToken(options?: GetTokenOptions): Promise<Token> {
      return postTokenRequest({
        endpoint,
        request,
        clientId: common.clientId,
        secrets,
        timeoutMs,
        fetch: fetchImpl,
        clock,
        ...(options?.signal ? { signal: options.signal } : {}),
      });
    },
  };
}

/**
 * Checks the options both flavours share; throws `ConfigError` naming the option.
 *
 * @example
 * ```ts
 * validateCommonOptions({ clientId: '', clientSecret: 's' }); // throws: clientId must be a non-empty string
 * ```
 */
export function validateCommonOptions(options: ClientCredentialsCommonOptions): void {
  requireText(options.clientId, 'clientId');
  requireText(options.clientSecret, 'clientSecret');
  requireDuration('timeoutMs', options.timeoutMs, DEFAULT_ENDPOINT_TIMEOUT_MS, 1);
}

/**
 * Throws a `ConfigError` unless `value` is a non-empty string without surrounding whitespace.
 * The value itself is never quoted: it may be a secret.
 *
 * @example
 * ```ts
 * requireText(options.audience, 'audience');
 * ```
 */
export function requireText(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(name, 'a non-empty string');
  }
  if (value.trim() !== value) {
    throw new ConfigError(name, 'a string without leading or trailing whitespace');
  }
}
