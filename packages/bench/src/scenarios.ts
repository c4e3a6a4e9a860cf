/**
 * The scenarios of `npm run bench:fleet`. Each one is a trace shape, optional faults over time,
 * and the strategies it compares; every strategy of a scenario replays the same trace against
 * a fresh local stack. Times are ms of the compressed run (see `timing.ts`).
 */
import { defaultEndpointReserveMs, STORE_RETRY_BACKOFF } from '@token-cache/core/internal';
import type { FaultSpec } from '@token-cache/local-stack';
import { readQuotaBound, type ScenarioBound, throttledColdStartFloor } from './bounds.js';
import type { StrategyName } from './strategies/types.js';
import type { StrategyResult } from './summarize.js';
import type { TimingProfile } from './timing.js';
import type { Trace, TraceSpec } from './trace.js';

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

/** What a scenario's bounds are computed from. */
export interface BoundContext {
  readonly trace: Trace;
  readonly timing: TimingProfile;
  /** The scenario's events as placed in this run. */
  readonly events: readonly ScenarioEvent[];
}

/** `store-throttled`: the share of SSM requests throttled, and a read's latency. */
const STORE_THROTTLE_RATE = 0.8;
const STORE_THROTTLED_LATENCY_MS = 10;

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
  /**
   * Each container's clock runs ahead or behind by up to the protocol's skew tolerance,
   * uniformly drawn from the seed (strategies on the library take the injected clock).
   */
  readonly clockSkew?: boolean;
  /** What the shared cache must achieve here, computed from the setup. */
  readonly bounds?: (context: BoundContext) => readonly ScenarioBound[];
}

/** The baselines and the shared cache on SSM. */
const COMPARED: readonly StrategyName[] = [
  'memory-only',
  'seed-two-tier',
  'powertools-parameters',
  'shared',
];
const SHARED: readonly StrategyName[] = ['shared', 'shared-dynamodb'];

/**
 * What the shared cache achieves in every ordinary scenario: no more tokens than the physical
 * minimum (one more when a holder dies with its token), no invocation without a token while a
 * usable one exists, no token the API refuses.
 */
function physicalBounds(extraTokens = 0): ScenarioBound[] {
  const plus =
    extraTokens === 0 ? '' : ` + ${extraTokens} (the token the crashed holder took with it)`;
  return [
    {
      label: `tokens issued ≤ physical minimum${plus}`,
      metric: 'tokensIssued',
      atMost: (result) => result.physicalMinimum + extraTokens,
      strategies: SHARED,
    },
    {
      label: 'no invocation without a token while one stayed usable throughout its wait',
      metric: 'withoutTokenWhileUsable',
      atMost: () => 0,
      strategies: SHARED,
    },
    {
      label: 'no token refused by the API',
      metric: 'rejectedByApi',
      atMost: () => 0,
      strategies: SHARED,
    },
  ];
}

/** Error back-off periods a trace spans, rounded up. */
function errorBackoffPeriods({ trace, timing }: BoundContext): number {
  return Math.max(1, Math.ceil(trace.lastInvocationMs / timing.errorBackoffMs));
}

/** At most two of `metric` (`what`, for the label) per error back-off the trace spans. */
function twoPerErrorBackoff(
  context: BoundContext,
  metric: 'endpointCalls' | 'tokensIssued',
  what: string,
): ScenarioBound {
  const periods = errorBackoffPeriods(context);
  return {
    label: `${what} ≤ 2 per error back-off (${context.timing.errorBackoffMs} ms): 2 × ${periods} periods`,
    metric,
    atMost: () => 2 * periods,
    strategies: SHARED,
  };
}

/** A `x-ratelimit-reset` in the year 5138, as an Auth0-like IdP was seen to send. */
const FAR_RESET_EPOCH_S = 99_999_999_999;

/** Mean gap between invocations of one warm container. */
const GAP_MS = 100;

