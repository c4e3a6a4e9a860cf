/**
 * Request counters: how many times each operation was called. Tests count upstream calls with
 * them to prove caching (e.g. "ten cold starts, one `idp.token`").
 */
import type { Counters } from './contract.js';

/**
 * Creates an in-memory counter set.
 *
 * @example
 * ```ts
 * const counters = createCounters();
 * counters.increment('ssm.GetParameter');
 * counters.get('ssm.GetParameter'); // 1
 * ```
 */
export function createCounters(): Counters & { increment(key: string, by?: number): void } {
  const values = new Map<string, number>();
  return {
    increment(key, by = 1) {
      values.set(key, (values.get(key) ?? 0) + by);
    },
    get(key) {
      return values.get(key) ?? 0;
    },
    snapshot() {
      return Object.fromEntries([...values.entries()].sort(([a], [b]) => a.localeCompare(b)));
    },
    reset() {
      values.clear();
    },
  };
}

/** The counter set the stack uses internally (the public `Counters` plus `increment`). */
export type MutableCounters = ReturnType<typeof createCounters>;
