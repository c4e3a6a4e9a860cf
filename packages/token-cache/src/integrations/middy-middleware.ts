/**
 * A middy middleware that puts the cache's access token on the Lambda context. It is a plain
 * object with a `before` hook (middy's `MiddlewareObj` shape), so the library needs no runtime
 * dependency on `@middy/core`.
 */
import { flushTokenCacheMetrics } from '../telemetry/telemetry-settings.js';
import type { TokenSource } from '../token.js';

/**
 * Options of {@link tokenCacheMiddleware}.
 *
 * @example
 * ```ts
 * tokenCacheMiddleware(cache, { contextKey: 'vwcToken', reserveMs: 1_000 });
 * ```
 */
export interface TokenCacheMiddlewareOptions<K extends string = 'accessToken'> {
  /** The context property that receives the access token; default `accessToken`. */
  readonly contextKey?: K;
  /**
   * Time kept back from the invocation's remaining time (`context.getRemainingTimeInMillis()`)
   * when waiting for a token, so a slow refresh fails with a typed error the handler can report
   * instead of the function timing out; default 500 ms. `false` disables the limit.
   */
  readonly reserveMs?: number | false;
  /**
   * Publish the cache's buffered EMF metrics after the handler (and on error) with
   * `flushTokenCacheMetrics()`; default `true`. Leave it on unless your own `logMetrics`
   * middleware flushes the `Metrics` instance you gave the telemetry.
   */
  readonly flushMetrics?: boolean;
}

/**
 * The context a handler sees behind the middleware: the token under `contextKey`.
 *
 * @example
 * ```ts
 * const handler = async (event: unknown, context: Context & TokenCacheContext) => context.accessToken;
 * ```
 */
export type TokenCacheContext<K extends string = 'accessToken'> = { [P in K]: string };

/**
 * The part of middy's request object the middleware uses.
 *
 * @example
 * ```ts
 * await tokenCacheMiddleware(cache).before({ context: lambdaContext } satisfies MiddyRequestLike);
 * ```
 */
export interface MiddyRequestLike {
  readonly context: object;
}

/**
 * A middy-compatible middleware object.
 *
 * @example
 * ```ts
 * const middleware: TokenCacheMiddleware = tokenCacheMiddleware(cache);
 * middy(handler).use(middleware);
 * ```
 */
export interface TokenCacheMiddleware {
  readonly before: (request: MiddyRequestLike) => Promise<void>;
  /** Resolves once the metrics are written (middy awaits it before the response). */
  readonly after?: () => Promise<void>;
  readonly onError?: () => Promise<void>;
}

const DEFAULT_RESERVE_MS = 500;

/**
 * Builds a middy middleware that fetches a token before the handler runs and stores its access
 * token on `context[contextKey]`, then publishes the cache's buffered metrics when the handler
 * is done.
 *
 * @example
 * ```ts
 * export const handler = middy(async (event, context: Context & TokenCacheContext) => {
 *   return callApi(context.accessToken);
 * }).use(tokenCacheMiddleware(cache));
 * ```
 */
export function tokenCacheMiddleware<K extends string = 'accessToken'>(
  cache: TokenSource,
  options: TokenCacheMiddlewareOptions<K> = {},
): TokenCacheMiddleware {
  const contextKey = options.contextKey ?? 'accessToken';
  const reserveMs = options.reserveMs ?? DEFAULT_RESERVE_MS;
  const before = async (request: MiddyRequestLike): Promise<void> => {
    const signal = reserveMs === false ? undefined : invocationSignal(request.context, reserveMs);
    const token = await cache.getToken(signal ? { signal } : {});
    (request.context as Record<string, unknown>)[contextKey] = token.accessToken;
  };
  if (options.flushMetrics === false) return { before };
  // Lambda may freeze the process right after the response: publish while it still runs.
  return { before, after: flushTokenCacheMetrics, onError: flushTokenCacheMetrics };
}

/** Aborts shortly before the Lambda invocation would time out, when the context says when. */
function invocationSignal(context: object, reserveMs: number): AbortSignal | undefined {
  const remaining = (context as { getRemainingTimeInMillis?: unknown }).getRemainingTimeInMillis;
  if (typeof remaining !== 'function') return undefined;
  const ms = Number(remaining.call(context)) - reserveMs;
  return Number.isFinite(ms) ? AbortSignal.timeout(Math.max(0, ms)) : undefined;
}
