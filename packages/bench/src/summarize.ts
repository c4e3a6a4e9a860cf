/**
 * Turns a raw fleet run into the numbers the report shows for one strategy.
 */
import type { FleetRunResult, InvocationRecord } from './fleet.js';
import { physicalMinimum } from './physical-minimum.js';
import { percentile, round } from './stats.js';
import type { StoreTraffic, StrategyName } from './strategies/types.js';
import type { TimingProfile } from './timing.js';

/** One strategy's numbers in one scenario (the JSON's `strategies[]` entries). */
export interface StrategyResult {
  readonly name: StrategyName;
  /** Requests to the token endpoint (including failed and rate-limited ones). */
  readonly endpointCalls: number;
  /**
   * Endpoint calls made without the fleet-wide lease: the shared cache's `deadline-fallback`
   * events (only a failing store permits one); every call of a strategy that has no lease.
   */
  readonly endpointCallsWithoutLease: number;
  /** When the IdP first issued a token during the run (counter samples, ±100 ms); none: absent. */
  readonly firstTokenIssuedAtMs?: number;
  readonly physicalMinimum: number;
  /** SSM `GetParameter(s)` requests, throttled ones included. */
  readonly ssmReads: number;
  /** SSM `PutParameter` and `DeleteParameter` requests. */
  readonly ssmWrites: number;
  /** SSM requests answered `ThrottlingException` (quota or injected). */
  readonly ssmThrottles: number;
  /** Invocations that got no token. */
  readonly withoutToken: number;
  /** Containers none of whose invocations got a token. */
  readonly containersWithoutToken: number;
  /**
   * When the last of those containers gave up (ms into the run; 0 when there are none): the
   * store's quota after that could serve none of them.
   */
  readonly unservedUntilMs: number;
  /** Invocations whose token the API refused (401). */
  readonly rejectedByApi: number;
  /** Token-acquisition latency (`getToken()`), every invocation. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  // Additional fields.
  /** Tokens the IdP issued (endpoint calls that succeeded). */
  readonly tokensIssued: number;
  /** Endpoint calls refused with 429 by the IdP's rate limit. */
  readonly endpointRateLimited: number;
  /** Invocations without a token at a moment when a usable token existed in the fleet. */
  readonly withoutTokenWhileUsable: number;
  readonly coldStarts: number;
  readonly invocations: number;
  readonly served: number;
  /** SSM `TooManyUpdates` (concurrent writes to one parameter). */
  readonly ssmTooManyUpdates: number;
  /** Reads/writes on the strategy's store, whichever it is (SSM or DynamoDB). */
  readonly storeReads: number;
  readonly storeWrites: number;
  /** p99 of how late cold starts began against the trace: the harness's own health. */
  readonly coldStartLagP99Ms: number;
  /** p99 event-loop delay of the simulating process during the run. */
  readonly eventLoopDelayP99Ms: number;
  /** The shared cache's events by type (and reason/outcome), summed over the fleet. */
  readonly cacheEvents?: Readonly<Record<string, number>>;
  readonly durationMs: number;
  /** Cumulative endpoint calls over time: [ms from the start, calls]. */
  readonly series: ReadonlyArray<readonly [number, number]>;
}

/** What {@link summarizeRun} needs besides the run. */
export interface SummaryInput {
  readonly name: StrategyName;
  readonly run: FleetRunResult;
  readonly coldStarts: number;
  readonly timing: TimingProfile;
  /** Run-relative instant until which a pre-seeded token is usable. */
  readonly initialUsableUntilMs?: number;
  /** Traffic to a store outside the stack (DynamoDB). */
  readonly storeTraffic?: StoreTraffic;
  /** The shared cache's event tally. */
  readonly cacheEvents?: Readonly<Record<string, number>>;
}

const MAX_SERIES_POINTS = 240;

/**
 * Summarizes a run.
 *
 * @example
 * ```ts
 * const result = summarizeRun({ name: 'shared', run, coldStarts: trace.containers.length, timing });
 * result.endpointCalls / result.physicalMinimum;
 * ```
 */
