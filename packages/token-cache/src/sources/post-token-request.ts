/**
 * One HTTP round trip to a token endpoint, bounded in time, with every failure mapped to a
 * `TokenEndpointError` whose message names the endpoint and the failure, never the secret.
 */
import { TokenEndpointError } from '../errors.js';
import { networkErrorCode } from '../network-error.js';
import type { Clock, Token } from '../token.js';
import { endpointErrorFromResponse } from './error-response.js';
import { parseTokenResponse } from './token-response.js';

/** The `fetch` signature the sources need (the global one by default; injectable for tests). */
export type FetchFunction = (input: URL | string, init: RequestInit) => Promise<Response>;

/** What to send: the sources build it; this module only moves it. */
export interface TokenRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Everything one round trip needs. */
export interface TokenRoundTrip {
  readonly endpoint: URL;
  readonly request: TokenRequest;
  readonly clientId: string;
  /** Values that must never appear in an error message (the client secret). */
  readonly secrets: readonly string[];
  readonly timeoutMs: number;
  readonly fetch: FetchFunction;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
}

/**
 * POSTs a token request and returns the parsed token.
 *
 * The request is aborted after `timeoutMs` (`ENDPOINT_TIMEOUT`) or when the caller's signal
 * fires (the signal's reason is rethrown, as `fetch` itself does). Redirects are not followed:
 * a 307/308 would replay the body, client secret included, to another URL.
 *
 * @example
 * ```ts
 * const token = await postTokenRequest({
 *   endpoint: new URL('https://tenant.auth0.com/oauth/token'),
 *   request: { headers: { 'content-type': 'application/json' }, body: '{...}' },
 *   clientId: 'abc', secrets: [secret], timeoutMs: 5_000, fetch: globalThis.fetch, clock: Date.now,
 * });
 * ```
 */
export async function postTokenRequest(trip: TokenRoundTrip): Promise<Token> {
  trip.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(trip.timeoutMs);
  const signal = trip.signal ? AbortSignal.any([trip.signal, timeout]) : timeout;
  const requestedAtMs = trip.clock();

  let status: number;
  let headers: Headers;
  let bodyText: string;
  try {
    const response = await trip.fetch(trip.endpoint, {
      method: 'POST',
      headers: { accept: 'application/json', ...trip.request.headers },
      body: trip.request.body,
      redirect: 'manual',
      signal,
    });
    status = response.status;
    headers = response.headers;
    // The body read is covered by the same signal: a server that stalls mid-body times out too.
    bodyText = await response.text();
  } catch (cause) {
    throw transportError(trip, timeout, cause);
  }

  if (status < 200 || status >= 300) {
    throw endpointErrorFromResponse(
      { status, headers, bodyText },
      { nowMs: trip.clock(), secrets: trip.secrets },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw new TokenEndpointError(
      'ENDPOINT_RESPONSE_INVALID',
      `The token endpoint ${trip.endpoint.origin} answered HTTP ${status} with a body that is not JSON`,
      { status },
    );
  }
  return parseTokenResponse(body, { requestedAtMs, clientId: trip.clientId });
}

function transportError(trip: TokenRoundTrip, timeout: AbortSignal, cause: unknown): unknown {
  if (trip.signal?.aborted) return trip.signal.reason;
  if (timeout.aborted) {
    return new TokenEndpointError(
      'ENDPOINT_TIMEOUT',
      `The token endpoint ${trip.endpoint.origin} did not answer within ${trip.timeoutMs} ms`,
      { cause },
    );
  }
  // undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND) in cause.
  const detail = networkErrorCode(cause);
  return new TokenEndpointError(
    'ENDPOINT_UNREACHABLE',
    `The token endpoint ${trip.endpoint.origin} is unreachable${detail ? ` (${detail})` : ''}`,
    { cause },
  );
}
