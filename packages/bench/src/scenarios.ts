/**
 * The scenarios of `npm run bench:fleet`. Each one is a trace shape, optional faults over time,
 * and the strategies it compares; every strategy of a scenario replays the same trace against
 * a fresh local stack. Times are ms of the compressed run (see `timing.ts`).
 */
import type { FaultSpec } from '@token-cache/local-stack';
import type { StrategyName } from './strategies/types.js';
import type { TimingProfile } from './timing.js';
import type { TraceSpec } from './trace.js';

/**
 * The compressed token lifetime every scenario uses: 24 h → 20 s.
 *
 * @example
 * ```ts
 * const timing = compressedTiming(SCENARIO_TOKEN_LIFETIME_S);
 * ```
 */
export const SCENARIO_TOKEN_LIFETIME_S = 20;

/**
 * Latencies injected on every run (the stack answers in microseconds otherwise): SSM reads
 * 10 ms, writes 20 ms (in-region SSM calls take single- to low-double-digit ms), the IdP
 * 100 ms (an Auth0 token request over the internet).
 *
 * @example
 * ```ts
 * for (const [target, spec] of Object.entries(BASE_LATENCIES)) await stack.setFault(target, spec);
 * ```
 */
export const BASE_LATENCIES: Readonly<Record<string, FaultSpec>> = {
  'ssm.GetParameter': { latencyMs: 10 },
  'ssm.PutParameter': { latencyMs: 20 },
  'ssm.DeleteParameter': { latencyMs: 20 },
  'idp.token': { latencyMs: 100 },
};

/**
 * AWS's default SSM quotas and the Auth0 free plan's rate limit, enforced by the stack.
 *
 * @example
 * ```ts
 * await launchBenchStack({ ...DEFAULT_LIMITS, expiresInSeconds: 20 });
 * ```
 */
export const DEFAULT_LIMITS = {
  readsPerSecond: 40,
  writesPerSecond: 3,
  idpRateLimitPerSecond: 30,
} as const;

/** Instants a scenario's events can be placed against, ms of the run. */
export interface ScenarioAnchors {
  /** Expiry of the token pre-seeded before the run, when there is one. */
  readonly seedExpiresAtMs?: number;
  readonly timing: TimingProfile;
}

/** Something that happens during the run. */
export type ScenarioEvent =
  | {
      readonly atMs: number;
      readonly label: string;
      /** Fault rules to set on top of the base latencies; `null` restores the base latency. */
      readonly faults: Readonly<Record<string, FaultSpec | null>>;
    }
  | {
      readonly atMs: number;
      readonly label: string;
      /** A container starts a refresh and dies once the IdP has answered. */
      readonly crashDuringRefresh: true;
    };

/** One scenario. */
export interface Scenario {
  readonly name: string;
  /** One line: what it shows. */
  readonly title: string;
  readonly strategies: readonly StrategyName[];
  /** The trace, minus the container lifetimes (they come from the timing profile). */
  readonly trace: Omit<TraceSpec, 'containerLifetimeMs'>;
  /** A token written to the store before the run (by one warm-up container), this many seconds long. */
  readonly preSeedLifetimeS?: number;
  /** Fault rules for the whole run, on top of the base latencies. */
  readonly faults?: Readonly<Record<string, FaultSpec>>;
  readonly events?: (anchors: ScenarioAnchors) => readonly ScenarioEvent[];
}

const THREE: readonly StrategyName[] = ['memory-only', 'seed-two-tier', 'shared'];

/** Mean gap between invocations of one warm container. */
const GAP_MS = 100;

function seedExpiry(anchors: ScenarioAnchors, scenario: string): number {
  if (anchors.seedExpiresAtMs === undefined) {
    throw new Error(
      `scenario ${scenario} places events against a pre-seeded token; none was written`,
    );
  }
  return anchors.seedExpiresAtMs;
}