export function summarizeRun(input: SummaryInput): StrategyResult {
  const { run, timing } = input;
  const counter = (...keys: string[]) =>
    keys.reduce((sum, key) => sum + (run.counters[key] ?? 0), 0);
  const records = run.records;
  const latencies = records.map((record) => record.acquireMs);
  const ssmReads = counter('ssm.GetParameter', 'ssm.GetParameters', 'ssm.GetParametersByPath');
  const ssmWrites = counter('ssm.PutParameter', 'ssm.DeleteParameter');
  // Throttles from the quota (token bucket) and injected ones (the store-throttled scenario).
  const ssmThrottles = counter('ssm.throttled', 'faults.throttle');
  const endpointCalls = counter('idp.token');
  const firstIssued = run.samples.find((sample) => sample.tokensIssued > 0);
  return {
    name: input.name,
    endpointCalls,
    endpointCallsWithoutLease:
      input.cacheEvents === undefined
        ? endpointCalls
        : (input.cacheEvents['deadline-fallback'] ?? 0),
    ...(firstIssued === undefined ? {} : { firstTokenIssuedAtMs: Math.round(firstIssued.atMs) }),
    physicalMinimum: physicalMinimum({
      invocationsMs: records.map((record) => record.startedMs),
      tokenLifetimeMs: timing.tokenLifetimeS * 1000,
      minRemainingMs: timing.minRemainingMs,
      ...(input.initialUsableUntilMs === undefined
        ? {}
        : { initialUsableUntilMs: input.initialUsableUntilMs }),
    }),
    ssmReads,
    ssmWrites,
    ssmThrottles,
    withoutToken: records.filter((record) => record.outcome === 'no-token').length,
    containersWithoutToken: containersWithoutToken(records),
    unservedUntilMs: Math.round(unservedUntilMs(records)),
    rejectedByApi: records.filter((record) => record.outcome === 'rejected').length,
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 1),
    maxMs: round(percentile(latencies, 100), 1),
    tokensIssued: counter('idp.issued'),
    endpointRateLimited: counter('idp.rateLimited'),
    withoutTokenWhileUsable: countWithoutTokenWhileUsable(
      records,
      timing.minRemainingMs,
      input.initialUsableUntilMs,
    ),
    coldStarts: input.coldStarts,
    invocations: records.length,
    served: records.filter((record) => record.outcome === 'served').length,
    ssmTooManyUpdates: counter('ssm.tooManyUpdates', 'faults.too-many-updates'),
    storeReads: input.storeTraffic?.reads ?? ssmReads,
    storeWrites: input.storeTraffic?.writes ?? ssmWrites,
    coldStartLagP99Ms: round(percentile(coldStartLags(records), 99), 1),
    eventLoopDelayP99Ms: round(run.eventLoopDelayP99Ms, 1),
    ...(input.cacheEvents === undefined ? {} : { cacheEvents: input.cacheEvents }),
    durationMs: Math.round(run.durationMs),
    series: downsample(run.samples.map((sample) => [sample.atMs, sample.endpointCalls] as const)),
  };
}

/**
 * Failed invocations during which some token in the fleet stayed usable: one obtained by an
 * invocation that had finished acquiring it before the failed one started (or the pre-seeded
 * one), and still usable when the failed one gave up. A shared cache should never fail those;
 * a memory-only fleet does, because the usable token sits in another container's memory. A
 * cold start a few milliseconds before the only token's usable life ends is not counted: no
 * store read is that fast, so no design could have served it.
 *
 * @example
 * ```ts
 * countWithoutTokenWhileUsable(run.records, timing.minRemainingMs, seedExpiresAtMs - timing.minRemainingMs);
 * ```
 */
export function countWithoutTokenWhileUsable(
  records: readonly InvocationRecord[],
  minRemainingMs: number,
  initialUsableUntilMs = Number.NEGATIVE_INFINITY,
): number {
  const acquisitions = records
    .filter((record) => record.tokenExpiresAtMs !== undefined)
    .map((record) => ({
      at: record.acquiredMs,
      usableUntil: (record.tokenExpiresAtMs as number) - minRemainingMs,
    }))
    .sort((a, b) => a.at - b.at);
  const failures = records
    .filter((record) => record.outcome === 'no-token')
    .sort((a, b) => a.startedMs - b.startedMs);
  let usableUntil = initialUsableUntilMs;
  let next = 0;
  let count = 0;
  for (const { startedMs, acquiredMs: gaveUpMs } of failures) {
    while (next < acquisitions.length && (acquisitions[next]?.at ?? Infinity) <= startedMs) {
      usableUntil = Math.max(usableUntil, acquisitions[next]?.usableUntil ?? usableUntil);
      next += 1;
    }
    if (gaveUpMs < usableUntil) count += 1;
  }
  return count;
}

function containersWithoutToken(records: readonly InvocationRecord[]): number {
  const all = new Set(records.map((record) => record.containerId));
  const served = new Set(
    records.filter((record) => record.outcome !== 'no-token').map((record) => record.containerId),
  );
  return all.size - served.size;
}

function unservedUntilMs(records: readonly InvocationRecord[]): number {
  const served = new Set(
    records.filter((record) => record.outcome !== 'no-token').map((record) => record.containerId),
  );
  let until = 0;
  for (const record of records) {
    if (!served.has(record.containerId)) until = Math.max(until, record.acquiredMs);
  }
  return until;
}

// A container's later invocations wait for its earlier ones (one at a time, as in Lambda), so
// only the first invocation's lateness measures the harness itself.
function coldStartLags(records: readonly InvocationRecord[]): number[] {
  const first = new Map<number, InvocationRecord>();
  for (const record of records) {
    const seen = first.get(record.containerId);
    if (seen === undefined || record.scheduledMs < seen.scheduledMs)
      first.set(record.containerId, record);
  }
  return [...first.values()].map((record) => Math.max(0, record.startedMs - record.scheduledMs));
}

function downsample(
  points: ReadonlyArray<readonly [number, number]>,
): ReadonlyArray<readonly [number, number]> {
  const rounded = points.map(([at, calls]) => [Math.round(at), calls] as const);
  if (rounded.length <= MAX_SERIES_POINTS) return rounded;
  const step = rounded.length / MAX_SERIES_POINTS;
  const picked: Array<readonly [number, number]> = [];
  for (let i = 0; i < MAX_SERIES_POINTS; i += 1) {
    const point = rounded[Math.floor(i * step)];
    if (point !== undefined) picked.push(point);
  }
  const last = rounded[rounded.length - 1];
  if (last !== undefined && picked[picked.length - 1] !== last) picked.push(last);
  return picked;
}
