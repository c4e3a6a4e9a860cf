/**
 * The arrival trace: which simulated Lambda containers cold-start when, how long each lives and
 * when each receives invocations. Generated from a seed, so every strategy of a run (and every
 * rerun with the same seed) replays exactly the same fleet.
 *
 * Shape: `steadyContainers` cold starts spread uniformly at random over `durationMs` (a Poisson
 * process conditioned on its count), plus bursts of cold starts packed into short windows.
 * Each container lives a uniformly drawn lifetime (the seed document's 15–45 min, scaled) and
 * serves one invocation at its cold start, then further invocations separated by exponential
 * gaps until its lifetime ends.
 */
import { exponential, seededRandom, uniform } from './random.js';

/** A burst of cold starts packed into `spreadMs` from `atMs`. */
export interface BurstSpec {
  readonly atMs: number;
  readonly containers: number;
  readonly spreadMs: number;
}

/** What a trace looks like; every time is milliseconds from the start of the run. */
export interface TraceSpec {
  /** Steady cold starts are spread over [0, durationMs). */
  readonly durationMs: number;
  readonly steadyContainers: number;
  readonly bursts?: readonly BurstSpec[];
  /** Container lifetime, drawn uniformly from [min, max]. */
  readonly containerLifetimeMs: { readonly min: number; readonly max: number };
  /** Mean gap between two invocations of one container. */
  readonly invocationGapMs: number;
  /** Bound on invocations per container (keeps a run's work bounded). Default 20. */
  readonly maxInvocationsPerContainer?: number;
}

/** One simulated container. */
export interface ContainerPlan {
  readonly id: number;
  readonly startMs: number;
  readonly lifetimeMs: number;
  /** Invocation times (absolute, ascending); the first is the cold start itself. */
  readonly invocationsMs: readonly number[];
}

/** A generated trace. */
export interface Trace {
  readonly seed: number;
  readonly spec: TraceSpec;
  /** Sorted by start time; ids are positions in this array. */
  readonly containers: readonly ContainerPlan[];
  readonly invocationCount: number;
  /** Time of the last invocation. */
  readonly lastInvocationMs: number;
}

const DEFAULT_MAX_INVOCATIONS = 20;

function requireNumber(field: string, value: number, { positive = false } = {}): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (positive && value === 0)
  ) {
    throw new TypeError(
      `trace ${field} must be a ${positive ? 'positive' : 'non-negative'} finite number, got ${JSON.stringify(value)}`,
    );
  }
}

function validate(spec: TraceSpec): void {
  requireNumber('durationMs', spec.durationMs, { positive: true });
  requireNumber('steadyContainers', spec.steadyContainers);
  if (!Number.isInteger(spec.steadyContainers)) {
    throw new TypeError(`trace steadyContainers must be an integer, got ${spec.steadyContainers}`);
  }
  requireNumber('containerLifetimeMs.min', spec.containerLifetimeMs.min, { positive: true });
  requireNumber('containerLifetimeMs.max', spec.containerLifetimeMs.max, { positive: true });
  if (spec.containerLifetimeMs.max < spec.containerLifetimeMs.min) {
    throw new TypeError('trace containerLifetimeMs.max must be at least containerLifetimeMs.min');
  }
  requireNumber('invocationGapMs', spec.invocationGapMs, { positive: true });
  const max = spec.maxInvocationsPerContainer ?? DEFAULT_MAX_INVOCATIONS;
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError(`trace maxInvocationsPerContainer must be a positive integer, got ${max}`);
  }
  for (const [index, burst] of (spec.bursts ?? []).entries()) {
    requireNumber(`bursts[${index}].atMs`, burst.atMs);
    requireNumber(`bursts[${index}].spreadMs`, burst.spreadMs);
    if (!Number.isInteger(burst.containers) || burst.containers < 0) {
      throw new TypeError(
        `trace bursts[${index}].containers must be a non-negative integer, got ${burst.containers}`,
      );
    }
  }
}

/**
 * Generates the trace for `spec` and `seed`; the same inputs always give the same trace.
 *
 * @example
 * ```ts
 * const trace = generateTrace(
 *   { durationMs: 10_000, steadyContainers: 100, containerLifetimeMs: { min: 200, max: 600 }, invocationGapMs: 100 },
 *   7,
 * );
 * trace.containers.length; // 100
 * ```
 */
export function generateTrace(spec: TraceSpec, seed: number): Trace {
  validate(spec);
  const random = seededRandom(seed);
  const starts: number[] = [];
  for (let i = 0; i < spec.steadyContainers; i += 1) starts.push(random() * spec.durationMs);
  for (const burst of spec.bursts ?? []) {
    for (let i = 0; i < burst.containers; i += 1)
      starts.push(burst.atMs + random() * burst.spreadMs);
  }
  starts.sort((a, b) => a - b);

  const maxInvocations = spec.maxInvocationsPerContainer ?? DEFAULT_MAX_INVOCATIONS;
  let invocationCount = 0;
  let lastInvocationMs = 0;
  const containers = starts.map((startMs, id): ContainerPlan => {
    const lifetimeMs = uniform(random, spec.containerLifetimeMs.min, spec.containerLifetimeMs.max);
    const invocationsMs = [startMs];
    let at = startMs + exponential(random, spec.invocationGapMs);
    while (at < startMs + lifetimeMs && invocationsMs.length < maxInvocations) {
      invocationsMs.push(at);
      at += exponential(random, spec.invocationGapMs);
    }
    invocationCount += invocationsMs.length;
    lastInvocationMs = Math.max(lastInvocationMs, invocationsMs[invocationsMs.length - 1] ?? 0);
    return { id, startMs, lifetimeMs, invocationsMs };
  });
  return { seed, spec, containers, invocationCount, lastInvocationMs };
}