/**
 * Every scenario, in report order.
 *
 * @example
 * ```ts
 * SCENARIOS.find((scenario) => scenario.name === 'cold-burst')?.title;
 * ```
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'steady',
    title: '1,000 containers over 40 s (two token lifetimes), steady arrivals plus two bursts',
    strategies: THREE,
    trace: {
      durationMs: 40_000,
      steadyContainers: 950,
      bursts: [
        { atMs: 12_000, containers: 25, spreadMs: 500 },
        { atMs: 29_000, containers: 25, spreadMs: 500 },
      ],
      invocationGapMs: GAP_MS,
    },
  },
  {
    name: 'expiry-under-load',
    title:
      'the stored token expires while containers keep arriving, with a burst in the refresh window',
    strategies: THREE,
    preSeedLifetimeS: 8,
    trace: {
      durationMs: 12_000,
      steadyContainers: 300,
      bursts: [{ atMs: 3_000, containers: 45, spreadMs: 1_500 }],
      invocationGapMs: GAP_MS / 2,
    },
  },
  {
    name: 'cold-burst',
    title: '200 cold starts in 1 s on an empty store',
    strategies: THREE,
    trace: {
      durationMs: 1_000,
      steadyContainers: 0,
      bursts: [{ atMs: 0, containers: 200, spreadMs: 1_000 }],
      invocationGapMs: GAP_MS,
    },
  },
  {
    name: 'idp-outage',
    title:
      'the IdP answers 503 from the start of the refresh window until one window after expiry (2 × window)',
    strategies: THREE,
    preSeedLifetimeS: 8,
    trace: { durationMs: 16_000, steadyContainers: 320, invocationGapMs: GAP_MS },
    events: (anchors) => {
      const expiry = seedExpiry(anchors, 'idp-outage');
      const window = anchors.timing.refreshWindowMs;
      return [
        {
          atMs: expiry - window,
          label: 'IdP outage starts (HTTP 503)',
          faults: { 'idp.token': { latencyMs: 100, failure: 'http-503' } },
        },
        { atMs: expiry + window, label: 'IdP outage ends', faults: { 'idp.token': null } },
      ];
    },
  },
  {
    name: 'store-throttled',
    title: '80% of SSM requests answer ThrottlingException; the stored token expires mid-run',
    strategies: THREE,
    preSeedLifetimeS: 8,
    trace: { durationMs: 12_000, steadyContainers: 240, invocationGapMs: GAP_MS },
    faults: {
      'ssm.GetParameter': { latencyMs: 10, failure: 'throttle', failureRate: 0.8 },
      'ssm.PutParameter': { latencyMs: 20, failure: 'throttle', failureRate: 0.8 },
      'ssm.DeleteParameter': { latencyMs: 20, failure: 'throttle', failureRate: 0.8 },
    },
  },
  {
    name: 'lease-holder-crash',
    title:
      'a container takes the refresh lease, gets its token from the IdP and dies before writing it',
    strategies: THREE,
    preSeedLifetimeS: 8,
    trace: { durationMs: 12_000, steadyContainers: 240, invocationGapMs: GAP_MS },
    events: (anchors) => [
      {
        // Just before the window opens, so the victim is the first to refresh and takes the lease.
        atMs: seedExpiry(anchors, 'lease-holder-crash') - anchors.timing.refreshWindowMs - 200,
        label: 'a container starts a refresh and crashes after the IdP answers',
        crashDuringRefresh: true,
      },
    ],
  },
  {
    name: 'dynamodb-burst',
    title:
      '1,000 cold starts in 5 s reading a stored token: SSM (40 reads/s) against DynamoDB (no read quota)',
    strategies: ['shared', 'shared-dynamodb'],
    preSeedLifetimeS: 30, // fresh for the whole run: the burst only reads
    trace: { durationMs: 5_000, steadyContainers: 1_000, invocationGapMs: GAP_MS },
  },
];

/**
 * Finds a scenario by name, with an error that lists the valid names.
 *
 * @example
 * ```ts
 * const scenario = scenarioNamed('steady');
 * ```
 */
export function scenarioNamed(name: string): Scenario {
  const found = SCENARIOS.find((scenario) => scenario.name === name);
  if (found === undefined) {
    throw new TypeError(
      `--scenario must be one of ${SCENARIOS.map((scenario) => scenario.name).join(', ')}; got "${name}"`,
    );
  }
  return found;
}
