/**
 * What an endpoint failure means for the fleet. Waiting fixes a *transient* failure (the
 * endpoint is rate limiting, failing or unreachable); it does not fix a *configuration* failure
 * (credentials refused, no grant for the audience, an answer that is not a usable token, a
 * token the API refuses), but retrying it on every cold start would spend the user's quota
 * for nothing. Both back off fleet-wide; they differ in how long.
 */
import { StoreError, TokenCacheError, TokenEndpointError } from '../errors.js';

/** How an endpoint failure is handled. */
export type EndpointFailureKind = 'transient' | 'configuration';

/**
 * Classifies an error from the endpoint tier; `undefined` for anything that is not an endpoint
 * failure (a deadline, a bug).
 *
 * @example
 * ```ts
 * endpointFailureKind(new TokenEndpointError('ENDPOINT_ERROR', 'x', { status: 401 })); // 'configuration'
 * ```
 */
export function endpointFailureKind(error: unknown): EndpointFailureKind | undefined {
  if (!(error instanceof TokenEndpointError)) return undefined;
  if (error.code === 'ENDPOINT_RESPONSE_INVALID') return 'configuration';
  if (error.status === undefined) return 'transient';
  if (error.status === 429 || error.status >= 500) return 'transient';
  return error.status >= 400 ? 'configuration' : 'transient';
}

/**
 * A short, secret-free description of a failure, e.g. `HTTP 429 too_many_requests`.
 *
 * @example
 * ```ts
 * throw new TokenUnavailableError(`no usable token: ${describeFailure(error)}`);
 * ```
 */
export function describeFailure(error: unknown): string {
  if (error instanceof TokenEndpointError) {
    const parts = [error.status !== undefined ? `HTTP ${error.status}` : error.code, error.error];
    return parts.filter(Boolean).join(' ');
  }
  if (error instanceof StoreError) return `store ${error.kind} (${error.operation})`;
  if (error instanceof TokenCacheError) return error.code;
  if (error instanceof Error) return error.name;
  return 'unknown error';
}
