import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/random.js';
import { generateTrace, type TraceSpec } from '../src/trace.js';

const SPEC: TraceSpec = {
  durationMs: 10_000,
  steadyContainers: 120,
  bursts: [{ atMs: 4_000, containers: 30, spreadMs: 500 }],
  containerLifetimeMs: { min: 200, max: 600 },
  invocationGapMs: 100,
  maxInvocationsPerContainer: 5,
};

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const take = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
    for (const value of take(123)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe('generateTrace', () => {
  it('generates the same trace for the same seed, and another for another seed', () => {
    expect(generateTrace(SPEC, 42)).toEqual(generateTrace(SPEC, 42));
    expect(generateTrace(SPEC, 42).containers).not.toEqual(generateTrace(SPEC, 43).containers);
  });

  it('has the stated number of containers, sorted, with ids in order', () => {
    const trace = generateTrace(SPEC, 1);
    expect(trace.containers).toHaveLength(150);
    trace.containers.forEach((container, index) => {
      expect(container.id).toBe(index);
      if (index > 0) {
        expect(container.startMs).toBeGreaterThanOrEqual(trace.containers[index - 1]?.startMs ?? 0);
      }
    });
  });

  it('starts steady containers within the duration and packs the burst into its window', () => {
    const trace = generateTrace({ ...SPEC, bursts: [] }, 1);
    for (const container of trace.containers) {
      expect(container.startMs).toBeGreaterThanOrEqual(0);
      expect(container.startMs).toBeLessThan(SPEC.durationMs);
    }
    const withBurst = generateTrace(SPEC, 1);
    const inWindow = withBurst.containers.filter((c) => c.startMs >= 4_000 && c.startMs < 4_500);
    // The 30 burst containers, plus the few steady ones that happen to start then (~6 expected).
    expect(inWindow.length).toBeGreaterThanOrEqual(30);
    expect(inWindow.length).toBeLessThan(45);
  });

  it('draws lifetimes from the range and schedules invocations inside each lifetime', () => {
    const trace = generateTrace(SPEC, 3);
    let total = 0;
    for (const container of trace.containers) {
      expect(container.lifetimeMs).toBeGreaterThanOrEqual(200);
      expect(container.lifetimeMs).toBeLessThanOrEqual(600);
      expect(container.invocationsMs[0]).toBe(container.startMs);
      expect(container.invocationsMs.length).toBeLessThanOrEqual(5);
      container.invocationsMs.forEach((at, index) => {
        expect(at).toBeLessThan(container.startMs + container.lifetimeMs);
        if (index > 0) expect(at).toBeGreaterThan(container.invocationsMs[index - 1] ?? 0);
      });
      total += container.invocationsMs.length;
    }
    expect(trace.invocationCount).toBe(total);
    // Mean gap 100 ms over 200–600 ms lifetimes: warm containers get more than the cold start.
    expect(total).toBeGreaterThan(trace.containers.length * 2);
  });

  it('rejects a bad spec with an error naming the field', () => {
    expect(() => generateTrace({ ...SPEC, durationMs: 0 }, 1)).toThrow(/durationMs/);
    expect(() => generateTrace({ ...SPEC, steadyContainers: 1.5 }, 1)).toThrow(/steadyContainers/);
    expect(() =>
      generateTrace({ ...SPEC, containerLifetimeMs: { min: 600, max: 200 } }, 1),
    ).toThrow(/containerLifetimeMs.max/);
    expect(() =>
      generateTrace({ ...SPEC, bursts: [{ atMs: 0, containers: -1, spreadMs: 1 }] }, 1),
    ).toThrow(/bursts\[0\]\.containers/);
    expect(() => generateTrace(SPEC, 1.5)).toThrow(/seed/);
  });
});
