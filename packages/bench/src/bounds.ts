/**
 * The bounds a scenario states for the shared cache, and their check against a run. A bound
 * is computed from the scenario's own setup (its trace, the compressed timing, the stack's
 * quotas), so the report shows the number and the reason beside what each strategy did.
 */
import type { StrategyResult } from './summarize.js';

/** A number of a strategy's results that a bound limits. */
export type BoundMetric =
  | 'endpointCalls'
  | 'endpointCallsWithoutLease'
  | 'tokensIssued'
  | 'firstTokenIssuedAtMs'
  | 'containersWithoutToken'
  | 'withoutTokenWhileUsable'
  | 'rejectedByApi';

/** One bound of a scenario. */
export interface ScenarioBound {
  /** What is bounded and why, in words (with the formula). */
  readonly label: string;
  readonly metric: BoundMetric;
  /** The most the metric may be for a strategy's run (it may depend on the run's physical minimum). */
  atMost(result: StrategyResult): number;
  /** Strategies the bound is meant for (baselines are shown against it too). */
  readonly strategies: readonly string[];
}

/** A bound evaluated for each strategy of a run (the JSON's `bounds[]` entries). */
export interface BoundOutcome {
  readonly label: string;
  readonly metric: BoundMetric;
  readonly strategies: readonly string[];
  readonly results: ReadonlyArray<{
    readonly strategy: string;
    readonly actual: number;
    readonly atMost: number;
    readonly met: boolean;
  }>;
}

/**
 * Evaluates bounds against every strategy's results.
 *
 * @example
 * ```ts
 * evaluateBounds(scenarioBounds, result.strategies)[0]?.results[0]?.met;
 * ```
 */
export function evaluateBounds(
  bounds: readonly ScenarioBound[],
  strategies: readonly StrategyResult[],
): BoundOutcome[] {
  return bounds.map((bound) => ({
    label: bound.label,
    metric: bound.metric,
    strategies: bound.strategies,
    results: strategies.map((result) => {
      // No token issued at all is as late as it gets.
      const actual = result[bound.metric] ?? Number.POSITIVE_INFINITY;
      const atMost = bound.atMost(result);
      return { strategy: result.name, actual, atMost, met: actual <= atMost };
    }),
  }));
}

/** What the store's read quota allows during a burst of cold starts. */
export interface ReadQuotaBound {
  readonly readsPerSecond: number;
  /** When a read can serve a cold container: the run as it went. */
  readonly windowMs: number;
  /** readsPerSecond × window, plus one second's burst the token bucket starts with. */
  readonly reads: number;
  readonly coldStarts: number;
  /** Cold containers that cannot read the token whatever the caching: coldStarts − reads. */
  readonly containersWithoutTokenFloor: number;
}

/**
 * The read quota's bound on a burst: a cold container has nothing in memory, so it needs one
 * successful read to get the stored token (throttling never permits an endpoint call), and
 * the quota admits `readsPerSecond` reads a second after a full bucket of one second's reads.
 *
 * @example
 * ```ts
 * readQuotaBound({ readsPerSecond: 40, windowMs: 15_000, coldStarts: 1_000 });
 * // { reads: 640, containersWithoutTokenFloor: 360, ... }
 * ```
 */
export function readQuotaBound(input: {
  readonly readsPerSecond: number;
  readonly windowMs: number;
  readonly coldStarts: number;
}): ReadQuotaBound {
  const reads = Math.floor((input.readsPerSecond * input.windowMs) / 1000) + input.readsPerSecond;
  return {
    readsPerSecond: input.readsPerSecond,
    windowMs: Math.round(input.windowMs),
    reads,
    coldStarts: input.coldStarts,
    containersWithoutTokenFloor: Math.max(0, input.coldStarts - reads),
  };
}

/**
 * The floor a store that throttles each request independently puts under failed cold starts.
 * Throttling never permits an endpoint call, so a cold container whose every read in its
 * store share of the deadline is throttled has no token, whatever the caching. A retry pause is
 * at most `retryCapMs`, so it makes at least `attempts` reads; all are throttled with
 * probability `throttleRate ^ attempts`. Returns the expected number of such cold starts,
 * rounded up.
 *
 * @example
 * ```ts
 * throttledColdStartFloor({ coldStarts: 240, throttleRate: 0.8, storeShareMs: 6_667, retryCapMs: 500, latencyMs: 10 });
 * // 14 (at least 13 attempts each: 240 × 0.8^13 ≈ 13.2)
 * ```
 */
export function throttledColdStartFloor(input: {
  readonly coldStarts: number;
  readonly throttleRate: number;
  readonly storeShareMs: number;
  readonly retryCapMs: number;
  readonly latencyMs: number;
}): number {
  const attempts = Math.max(
    1,
    Math.floor(input.storeShareMs / (input.retryCapMs + input.latencyMs)),
  );
  return Math.ceil(input.coldStarts * input.throttleRate ** attempts);
}
