/**
 * A `TokenCache` whose real cache is built on first use. Needed when the credentials (and so
 * the identity that validates stored tokens) live in Secrets Manager: reading them is I/O, and
 * a constructor cannot await.
 *
 * The build is part of the first `getToken()`: it runs inside that call's deadline, and the
 * call goes on with what is left, so a cold start takes no longer than the deadline. A build
 * that failed for a transient reason (throttled, unreachable, out of time) is forgotten, so
 * the next call tries again (design guarantee 6: a failure is never cached). A configuration
 * failure (a secret that is missing, unreadable, not JSON or lacking keys) is kept for a
 * back-off: reading it again on every invocation would not fix it.
 */
import type { RefreshResult, TokenCache } from '../cache.js';
import { Deadline, realSleep, type Sleep } from '../deadline.js';
import { ConfigError } from '../errors.js';
import { type Clock, type GetTokenOptions, systemClock, type Token } from '../token.js';

/** Options of {@link deferredTokenCache}. */
export interface DeferredTokenCacheOptions {
  /** Bound on one call, the build included (the cache's `deadlineMs`). */
  readonly deadlineMs: number;
  /** How long a configuration failure of the build is answered from memory before building again. */
  readonly failureBackoffMs: number;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

/**
 * Wraps an async cache factory in a synchronous `TokenCache`. `build` gets the deadline it must
 * finish within (its signal aborts then).
 *
 * @example
 * ```ts
 * const cache = deferredTokenCache(
 *   'default',
 *   async (deadline) => createTokenCache({ source: await loadSource(deadline.signal), store }),
 *   { deadlineMs: 10_000, failureBackoffMs: 60_000 },
 * );
 * await cache.getToken(); // builds, then serves
 * ```
 */
export function deferredTokenCache(
  name: string,
  build: (deadline: Deadline) => Promise<TokenCache>,
  options: DeferredTokenCacheOptions,
): TokenCache {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  let built: TokenCache | undefined;
  let pending: { readonly promise: Promise<TokenCache>; readonly deadline: Deadline } | undefined;
  let failure: { readonly error: unknown; readonly until: number } | undefined;

  const start = (): Promise<TokenCache> => {
    if (built) return Promise.resolve(built);
    if (failure !== undefined && clock() < failure.until) return Promise.reject(failure.error);
    failure = undefined;
    // Never join a build whose deadline has passed (a container frozen mid-build and thawed).
    if (pending !== undefined && !pending.deadline.expired()) return pending.promise;
    // The build has its own deadline, not a caller's signal: one caller giving up must not
    // fail the others waiting for the same build.
    const deadline = new Deadline(clock, options.deadlineMs, { sleep });
    const settle = () => {
      deadline.dispose();
      if (pending?.deadline === deadline) pending = undefined;
    };
    const promise = build(deadline).then(
      (ready) => {
        built = ready;
        settle();
        return ready;
      },
      (error: unknown) => {
        settle();
        if (error instanceof ConfigError) {
          failure = { error, until: clock() + options.failureBackoffMs };
        }
        throw error;
      },
    );
    pending = { promise, deadline };
    return promise;
  };

  // Waits for the build within this call's deadline, then lets the cache use what is left.
  const whenBuilt = async <T>(
    signal: AbortSignal | undefined,
    use: (cache: TokenCache, signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const deadline = new Deadline(clock, options.deadlineMs, {
      sleep,
      ...(signal ? { signal } : {}),
    });
    try {
      return await use(await abortable(start(), deadline.signal), deadline.signal);
    } finally {
      deadline.dispose();
    }
  };

  return {
    name,
    getToken(getOptions?: GetTokenOptions): Promise<Token> {
      if (built) return built.getToken(getOptions);
      return whenBuilt(getOptions?.signal, (cache, signal) =>
        cache.getToken({ ...getOptions, signal }),
      );
    },
    refresh(refreshOptions?: Parameters<TokenCache['refresh']>[0]): Promise<RefreshResult> {
      if (built) return built.refresh(refreshOptions);
      return whenBuilt(refreshOptions?.signal, (cache, signal) =>
        cache.refresh({ ...refreshOptions, signal }),
      );
    },
    reportRefused(accessToken: string): Promise<void> {
      if (built) return built.reportRefused(accessToken);
      return whenBuilt(undefined, (cache) => cache.reportRefused(accessToken));
    },
    clear(): Promise<void> {
      if (built) return built.clear();
      return whenBuilt(undefined, (cache) => cache.clear());
    },
  };
}

// The build is shared; a caller whose deadline passes stops waiting, the build goes on.
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
