/**
 * The physical minimum: the fewest token-endpoint calls that could have served a run, whatever
 * the caching. An omniscient fleet fetches a token exactly when the first invocation needs one
 * and uses it until it becomes unusable (`expiresAt − minRemaining`), so the greedy count over
 * the invocation times is optimal: one call per token lifetime spanned.
 */

/** Inputs, all in ms on the run's time axis. */
export interface PhysicalMinimumInput {
  /** Invocation start times. */
  readonly invocationsMs: readonly number[];
  readonly tokenLifetimeMs: number;
  readonly minRemainingMs: number;
  /** A token that already exists at the start is usable until this instant (pre-seeded store). */
  readonly initialUsableUntilMs?: number;
}

/**
 * Counts the minimum endpoint calls.
 *
 * @example
 * ```ts
 * physicalMinimum({ invocationsMs: [0, 5_000, 19_000], tokenLifetimeMs: 20_000, minRemainingMs: 1_500 }); // 2
 * ```
 */
export function physicalMinimum(input: PhysicalMinimumInput): number {
  const usableLifeMs = input.tokenLifetimeMs - input.minRemainingMs;
  if (!(usableLifeMs > 0)) {
    throw new TypeError('tokenLifetimeMs must exceed minRemainingMs');
  }
  let usableUntil = input.initialUsableUntilMs ?? Number.NEGATIVE_INFINITY;
  let calls = 0;
  for (const at of [...input.invocationsMs].sort((a, b) => a - b)) {
    if (at >= usableUntil) {
      calls += 1;
      usableUntil = at + usableLifeMs;
    }
  }
  return calls;
}
