/**
 * Refuses a token the endpoint issued with no more life than the cache's minimum remaining
 * life. Such a token is unusable on arrival: storing it would make every container read it,
 * refuse it and ask the endpoint again, one call per invocation.
 */
import { TokenLifetimeError } from '../errors.js';
import type { Clock, TokenSource } from '../token.js';

/**
 * Wraps the endpoint source so that a token living ≤ `minRemainingMs` is a
 * {@link TokenLifetimeError} instead of a token.
 *
 * @example
 * ```ts
 * const endpoint = requireUsableLifetime(auth0ClientCredentials({ ... }), 30_000, Date.now);
 * await endpoint.getToken(); // throws TokenLifetimeError if the token has ≤ 30 s left
 * ```
 */
export function requireUsableLifetime(
  source: TokenSource,
  minRemainingMs: number,
  clock: Clock,
): TokenSource {
  return {
    async getToken(options) {
      const token = await source.getToken(options);
      // Measured on arrival, not from expires_in: the time the request took is already spent.
      const lifetimeMs = token.expiresAt - clock();
      if (lifetimeMs <= minRemainingMs) throw new TokenLifetimeError(lifetimeMs, minRemainingMs);
      return token;
    },
  };
}