/** When `takeover-race`'s 150 cold starts begin: after its 8-s token's usable end (6.5 s). */
const TAKEOVER_BURST_MS = 7_300;

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
    strategies: COMPARED,
    bounds: () => physicalBounds(),
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
    strategies: COMPARED,
    bounds: () => physicalBounds(),
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
    strategies: COMPARED,
    bounds: () => physicalBounds(),
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
    strategies: COMPARED,
    bounds: () => physicalBounds(),
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
    strategies: COMPARED,
    bounds: ({ trace, timing }) => {
      // Each request is throttled independently here, so a cold start can meet nothing but
      // throttles for its whole store share (two thirds of the deadline): that chance's floor
      // replaces "no invocation without a token while a usable one exists".
      const floor = throttledColdStartFloor({
        coldStarts: trace.containers.length,
        throttleRate: STORE_THROTTLE_RATE,
        storeShareMs: timing.deadlineMs - defaultEndpointReserveMs(timing.deadlineMs),
        retryCapMs: STORE_RETRY_BACKOFF.capMs,
        latencyMs: STORE_THROTTLED_LATENCY_MS,
      });
      return physicalBounds().map((bound) =>
        bound.metric === 'withoutTokenWhileUsable'
          ? {
              ...bound,
              label: `invocations without a token while a usable one exists ≤ the cold starts whose every read may be throttled: ⌈${trace.containers.length} × ${STORE_THROTTLE_RATE}^attempts⌉ = ${floor}`,
              atMost: () => floor,
            }
          : bound,
      );
    },
    preSeedLifetimeS: 8,
    trace: { durationMs: 12_000, steadyContainers: 240, invocationGapMs: GAP_MS },
    faults: {
      'ssm.GetParameter': {
        latencyMs: STORE_THROTTLED_LATENCY_MS,
        failure: 'throttle',
        failureRate: STORE_THROTTLE_RATE,
      },
      'ssm.PutParameter': { latencyMs: 20, failure: 'throttle', failureRate: STORE_THROTTLE_RATE },
      'ssm.DeleteParameter': {
        latencyMs: 20,
        failure: 'throttle',
        failureRate: STORE_THROTTLE_RATE,
      },
    },
  },
  {
    name: 'lease-holder-crash',
    title:
      'a container takes the refresh lease, gets its token from the IdP and dies before writing it',
    strategies: COMPARED,
    bounds: () => physicalBounds(1),
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
    strategies: ['powertools-parameters', 'shared', 'shared-dynamodb'],
    preSeedLifetimeS: 30, // fresh for the whole run: the burst only reads
    trace: { durationMs: 5_000, steadyContainers: 1_000, invocationGapMs: GAP_MS },
    bounds: ({ trace }) => {
      // A usable token is stored all along, so any endpoint call is wasted, and only the read
      // quota keeps a cold container from it: that quota's floor replaces "no invocation
      // without a token while a usable one exists" here. The window runs until the last
      // container that never got a token gave up (one whose first invocation gave up reads
      // again at its next one); reads the quota admits after that can serve none of them.
      const quotaFor = (result: StrategyResult) =>
        readQuotaBound({
          readsPerSecond: DEFAULT_LIMITS.readsPerSecond,
          windowMs: result.containersWithoutToken > 0 ? result.unservedUntilMs : result.durationMs,
          coldStarts: trace.containers.length,
        });
      return [
        {
          label: 'no endpoint call (a usable token is stored)',
          metric: 'endpointCalls',
          atMost: () => 0,
          strategies: SHARED,
        },
        {
          label: `cold containers without a token ≤ the SSM read quota's floor: ${trace.containers.length} cold starts − (${DEFAULT_LIMITS.readsPerSecond} reads/s × the time until the last of them gave up + ${DEFAULT_LIMITS.readsPerSecond} burst)`,
          metric: 'containersWithoutToken',
          atMost: (result) => quotaFor(result).containersWithoutTokenFloor,
          strategies: ['shared'],
        },
        {
          label: 'no token refused by the API',
          metric: 'rejectedByApi',
          atMost: () => 0,
          strategies: SHARED,
        },
      ];
    },
  },
  {
    name: 'idp-429-far-reset',
    title:
      'the IdP answers 429 with x-ratelimit-reset 99999999999 (year 5138) for 3 s from the start of the refresh window, then recovers',
    strategies: COMPARED,
    preSeedLifetimeS: 8,
    trace: { durationMs: 20_000, steadyContainers: 400, invocationGapMs: GAP_MS },
    events: (anchors) => {
      const start = seedExpiry(anchors, 'idp-429-far-reset') - anchors.timing.refreshWindowMs;
      return [
        {
          atMs: start,
          label: 'IdP answers 429, x-ratelimit-reset 99999999999',
          faults: {
            'idp.token': {
              latencyMs: 100,
              failure: 'rate-limit-429',
              rateLimitResetEpochSeconds: FAR_RESET_EPOCH_S,
            },
          },
        },
        { atMs: start + 3_000, label: 'IdP recovers', faults: { 'idp.token': null } },
      ];
    },
    bounds: ({ timing, events }) => {
      // The first 429 comes before the IdP recovers; its back-off is capped at maxBackoffMs,
      // and one lease later (the recheck spread lies within it) the fleet has its token.
      const recoveredAtMs = events[events.length - 1]?.atMs ?? 0;
      const byMs = Math.round(recoveredAtMs + timing.maxBackoffMs + timing.leaseMs);
      return [
        {
          label: `a token again by the IdP's recovery + the capped back-off (${timing.maxBackoffMs} ms) + a lease (${timing.leaseMs} ms)`,
          metric: 'firstTokenIssuedAtMs',
          atMost: () => byMs,
          strategies: SHARED,
        },
        {
          label: 'endpoint calls ≤ physical minimum + 1 (the call answered 429)',
          metric: 'endpointCalls',
          atMost: (result) => result.physicalMinimum + 1,
          strategies: SHARED,
        },
        {
          label: 'no token refused by the API',
          metric: 'rejectedByApi',
          atMost: () => 0,
          strategies: SHARED,
        },
      ];
    },
  },
  {
    name: 'bad-credentials',
    title: 'the IdP answers 401 access_denied to every token request (wrong client secret)',
    strategies: COMPARED,
    trace: { durationMs: 10_000, steadyContainers: 200, invocationGapMs: GAP_MS },
    faults: { 'idp.token': { latencyMs: 100, failure: 'access-denied' } },
    bounds: (context) => [twoPerErrorBackoff(context, 'endpointCalls', 'endpoint calls')],
  },
  {
    name: 'api-refuses-new-tokens',
    title:
      'the protected API answers 401 to every token (wrong audience): the handler retries once with a new token',
    strategies: COMPARED,
    trace: { durationMs: 10_000, steadyContainers: 200, invocationGapMs: GAP_MS },
    faults: { api: { failure: 'unauthorized' } },
    bounds: (context) => [twoPerErrorBackoff(context, 'tokensIssued', 'tokens minted')],
  },
  {
    name: 'takeover-race',
    title:
      'the lease holder dies with its token; 150 cold starts then find the unusable token and the stale lease at once',
    strategies: COMPARED,
    preSeedLifetimeS: 8,
    // The burst lands just after the lease the victim took has gone stale (one lease, plus the
    // skew tolerance twice), while the stored token is no longer usable (from 6.5 s).
    trace: {
      durationMs: 8_000,
      steadyContainers: 0,
      bursts: [{ atMs: TAKEOVER_BURST_MS, containers: 150, spreadMs: 100 }],
      invocationGapMs: GAP_MS,
    },
    events: ({ timing }) => [
      {
        atMs: TAKEOVER_BURST_MS - timing.leaseMs - 2 * timing.maxClockSkewMs - 100,
        label: 'a container takes the lease, gets its token from the IdP and dies',
        crashDuringRefresh: true,
      },
    ],
    bounds: () => [
      {
        label: "endpoint calls ≤ physical minimum + 1: the victim's call and one takeover fetch",
        metric: 'endpointCalls',
        atMost: (result) => result.physicalMinimum + 1,
        strategies: SHARED,
      },
      ...physicalBounds(1).slice(1),
    ],
  },
  {
    name: 'clock-skew',
    title:
      "containers' clocks skewed up to ± the skew tolerance (the compressed ±2 s); the stored token expires mid-run",
    strategies: SHARED,
    preSeedLifetimeS: 8,
    trace: { durationMs: 12_000, steadyContainers: 240, invocationGapMs: GAP_MS },
    clockSkew: true,
    bounds: () => [
      {
        label: 'endpoint calls ≤ physical minimum (one call per refresh)',
        metric: 'endpointCalls',
        atMost: (result) => result.physicalMinimum,
        strategies: SHARED,
      },
      ...physicalBounds(),
    ],
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
