/**
 * Runs one scenario: for each of its strategies, a fresh local stack (and dynalite when
 * needed), the optional pre-seeded token, the same trace, the scenario's faults and events,
 * and the summary.
 */
import { performance } from 'node:perf_hooks';
import { type BenchStack, launchBenchStack } from './bench-stack.js';
import { type BoundOutcome, evaluateBounds } from './bounds.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb-local.js';
import { type FleetProgress, runFleet, type TimedAction } from './fleet.js';
import { seededRandom } from './random.js';
import {
  BASE_LATENCIES,
  DEFAULT_LIMITS,
  SCENARIO_TOKEN_LIFETIME_S,
  type Scenario,
  type ScenarioEvent,
} from './scenarios.js';
import { STRATEGIES } from './strategies/index.js';
import type { StrategyName, StrategyRun } from './strategies/types.js';
import { type StrategyResult, summarizeRun } from './summarize.js';
import { compressedTiming, type TimingProfile } from './timing.js';
import { generateTrace, type Trace } from './trace.js';

/**
 * The seed document's parameter name.
 *
 * @example
 * ```ts
 * await shared.open({ stack, timing, parameterName: BENCH_PARAMETER_NAME });
 * ```
 */
export const BENCH_PARAMETER_NAME = '/vwc/dev/auth0-token-cache';

/** How to run a scenario. */
export interface ScenarioRunOptions {
  readonly seed: number;
  /** Where the stack runs (default `child`). */
  readonly stackMode?: 'child' | 'in-process';
  /** Compressed token lifetime (default 20 s). */
  readonly tokenLifetimeS?: number;
  /** Progress lines while running. */
  readonly onProgress?: (line: string) => void;
}

/** A scenario's setup, as the report states it. */
export interface ScenarioSetup {
  readonly seed: number;
  readonly containers: number;
  readonly invocations: number;
  readonly traceDurationMs: number;
  readonly tokenLifetimeS: number;
  readonly preSeedLifetimeS?: number;
  readonly events: ReadonlyArray<{ readonly atMs: number; readonly label: string }>;
}

/** One scenario's results (the JSON's `scenarios[]` entries). */
export interface ScenarioResult {
  readonly name: string;
  readonly title: string;
  readonly setup: ScenarioSetup;
  readonly strategies: readonly StrategyResult[];
  /** The scenario's bounds, each checked against every strategy. */
  readonly bounds: readonly BoundOutcome[];
}

/**
 * Runs every strategy of `scenario` on the same trace.
 *
 * @example
 * ```ts
 * const result = await runScenario(scenarioNamed('cold-burst'), { seed: 1 });
 * result.strategies.map((s) => [s.name, s.endpointCalls]);
 * ```
 */
export async function runScenario(
  scenario: Scenario,
  options: ScenarioRunOptions,
): Promise<ScenarioResult> {
  const timing = compressedTiming(options.tokenLifetimeS ?? SCENARIO_TOKEN_LIFETIME_S);
  const trace = generateTrace(
    { ...scenario.trace, containerLifetimeMs: timing.containerLifetimeMs },
    options.seed,
  );
  const strategies: StrategyResult[] = [];
  const bounds: BoundOutcome[] = [];
  let events: ReadonlyArray<{ atMs: number; label: string }> = [];
  for (const name of scenario.strategies) {
    options.onProgress?.(
      `[${scenario.name}] ${name}: ${trace.containers.length} containers, ${trace.invocationCount} invocations`,
    );
    const outcome = await runStrategy(scenario, name, trace, timing, options);
    strategies.push(outcome.result);
    outcome.bounds.forEach((bound, index) => {
      const merged = bounds[index];
      bounds[index] = merged
        ? { ...merged, results: [...merged.results, ...bound.results] }
        : bound;
    });
    events = outcome.events;
    const r = outcome.result;
    options.onProgress?.(
      `[${scenario.name}] ${name}: done in ${(r.durationMs / 1000).toFixed(1)} s — ${r.endpointCalls} endpoint calls (minimum ${r.physicalMinimum}), ${r.withoutToken} without a token, ${r.rejectedByApi} rejected`,
    );
  }
  return {
    name: scenario.name,
    title: scenario.title,
    setup: {
      seed: options.seed,
      containers: trace.containers.length,
      invocations: trace.invocationCount,
      traceDurationMs: Math.round(trace.lastInvocationMs),
      tokenLifetimeS: timing.tokenLifetimeS,
      ...(scenario.preSeedLifetimeS === undefined
        ? {}
        : { preSeedLifetimeS: scenario.preSeedLifetimeS }),
      events: events.map(({ atMs, label }) => ({ atMs: Math.round(atMs), label })),
    },
    strategies,
    bounds,
  };
}

/**
 * Each container's clock offset for a `clockSkew` scenario: uniform in ± the skew tolerance,
 * drawn from the seed so every strategy sees the same fleet of clocks.
 */
function clockSkews(trace: Trace, timing: TimingProfile, seed: number): Map<number, number> {
  const random = seededRandom((seed ^ 0x5bd1e995) | 0);
  return new Map(
    trace.containers.map((container) => [
      container.id,
      Math.round((2 * random() - 1) * timing.maxClockSkewMs),
    ]),
  );
}

