/**
 * Jittered exponential backoff ("full jitter", AWS Architecture Blog, *Exponential Backoff and
 * Jitter*): random delays spread retries of many containers instead of synchronising them,
 * which matters when the whole fleet is throttled by one account-wide SSM quota.
 */

import type { Sleep } from './deadline.js';
import { StoreError } from './errors.js';
import type { Clock } from './token.js';

/** Bounds of an exponential backoff. */
export interface BackoffPolicy {
  /** Upper bound of the first delay. */
  readonly baseMs: number;
  /** Upper bound of any delay. */
  readonly capMs: number;
}

/**
 * Store throttling: start small, never wait more than half a second per try. A throttled SSM
 * request costs no quota, so a longer pause only leaves the quota idle while a waiter sleeps;
 * full jitter keeps a saturated fleet's retries spread (measured in the fleet benchmark: a 1 s
 * cap left ~5% of cold containers unread after the store's share of the deadline when 80% of
 * requests were throttled; at 0.5 s none, with no extra endpoint call in the 200-container burst).
 */
export const STORE_RETRY_BACKOFF: BackoffPolicy = { baseMs: 25, capMs: 500 };

/**
 * The delay before retry number `attempt` (0-based): uniform in [1, min(cap, base·2^attempt)].
 *
 * @example
 * ```ts
 * const ms = jitteredDelayMs(3, STORE_RETRY_BACKOFF, Math.random); // ≤ 200
 * ```
 */
export function jitteredDelayMs(attempt: number, policy: BackoffPolicy, random: () => number) {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.floor(random() * ceiling));
}

// How much longer than twice its length a pause may take on a busy event loop and still be a
// pause, not a freeze.
const FROZEN_PAUSE_SLACK_MS = 1_000;

/** What {@link retryThrottled} needs to wait. */
export interface RetryContext {
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** Never sleep past this instant (injected clock); the last error is thrown instead. */
  readonly waitUntil: number;
  readonly signal?: AbortSignal;
  /** Called before each retry of a throttled call (for the `store-throttle` event). */
  readonly onThrottle?: (attempt: number) => void;
  /**
   * Throttles already met by earlier calls of the same request (default 0): the backoff goes
   * on growing from there instead of restarting at its base, so a container that keeps meeting
   * a saturated quota keeps easing off rather than hammering it again with every call.
   */
  readonly priorThrottles?: number;
  /**
   * Never send after `waitUntil`, even from a pause that ran late (default false: only a pause
   * that looks like a freeze stops a late try): a lease holder's writes, which past its working
   * time might race a successor's.
   */
  readonly strict?: boolean;
}

/**
 * Runs a store call, retrying `StoreError`s of kind `throttled` with jittered backoff until
 * `waitUntil` (a last try lands at `waitUntil`). Other errors, and a throttle that outlasts
 * the budget, are thrown.
 *
 * @example
 * ```ts
 * const value = await retryThrottled(() => store.get('token'), { clock, sleep, random, waitUntil });
 * ```
 */
export async function retryThrottled<T>(call: () => Promise<T>, context: RetryContext): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof StoreError) || error.kind !== 'throttled') throw error;
      const remainingMs = context.waitUntil - context.clock();
      if (remainingMs <= 0 || context.signal?.aborted) throw error;
      // The last pause is cut to the budget, so the final try lands right at its end: giving up
      // early would waste the budget (and a lost write costs the fleet an endpoint call).
      const delay = Math.min(
        jitteredDelayMs(
          attempt + (context.priorThrottles ?? 0),
          STORE_RETRY_BACKOFF,
          context.random,
        ),
        remainingMs,
      );
      context.onThrottle?.(attempt + 1);
      // Cut short by the deadline: the throttle is still the reason we have nothing.
      const sleptFrom = context.clock();
      await context.sleep(delay, context.signal).catch(() => {
        throw error;
      });
      // A pause that overran its budget by far is a process frozen in between (a Lambda
      // environment between invocations): sending now would land long after the budget.
      // Strict, any pause that ended past the budget (one run late on a busy event loop too).
      const overran = context.clock() - sleptFrom > 2 * delay + FROZEN_PAUSE_SLACK_MS;
      if ((overran || context.strict === true) && context.clock() > context.waitUntil) throw error;
    }
  }
}
