/**
 * The seed's "automatic token refresh": a Lambda that EventBridge Scheduler invokes on a fixed
 * rate (infra/scheduler.tf). When the shared token's remaining life drops below a threshold it
 * obtains a new one (under the fleet's refresh lease), so user-facing invocations always find
 * a fresh token in Parameter Store and never wait for Auth0.
 */
import { ConfigError, createTokenCacheFromEnv, type EnvTokenCache } from '@token-cache/core';
import { errorFields, type HandlerLog, jsonLineLog } from './handler-log.js';

/** Environment variable: refresh when the stored token expires within this many minutes. */
export const THRESHOLD_VARIABLE = 'TOKEN_REFRESH_THRESHOLD_MINUTES';

/** Default threshold: two hours, twice the default schedule interval (`rate(1 hour)`). */
export const DEFAULT_THRESHOLD_MINUTES = 120;

const MS_PER_MINUTE = 60_000;

/** What one run did. Never contains the token. */
export interface RefreshOutcome {
  /** True when this run obtained a new token from the endpoint. */
  readonly refreshed: boolean;
  /** Why nothing was done, when nothing was. */
  readonly skipped?: string;
  /** Expiry of the token now shared, ISO 8601. */
  readonly expiresAt?: string;
  /** Its remaining life, whole minutes. */
  readonly remainingMinutes?: number;
  readonly thresholdMinutes: number;
}

/**
 * Reads the threshold from `TOKEN_REFRESH_THRESHOLD_MINUTES` (default 120).
 *
 * @example
 * ```ts
 * thresholdMinutesFromEnv({ TOKEN_REFRESH_THRESHOLD_MINUTES: '90' }); // 90
 * thresholdMinutesFromEnv({ TOKEN_REFRESH_THRESHOLD_MINUTES: 'soon' }); // throws ConfigError
 * ```
 */
export function thresholdMinutesFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[THRESHOLD_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_THRESHOLD_MINUTES;
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new ConfigError(
      THRESHOLD_VARIABLE,
      `a whole number of minutes of at least 1, got "${raw}"`,
    );
  }
  return minutes;
}

/** Whether the environment switched the shared tier off (`TOKEN_CACHE_SHARED=off`, the rollback). */
function sharedTierOff(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['off', 'false', '0'].includes(env.TOKEN_CACHE_SHARED?.trim().toLowerCase() ?? '');
}

let cache: EnvTokenCache | undefined;

/**
 * Refreshes the shared token if it expires within `thresholdMinutes` (or is missing), using
 * the container's cache built by `createTokenCacheFromEnv(env)`. With the shared tier off it
 * does nothing: a token fetched here would live only in this container's memory, costing an
 * Auth0 token for no one.
 *
 * @example
 * ```ts
 * const outcome = await refreshIfExpiringWithin(120);
 * // { refreshed: false, expiresAt: '2026-11-30T09:00:00.000Z', remainingMinutes: 1310, thresholdMinutes: 120 }
 * ```
 */
export async function refreshIfExpiringWithin(
  thresholdMinutes: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
  now: () => number = Date.now,
): Promise<RefreshOutcome> {
  if (sharedTierOff(env)) {
    return { refreshed: false, skipped: 'TOKEN_CACHE_SHARED is off', thresholdMinutes };
  }
  cache ??= createTokenCacheFromEnv(env);
  try {
    const { refreshed, token } = await cache.refresh({
      ifExpiringWithinMs: thresholdMinutes * MS_PER_MINUTE,
    });
    return {
      refreshed,
      expiresAt: new Date(token.expiresAt).toISOString(),
      remainingMinutes: Math.floor((token.expiresAt - now()) / MS_PER_MINUTE),
      thresholdMinutes,
    };
  } finally {
    // Lambda freezes the container after the return: publish this run's EMF metrics now.
    await cache.flushMetrics();
  }
}

/**
 * Builds the scheduled handler. A failed refresh is logged and rethrown, so the invocation
 * counts as an error (Lambda `Errors` metric) and Scheduler's retry policy applies; the
 * fleet keeps serving the still-usable token meanwhile.
 *
 * @example
 * ```ts
 * const run = createTokenRefresherHandler({ env: { ...process.env, TOKEN_REFRESH_THRESHOLD_MINUTES: '60' } });
 * await run({});
 * ```
 */
export function createTokenRefresherHandler(
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly log?: HandlerLog;
  } = {},
): (event: unknown) => Promise<RefreshOutcome> {
  const env = options.env ?? process.env;
  const log = options.log ?? jsonLineLog;
  return async () => {
    const thresholdMinutes = thresholdMinutesFromEnv(env);
    try {
      const outcome = await refreshIfExpiringWithin(thresholdMinutes, env);
      log({
        level: 'info',
        message: outcome.skipped
          ? 'refresh skipped'
          : outcome.refreshed
            ? 'shared token refreshed'
            : 'shared token still fresh; nothing to do',
        ...outcome,
      });
      return outcome;
    } catch (error) {
      log({
        level: 'error',
        message: 'shared token refresh failed',
        thresholdMinutes,
        ...errorFields(error),
      });
      throw error;
    }
  };
}

/**
 * The Lambda entry point (`index.handler` in the bundle).
 *
 * @example
 * ```ts
 * await handler({ source: 'vwc.token-refresher.schedule' });
 * ```
 */
export const handler = createTokenRefresherHandler();

/**
 * Forgets the container's cache so the next run rebuilds it from the environment. For tests.
 *
 * @example
 * ```ts
 * resetTokenRefresherForTests();
 * ```
 */
export function resetTokenRefresherForTests(): void {
  cache = undefined;
}
