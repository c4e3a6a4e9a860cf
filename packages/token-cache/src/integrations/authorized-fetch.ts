/**
 * `fetch` with the cache's bearer token: the one-line way to call a protected API.
 */
import { TokenUnavailableError } from '../errors.js';
import type { Token, TokenSource } from '../token.js';

/**
 * A `fetch`-shaped function.
 *
 * @example
 * ```ts
 * const apiFetch: FetchFunction = authorizedFetch(cache);
 * ```
 */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/**
 * Options of {@link authorizedFetch}.
 *
 * @example
 * ```ts
 * authorizedFetch(cache, { fetch: instrumentedFetch });
 * ```
 */
export interface AuthorizedFetchOptions {
  /** The underlying `fetch`; default the global one. */
  readonly fetch?: FetchFunction;
}

/** How many tokens known to be refused for reasons other than the token itself are remembered. */
const FUTILE_TOKENS_REMEMBERED = 16;

/**
 * Wraps `fetch` so that every request carries `Authorization: Bearer <token>` from `cache`
 * (RFC 6750 §2.1). When the API answers 401, the token may have been revoked or its client
 * rotated (RFC 6750 §3.1 `invalid_token`), so the wrapper obtains a different token
 * (`getToken({ forceRefresh: true })`) and retries the request once.
 *
 * Token-endpoint calls stay bounded, since each one may be billed:
 * - concurrent requests refused with the same token share one refresh;
 * - when another caller already replaced the refused token, the replacement is reused
 *   without a forced refresh;
 * - a token that was just obtained and is refused as well shows that the API rejects this
 *   client (wrong audience or scope), not the token: that response is returned as it is, and
 *   the cache is told (`reportRefused`), so the whole fleet backs off for the error back-off
 *   instead of minting one per cold start; meanwhile calls fail fast with the cache's
 *   `TokenUnavailableError` naming the back-off, and mint nothing.
 *
 * @example
 * ```ts
 * const apiFetch = authorizedFetch(cache);
 * const response = await apiFetch(`${API_URL}/vehicles/42/overview`);
 * ```
 */
export function authorizedFetch(
  cache: TokenSource,
  options: AuthorizedFetchOptions = {},
): FetchFunction {
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  let pendingReplacement:
    | { readonly refused: string; readonly replacement: Promise<Token> }
    | undefined;
  const futileTokens: string[] = [];

  const replacementFor = (refused: string, signal: AbortSignal): Promise<Token> => {
    if (pendingReplacement?.refused === refused) return pendingReplacement.replacement;
    const replacement = (async () => {
      const current = await cache.getToken({ signal });
      if (current.accessToken !== refused) return current;
      return cache.getToken({ forceRefresh: true, signal });
    })();
    pendingReplacement = { refused, replacement };
    // A failure is never cached: the next 401 tries again (single-flight, not memoization).
    replacement.catch(() => {
      if (pendingReplacement?.replacement === replacement) pendingReplacement = undefined;
    });
    return replacement;
  };

  const rememberFutile = (accessToken: string): void => {
    futileTokens.push(accessToken);
    if (futileTokens.length > FUTILE_TOKENS_REMEMBERED) futileTokens.shift();
  };

  return async (input, init) => {
    // One normalized request; each attempt sends a clone so that a body can be sent twice.
    const request = new Request(input, init);
    const token = await cache.getToken({ signal: request.signal });
    const first = await send(withBearer(request, token));
    if (first.status !== 401 || futileTokens.includes(token.accessToken)) return first;

    let replacement: Token;
    try {
      replacement = await replacementFor(token.accessToken, request.signal);
    } catch (error) {
      // No other token to be had (the fleet backs off after an API refused a fresh one): the
      // API's own answer says more than "no token".
      if (error instanceof TokenUnavailableError) return first;
      throw error;
    }
    if (replacement.accessToken === token.accessToken) {
      // The endpoint re-issued the very token refused (Auth0 tokens carry no `jti`: identical
      // claims within one second sign to the same JWT). Retrying cannot help, and the API
      // refuses a token as new as they come: tell the cache, as below.
      rememberFutile(token.accessToken);
      await cache.reportRefused?.(token.accessToken).catch(() => {});
      return first;
    }
    // Release the refused response's connection before retrying (undici keeps it otherwise).
    await first.body?.cancel();
    const second = await send(withBearer(request, replacement));
    if (second.status === 401) {
      rememberFutile(replacement.accessToken);
      // A different token refused too: the API refuses this configuration, not a token. Tell
      // the cache, so that the whole fleet stops minting tokens for it for a while.
      await cache.reportRefused?.(replacement.accessToken).catch(() => {});
    }
    return second;
  };
}

function withBearer(request: Request, token: Token): Request {
  const attempt = request.clone();
  attempt.headers.set('authorization', `Bearer ${token.accessToken}`);
  return attempt;
}
