/**
 * Monthly projections for real fleets, from the `steady` scenario's measured rates.
 *
 * Formulas (C = cold starts a month; a month = 30 lifetimes of a 24-h token):
 * - baselines (`memory-only`, `seed-two-tier`, `powertools-parameters`): a container lives 15–45 min, far less than a
 *   token, so each cold start costs what one cold start cost in `steady`:
 *   `calls = C × (endpoint calls ÷ cold starts)`, and the same for SSM reads and writes;
 * - `shared`: endpoint calls and writes follow token lifetimes, not cold starts:
 *   `calls = min(C, 30) × (endpoint calls ÷ physical minimum)` (at most one refresh per 24-h
 *   lifetime that sees any traffic), `writes = min(C, 30) × (writes ÷ physical minimum)`;
 *   reads follow cold starts: `reads = C × (SSM reads ÷ cold starts)`.
 */
import type { StrategyResult } from './summarize.js';

/** A real fleet's traffic. */
export interface MonthlyProfile {
  readonly name: string;
  readonly description: string;
  readonly coldStartsPerMonth: number;
}

/**
 * The profiles the report projects to.
 *
 * @example
 * ```ts
 * MONTHLY_PROFILES.map((profile) => profile.coldStartsPerMonth); // [100, 1000, 300000]
 * ```
 */
export const MONTHLY_PROFILES: readonly MonthlyProfile[] = [
  {
    name: 'seed-low',
    description: "the seed's estimate, low end: 100 cold starts a month",
    coldStartsPerMonth: 100,
  },
  {
    name: 'seed-high',
    description: "the seed's estimate, high end: 1,000 cold starts a month",
    coldStartsPerMonth: 1_000,
  },
  {
    name: 'busy',
    description: 'a busy fleet: 10,000 cold starts a day',
    coldStartsPerMonth: 300_000,
  },
];

/**
 * 24-h token lifetimes in a 30-day month.
 *
 * @example
 * ```ts
 * const refreshes = Math.min(coldStarts, TOKEN_LIFETIMES_PER_MONTH);
 * ```
 */
export const TOKEN_LIFETIMES_PER_MONTH = 30;

/**
 * Auth0's free plan: machine-to-machine tokens issued per month.
 *
 * @example
 * ```ts
 * const fits = calls <= AUTH0_FREE_TOKENS_PER_MONTH;
 * ```
 */
export const AUTH0_FREE_TOKENS_PER_MONTH = 1_000;

/** One strategy's projection for one profile. */
export interface MonthlyProjection {
  readonly profile: string;
  readonly strategy: string;
  readonly endpointCalls: number;
  readonly ssmReads: number;
  readonly ssmWrites: number;
  /** Whether the endpoint calls fit Auth0's free plan. */
  readonly withinAuth0FreePlan: boolean;
}

/**
 * Projects each measured strategy to each profile.
 *
 * @example
 * ```ts
 * const rows = projectMonthly(steady.strategies, steady.setup.containers);
 * ```
 */
export function projectMonthly(
  measured: readonly StrategyResult[],
  coldStartsMeasured: number,
  profiles: readonly MonthlyProfile[] = MONTHLY_PROFILES,
): MonthlyProjection[] {
  const rows: MonthlyProjection[] = [];
  for (const profile of profiles) {
    const cold = profile.coldStartsPerMonth;
    for (const strategy of measured) {
      const perColdStart = (value: number) => (cold * value) / Math.max(1, coldStartsMeasured);
      const lifetimes = Math.min(cold, TOKEN_LIFETIMES_PER_MONTH);
      const perLifetime = (value: number) =>
        (lifetimes * value) / Math.max(1, strategy.physicalMinimum);
      const followsLifetimes = strategy.name.startsWith('shared');
      const endpointCalls = Math.round(
        followsLifetimes
          ? perLifetime(strategy.endpointCalls)
          : perColdStart(strategy.endpointCalls),
      );
      rows.push({
        profile: profile.name,
        strategy: strategy.name,
        endpointCalls,
        ssmReads: Math.round(perColdStart(strategy.ssmReads)),
        ssmWrites: Math.round(
          followsLifetimes ? perLifetime(strategy.ssmWrites) : perColdStart(strategy.ssmWrites),
        ),
        withinAuth0FreePlan: endpointCalls <= AUTH0_FREE_TOKENS_PER_MONTH,
      });
    }
  }
  return rows;
}
