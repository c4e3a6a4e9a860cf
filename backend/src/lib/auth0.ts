/**
 * The seed's `getAuth0Token()` / `clearAuth0TokenCache()`, now a thin facade over the shared
 * token cache: memory, then the SSM parameter `AUTH0_TOKEN_PARAMETER_NAME` shared by every
 * container, then Auth0. Configuration comes from the environment (see the library's
 * `CONFIG.md`): credentials from the Secrets Manager secret `AWS_SECRET_ID` or from
 * `AUTH0_DOMAIN` / `AUTH0_M2M_CLIENT_ID` / `AUTH0_M2M_CLIENT_SECRET` / `AUTH0_AUDIENCE`;
 * `TOKEN_CACHE_SHARED=off` is the rollback switch to memory-only caching.
 */
import { createTokenCacheFromEnv, type EnvTokenCache } from '@token-cache/core';

/**
 * One cache per container (module scope survives between invocations of a warm Lambda).
 * Built on first use, not at import: a script or test may set the environment after importing,
 * and a configuration error then surfaces from the call that needs the token, with its
 * variable named, instead of failing the module load. A failed build is retried next call.
 */
let cache: EnvTokenCache | undefined;

function tokenCache(): EnvTokenCache {
  cache ??= createTokenCacheFromEnv(process.env);
  return cache;
}

/**
 * Returns a bearer token for the Auth0 API: from memory, else the shared SSM parameter, else
 * Auth0 (once for the whole fleet). Never returns an expired token; throws a
 * `TokenUnavailableError` (or `ConfigError`) naming the cause, never the secret.
 * `forceRefresh`: the API refused the current token (revoked, client rotated), so obtain a
 * different one.
 * `signal`: stop waiting when it aborts (with its reason), e.g. when the caller's own time
 * budget for the token is spent; the cache's own deadline (`TOKEN_CACHE_DEADLINE_MS`) still
 * applies, whichever comes first.
 *
 * @example
 * ```ts
 * const token = await getAuth0Token();
 * await fetch(url, { headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export async function getAuth0Token(options?: {
  forceRefresh?: boolean;
  signal?: AbortSignal;
}): Promise<string> {
  const current = tokenCache();
  try {
    const { forceRefresh, signal } = options ?? {};
    return (
      await current.getToken({
        ...(forceRefresh ? { forceRefresh: true } : {}),
        ...(signal ? { signal } : {}),
      })
    ).accessToken;
  } finally {
    // One EMF line per call at most: how Lambda publishes metrics without a flush middleware.
    await current.flushMetrics();
  }
}

/**
 * Empties this container's memory and the shared parameter (it gets the placeholder
 * `not-initialized`; SSM refuses empty values). Other containers keep their in-memory copy
 * until it needs refreshing.
 *
 * @example
 * ```ts
 * await clearAuth0TokenCache();
 * const fresh = await getAuth0Token(); // fetched anew
 * ```
 */
export async function clearAuth0TokenCache(): Promise<void> {
  const current = tokenCache();
  try {
    await current.clear();
  } finally {
    await current.flushMetrics();
  }
}

/**
 * Forgets the container's cache object so the next call rebuilds it from the (changed)
 * environment. For tests and scripts; a Lambda never needs it.
 *
 * @example
 * ```ts
 * process.env.TOKEN_CACHE_SHARED = 'off';
 * resetAuth0TokenCacheForTests();
 * ```
 */
export function resetAuth0TokenCacheForTests(): void {
  cache = undefined;
}