async function runStrategy(
  scenario: Scenario,
  name: StrategyName,
  trace: Trace,
  timing: TimingProfile,
  options: ScenarioRunOptions,
): Promise<{
  result: StrategyResult;
  events: readonly ScenarioEvent[];
  bounds: readonly BoundOutcome[];
}> {
  const stack = await launchBenchStack({
    mode: options.stackMode ?? 'child',
    readsPerSecond: DEFAULT_LIMITS.readsPerSecond,
    writesPerSecond: DEFAULT_LIMITS.writesPerSecond,
    idpRateLimitPerSecond: DEFAULT_LIMITS.idpRateLimitPerSecond,
    expiresInSeconds: timing.tokenLifetimeS,
  });
  let dynamo: LocalDynamoDb | undefined;
  let run: StrategyRun | undefined;
  try {
    if (name === 'shared-dynamodb') dynamo = await startLocalDynamoDb();
    for (const [target, spec] of Object.entries(BASE_LATENCIES)) await stack.setFault(target, spec);
    run = await STRATEGIES[name].open({
      stack,
      timing,
      parameterName: BENCH_PARAMETER_NAME,
      ...(dynamo ? { dynamo } : {}),
    });
    const seedExpiresAt = await preSeed(scenario, stack, run, timing);
    for (const [target, spec] of Object.entries(scenario.faults ?? {})) {
      await stack.setFault(target, spec);
    }
    await stack.resetCounters();
    await run.resetStoreTraffic?.();
    run.events?.reset();

    const originMs = performance.now();
    const originEpochMs = performance.timeOrigin + originMs;
    const seedExpiresAtMs = seedExpiresAt === undefined ? undefined : seedExpiresAt - originEpochMs;
    const events =
      scenario.events?.({
        timing,
        ...(seedExpiresAtMs === undefined ? {} : { seedExpiresAtMs }),
      }) ?? [];
    const opened = run;
    const skews = scenario.clockSkew ? clockSkews(trace, timing, options.seed) : undefined;
    const fleet = await runFleet({
      trace,
      strategy: opened,
      stack,
      originMs,
      actions: events.map((event) => toAction(event, stack, opened)),
      onProgress: (progress) => options.onProgress?.(progressLine(scenario.name, name, progress)),
      ...(skews ? { containerOptions: (id: number) => ({ clockSkewMs: skews.get(id) ?? 0 }) } : {}),
    });
    const storeTraffic = await run.storeTraffic?.();
    const result = summarizeRun({
      name,
      run: fleet,
      coldStarts: trace.containers.length,
      timing,
      ...(seedExpiresAtMs === undefined
        ? {}
        : { initialUsableUntilMs: seedExpiresAtMs - timing.minRemainingMs }),
      ...(storeTraffic ? { storeTraffic } : {}),
      ...(run.events ? { cacheEvents: run.events.snapshot() } : {}),
    });
    const bounds = evaluateBounds(scenario.bounds?.({ trace, timing, events }) ?? [], [result]);
    return { result, events, bounds };
  } finally {
    await run?.close();
    await dynamo?.stop();
    await stack.stop();
  }
}

/** One warm-up container writes a token of the scenario's pre-seed lifetime; returns its expiry. */
async function preSeed(
  scenario: Scenario,
  stack: BenchStack,
  run: StrategyRun,
  timing: TimingProfile,
): Promise<number | undefined> {
  if (scenario.preSeedLifetimeS === undefined) return undefined;
  await stack.setExpiresIn(scenario.preSeedLifetimeS);
  const container = run.createContainer();
  try {
    return (await container.getToken()).expiresAt;
  } finally {
    container.dispose();
    await stack.setExpiresIn(timing.tokenLifetimeS);
  }
}

function toAction(event: ScenarioEvent, stack: BenchStack, run: StrategyRun): TimedAction {
  if ('crashDuringRefresh' in event) {
    return {
      atMs: event.atMs,
      label: event.label,
      async run() {
        // Not awaited: the victim never finishes, by design.
        const victim = run.createContainer({ crashAfterEndpointResponse: true });
        void victim.refreshNow().catch(() => {});
      },
    };
  }
  return {
    atMs: event.atMs,
    label: event.label,
    async run() {
      for (const [target, spec] of Object.entries(event.faults)) {
        const base = BASE_LATENCIES[target];
        if (spec !== null) await stack.setFault(target, spec);
        else if (base !== undefined) await stack.setFault(target, base);
        else await stack.clearFault(target);
      }
    },
  };
}

function progressLine(scenario: string, strategy: string, progress: FleetProgress): string {
  return (
    `[${scenario}] ${strategy}: ${(progress.elapsedMs / 1000).toFixed(1)} s, ` +
    `${progress.containersStarted}/${progress.containersTotal} containers, ` +
    `${progress.invocationsDone}/${progress.invocationsTotal} invocations, ` +
    `${progress.endpointCalls} endpoint calls`
  );
}
