/**
 * The bounds' arithmetic: the read quota's floor and the check against a strategy's results
 * (pure functions, no stack).
 */
import { describe, expect, it } from 'vitest';
import { evaluateBounds, readQuotaBound, throttledColdStartFloor } from '../src/bounds.js';
import type { StrategyResult } from '../src/summarize.js';

describe('readQuotaBound', () => {
  it('admits reads/s over the window, plus one second of burst', () => {
    const bound = readQuotaBound({ readsPerSecond: 40, windowMs: 15_000, coldStarts: 1_000 });
    expect(bound.windowMs).toBe(15_000);
    expect(bound.reads).toBe(640);
    expect(bound.containersWithoutTokenFloor).toBe(360);
  });

  it('has no floor when the quota covers every cold start', () => {
    const bound = readQuotaBound({ readsPerSecond: 40, windowMs: 11_000, coldStarts: 100 });
    expect(bound.containersWithoutTokenFloor).toBe(0);
  });
});

describe('evaluateBounds', () => {
  const result = (name: StrategyResult['name'], endpointCalls: number, minimum: number) =>
    ({ name, endpointCalls, physicalMinimum: minimum }) as unknown as StrategyResult;

  it('checks each strategy against its own limit', () => {
    const [outcome] = evaluateBounds(
      [
        {
          label: 'endpoint calls ≤ minimum + 1',
          metric: 'endpointCalls',
          atMost: (r) => r.physicalMinimum + 1,
          strategies: ['shared'],
        },
      ],
      [result('shared', 3, 2), result('memory-only', 40, 2)],
    );
    expect(outcome?.results).toEqual([
      { strategy: 'shared', actual: 3, atMost: 3, met: true },
      { strategy: 'memory-only', actual: 40, atMost: 3, met: false },
    ]);
  });

  it('counts a metric the run never reached (no token issued) as not met', () => {
    const [outcome] = evaluateBounds(
      [
        {
          label: 'a token by 12 s',
          metric: 'firstTokenIssuedAtMs',
          atMost: () => 12_000,
          strategies: ['shared'],
        },
      ],
      [result('shared', 1, 1)],
    );
    expect(outcome?.results[0]?.met).toBe(false);
  });
});

describe('throttledColdStartFloor', () => {
  it('is the expected number of cold starts whose every read in the store share is throttled', () => {
    // 6,667 ms / (500 + 10) ms: at least 13 reads each; 240 × 0.8^13 ≈ 13.2.
    const input = { coldStarts: 240, storeShareMs: 6_667, retryCapMs: 500, latencyMs: 10 };
    expect(throttledColdStartFloor({ ...input, throttleRate: 0.8 })).toBe(14);
    expect(throttledColdStartFloor({ ...input, throttleRate: 0 })).toBe(0);
    expect(throttledColdStartFloor({ ...input, throttleRate: 1 })).toBe(240);
  });
});
