/**
 * The fleet simulator: replays an arrival trace against one strategy in real time. Each
 * container is created at its cold start (a fresh cache: its own memory), serves its
 * invocations one at a time (a Lambda environment runs one invocation at a time), and every
 * invocation calls the protected API with the token it got, so an expired or invalid token is
 * caught by the stack's real JWT verifier. Counters are sampled while it runs, for the chart.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchStack } from './bench-stack.js';
import type { ContainerOptions, SimulatedContainer, StrategyRun } from './strategies/types.js';
import type { Trace } from './trace.js';

/** Something that happens at a set time of the run (a fault, a crash). */
export interface TimedAction {
  readonly atMs: number;
  readonly label: string;
  /** Started at `atMs`; awaited only at the end of the run. */
  run(): Promise<void>;
}

/** How one invocation ended. */
export type InvocationOutcome = 'served' | 'rejected' | 'no-token' | 'api-error';

/** One invocation, times in ms from the start of the run. */
export interface InvocationRecord {
  readonly containerId: number;
  readonly scheduledMs: number;
  readonly startedMs: number;
  /** When `getToken()` settled. */
  readonly acquiredMs: number;
  /** `getToken()` duration (success or failure). */
  readonly acquireMs: number;
  readonly outcome: InvocationOutcome;
  /** The token's expiry, run-relative, when one was obtained. */
  readonly tokenExpiresAtMs?: number;
  /** Error class or code when no token was obtained (never a message: it could name a secret). */
  readonly error?: string;
}

/** Cumulative counters at one instant of the run. */
export interface CounterSample {
  readonly atMs: number;
  readonly endpointCalls: number;
  readonly tokensIssued: number;
}

/** Progress while a run goes. */
export interface FleetProgress {
  readonly elapsedMs: number;
  readonly containersStarted: number;
  readonly containersTotal: number;
  readonly invocationsDone: number;
  readonly invocationsTotal: number;
  readonly endpointCalls: number;
}

/** What to run. */
export interface FleetRunOptions {
  readonly trace: Trace;
  readonly strategy: StrategyRun;
  readonly stack: BenchStack;
  readonly actions?: readonly TimedAction[];
  /** Counter sampling period for the chart (default 100 ms). */
  readonly sampleEveryMs?: number;
  readonly progressEveryMs?: number;
  readonly onProgress?: (progress: FleetProgress) => void;
  /** An invocation whose `getToken()` takes longer counts as without a token (default 30 s). */
  readonly invocationTimeoutMs?: number;
  /** `performance.now()` reading to use as t = 0 (default: when the run starts). */
  readonly originMs?: number;
  /** Options of each container, by its id (e.g. its clock skew). */
  readonly containerOptions?: (containerId: number) => ContainerOptions;
}

