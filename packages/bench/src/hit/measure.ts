/**
 * A tiny benchmarking loop for operations that take nanoseconds: each contestant is calibrated
 * to run for about `roundMs` per round, rounds are interleaved between contestants (so a busy
 * neighbour on a shared machine slows all of them alike), and the median round is reported.
 */
import { performance } from 'node:perf_hooks';

/** One contestant: an operation whose result the loop consumes (so it is not optimized away). */
export interface Contestant {
  readonly name: string;
  /** One operation. */
  readonly run: () => unknown;
  /** Whether the loop awaits the result (exactly one `await` per operation, as a caller would). */
  readonly awaited: boolean;
}

/** A contestant's result. */
export interface Measurement {
  readonly name: string;
  /** Median nanoseconds per operation over the rounds. */
  readonly nsPerOp: number;
  readonly iterationsPerRound: number;
  readonly rounds: number;
}

/** How long to measure. */
export interface MeasureOptions {
  readonly rounds?: number;
  readonly roundMs?: number;
}

// Consumed results land here; reading `sink` at the end keeps every call observable.
let sink = 0;

async function timeIterations(contestant: Contestant, iterations: number): Promise<number> {
  const { run } = contestant;
  const started = performance.now();
  if (contestant.awaited) {
    for (let i = 0; i < iterations; i += 1) if ((await run()) !== undefined) sink += 1;
  } else {
    for (let i = 0; i < iterations; i += 1) if (run() !== undefined) sink += 1;
  }
  return performance.now() - started;
}

/**
 * Measures every contestant.
 *
 * @example
 * ```ts
 * const map = new Map([['k', 'v']]);
 * const [result] = await measure([{ name: 'map', run: () => map.get('k'), awaited: false }]);
 * result.nsPerOp;
 * ```
 */
export async function measure(
  contestants: readonly Contestant[],
  options: MeasureOptions = {},
): Promise<Measurement[]> {
  const rounds = options.rounds ?? 9;
  const roundMs = options.roundMs ?? 100;
  // Calibrate (this also warms the JIT): grow the iteration count until a batch takes ~roundMs.
  const iterations = new Map<string, number>();
  for (const contestant of contestants) {
    let count = 1_000;
    for (;;) {
      const elapsed = await timeIterations(contestant, count);
      if (elapsed >= roundMs / 4 || count >= 50_000_000) {
        iterations.set(
          contestant.name,
          Math.max(1_000, Math.round((count * roundMs) / Math.max(elapsed, 0.001))),
        );
        break;
      }
      count *= 4;
    }
  }
  const samples = new Map<string, number[]>(contestants.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const contestant of contestants) {
      const count = iterations.get(contestant.name) ?? 1_000;
      const elapsed = await timeIterations(contestant, count);
      samples.get(contestant.name)?.push((elapsed * 1e6) / count);
    }
  }
  if (sink === -1) process.stdout.write(''); // never true; keeps `sink` live
  return contestants.map((contestant) => {
    const values = [...(samples.get(contestant.name) ?? [])].sort((a, b) => a - b);
    return {
      name: contestant.name,
      nsPerOp: values[Math.floor(values.length / 2)] ?? Number.NaN,
      iterationsPerRound: iterations.get(contestant.name) ?? 0,
      rounds,
    };
  });
}
