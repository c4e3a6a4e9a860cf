/**
 * A `TokenCache` whose real cache is built on first use. Needed when the credentials (and so
 * the identity that validates stored tokens) live in Secrets Manager: reading them is I/O, and
 * a constructor cannot await. The build runs once; a failed build is not remembered, so the
 * next call tries again (design guarantee 6: a failure is never cached).
 */
import type { RefreshResult, TokenCache } from '../cache.js';
import type { GetTokenOptions, Token } from '../token.js';

/**
 * Wraps an async cache factory in a synchronous `TokenCache`.
 *
 * @example
 * ```ts
 * const cache = deferredTokenCache('default', async () => createTokenCache({ source: await loadSource(), store }));
 * await cache.getToken(); // builds, then serves
 * ```
 */
export function deferredTokenCache(name: string, build: () => Promise<TokenCache>): TokenCache {
  let built: TokenCache | undefined;
  let pending: Promise<TokenCache> | undefined;

  const cache = (): Promise<TokenCache> => {
    if (built) return Promise.resolve(built);
    if (!pending) {
      const attempt = build().then(
        (ready) => {
          built = ready;
          return ready;
        },
        (error: unknown) => {
          // Only forget the attempt that failed, not a newer one (smithy's memoize pattern).
          if (pending === attempt) pending = undefined;
          throw error;
        },
      );
      pending = attempt;
    }
    return pending;
  };

  return {
    name,
    async getToken(options?: GetTokenOptions): Promise<Token> {
      return (await cache()).getToken(options);
    },
    async refresh(options?: Parameters<TokenCache['refresh']>[0]): Promise<RefreshResult> {
      return (await cache()).refresh(options);
    },
    async clear(): Promise<void> {
      await (await cache()).clear();
    },
  };
}