/** The raw outcome of a run. */
export interface FleetRunResult {
  /** Epoch ms of the run's time origin: run-relative t = epoch − this. */
  readonly originEpochMs: number;
  readonly durationMs: number;
  readonly records: readonly InvocationRecord[];
  readonly samples: readonly CounterSample[];
  /** The stack's counters at the end. */
  readonly counters: Readonly<Record<string, number>>;
  /**
   * p99 delay of this process's event loop during the run: how late timers (cold starts,
   * invocations) and I/O callbacks ran. The harness's own health, reported beside the results.
   */
  readonly eventLoopDelayP99Ms: number;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Runs the trace against the strategy.
 *
 * @example
 * ```ts
 * const result = await runFleet({ trace, strategy: await shared.open(environment), stack });
 * result.records.filter((r) => r.outcome === 'no-token').length;
 * ```
 */
export async function runFleet(options: FleetRunOptions): Promise<FleetRunResult> {
  const { trace, strategy, stack } = options;
  const invocationTimeoutMs = options.invocationTimeoutMs ?? 30_000;
  const origin = options.originMs ?? performance.now();
  const originEpochMs = performance.timeOrigin + origin;
  const now = () => performance.now() - origin;
  const records: InvocationRecord[] = [];
  const samples: CounterSample[] = [];
  let containersStarted = 0;
  let running = true;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const waitUntil = async (atMs: number) => {
    const delay = atMs - now();
    if (delay > 0) await sleep(delay);
  };

  const invoke = async (
    container: SimulatedContainer,
    containerId: number,
    scheduledMs: number,
  ) => {
    const startedMs = now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), invocationTimeoutMs);
    });
    let token: Awaited<ReturnType<SimulatedContainer['getToken']>> | typeof TIMED_OUT;
    try {
      token = await Promise.race([container.getToken(), timeout]);
    } catch (error) {
      const acquiredMs = now();
      records.push({
        containerId,
        scheduledMs,
        startedMs,
        acquiredMs,
        acquireMs: acquiredMs - startedMs,
        outcome: 'no-token',
        error: errorLabel(error),
      });
      return;
    } finally {
      clearTimeout(timer);
    }
    const acquiredMs = now();
    const base = {
      containerId,
      scheduledMs,
      startedMs,
      acquiredMs,
      acquireMs: acquiredMs - startedMs,
    };
    if (token === TIMED_OUT) {
      records.push({ ...base, outcome: 'no-token', error: 'harness-timeout' });
      return;
    }
    const tokenExpiresAtMs = token.expiresAt - originEpochMs;
    let outcome: InvocationOutcome;
    try {
      const url = `${stack.url}/vehicles/v${containerId}/overview`;
      const response = container.callApi
        ? await container.callApi(url)
        : await fetch(url, { headers: { authorization: `Bearer ${token.accessToken}` } });
      await response.arrayBuffer();
      outcome =
        response.status === 200 ? 'served' : response.status === 401 ? 'rejected' : 'api-error';
    } catch {
      outcome = 'api-error';
    }
    records.push({ ...base, outcome, tokenExpiresAtMs });
  };

  const runContainer = async (plan: Trace['containers'][number]) => {
    await waitUntil(plan.startMs);
    containersStarted += 1;
    const container = strategy.createContainer(options.containerOptions?.(plan.id));
    try {
      for (const at of plan.invocationsMs) {
        await waitUntil(at);
        await invoke(container, plan.id, at);
      }
    } finally {
      container.dispose();
    }
  };

  const sampler = (async () => {
    const period = options.sampleEveryMs ?? 100;
    while (running) {
      const atMs = now();
      const counters = await stack.counters();
      samples.push({
        atMs,
        endpointCalls: counters['idp.token'] ?? 0,
        tokensIssued: counters['idp.issued'] ?? 0,
      });
      await sleep(Math.max(0, period - (now() - atMs)));
    }
  })();
  const progress = options.onProgress
    ? setInterval(() => {
        options.onProgress?.({
          elapsedMs: now(),
          containersStarted,
          containersTotal: trace.containers.length,
          invocationsDone: records.length,
          invocationsTotal: trace.invocationCount,
          endpointCalls: samples[samples.length - 1]?.endpointCalls ?? 0,
        });
      }, options.progressEveryMs ?? 2_000)
    : undefined;

  const actions = (options.actions ?? []).map(async (action) => {
    await waitUntil(action.atMs);
    await action.run();
  });
  try {
    await Promise.all(trace.containers.map(runContainer));
  } finally {
    running = false;
    clearInterval(progress);
    loopDelay.disable();
  }
  await Promise.all(actions);
  await sampler;
  const durationMs = now();
  const counters = await stack.counters();
  samples.push({
    atMs: durationMs,
    endpointCalls: counters['idp.token'] ?? 0,
    tokensIssued: counters['idp.issued'] ?? 0,
  });
  records.sort((a, b) => a.startedMs - b.startedMs);
  return {
    originEpochMs,
    durationMs,
    records,
    samples,
    counters,
    eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
}

/** A short label for a failure: the error's class and code, never its message. */
function errorLabel(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name}:${code}` : error.name;
  }
  return 'unknown';
}
