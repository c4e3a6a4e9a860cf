/**
 * Freshness of a token (design guarantee 1): *fresh* until `expiresAt − refreshWindowMs`,
 * *usable* until `expiresAt − minRemainingMs`, then *unusable*. The boundaries are half-open:
 * at exactly `expiresAt − refreshWindowMs` a token is no longer fresh, and at exactly
 * `expiresAt − minRemainingMs` it is no longer usable.
 */
import { DEFAULTS } from './defaults.js';
import { requireDuration } from './duration.js';
import { ConfigError } from './errors.js';
import type { Token } from './token.js';

// The one duration check, still importable from here.
export { requireDuration } from './duration.js';

/** The seed's 5-minute expiry buffer. */
export const DEFAULT_REFRESH_WINDOW_MS = DEFAULTS.refreshWindowMs;
/** Below this remaining life a token is never handed out: the caller needs time to use it. */
export const DEFAULT_MIN_REMAINING_MS = DEFAULTS.minRemainingMs;

/** How fresh a token is at a given instant. */
export type Freshness = 'fresh' | 'usable' | 'unusable';

/** The two durations that split a token's life. */
export interface FreshnessPolicy {
  readonly refreshWindowMs: number;
  readonly minRemainingMs: number;
}

/**
 * Classifies a token at `now` (epoch ms).
 *
 * @example
 * ```ts
 * const policy = { refreshWindowMs: 300_000, minRemainingMs: 30_000 };
 * freshnessOf({ expiresAt: 1_000_000 }, 1_000_000 - 300_001, policy); // 'fresh'
 * ```
 */
export function freshnessOf(
  token: Pick<Token, 'expiresAt'>,
  now: number,
  policy: FreshnessPolicy,
): Freshness {
  if (now < token.expiresAt - policy.refreshWindowMs) return 'fresh';
  if (now < token.expiresAt - policy.minRemainingMs) return 'usable';
  return 'unusable';
}

/**
 * Whether a token may still be handed out at `now` (fresh or usable).
 *
 * @example
 * ```ts
 * if (!isUsable(token, clock(), policy)) throw new Error('refresh first');
 * ```
 */
export function isUsable(
  token: Pick<Token, 'expiresAt'>,
  now: number,
  policy: FreshnessPolicy,
): boolean {
  return now < token.expiresAt - policy.minRemainingMs;
}

/**
 * Validates and completes a freshness policy: both durations are non-negative integers and
 * `minRemainingMs` is smaller than `refreshWindowMs` (otherwise a token would turn unusable
 * before anyone tried to refresh it).
 *
 * @example
 * ```ts
 * const policy = freshnessPolicy({ refreshWindowMs: 60_000 }); // minRemainingMs 30_000
 * ```
 */
export function freshnessPolicy(options: Partial<FreshnessPolicy> = {}): FreshnessPolicy {
  const refreshWindowMs = requireDuration(
    'refreshWindowMs',
    options.refreshWindowMs,
    DEFAULT_REFRESH_WINDOW_MS,
    1,
  );
  const minRemainingMs = requireDuration(
    'minRemainingMs',
    options.minRemainingMs,
    Math.min(DEFAULT_MIN_REMAINING_MS, Math.floor(refreshWindowMs / 2)),
  );
  if (minRemainingMs >= refreshWindowMs) {
    throw new ConfigError(
      'minRemainingMs',
      `smaller than refreshWindowMs (${refreshWindowMs}), got ${minRemainingMs}`,
    );
  }
  return { refreshWindowMs, minRemainingMs };
}
