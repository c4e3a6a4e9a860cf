import { describe, expect, it } from 'vitest';
import type { InvocationRecord } from '../src/fleet.js';
import { physicalMinimum } from '../src/physical-minimum.js';
import { countWithoutTokenWhileUsable } from '../src/summarize.js';

describe('physicalMinimum', () => {
  const base = { tokenLifetimeMs: 20_000, minRemainingMs: 1_500 };

  it.each([
    { invocationsMs: [], expected: 0 },
    { invocationsMs: [0], expected: 1 },
    { invocationsMs: [0, 18_499], expected: 1 },
    { invocationsMs: [0, 18_500], expected: 2 },
    { invocationsMs: [0, 5_000, 18_500, 36_999], expected: 2 },
    { invocationsMs: [37_000, 0, 18_500], expected: 3 },
  ])(
    'counts one call per usable lifetime spanned: $invocationsMs → $expected',
    ({ invocationsMs, expected }) => {
      expect(physicalMinimum({ ...base, invocationsMs })).toBe(expected);
    },
  );

  it('counts nothing while a pre-existing token is usable', () => {
    expect(
      physicalMinimum({ ...base, invocationsMs: [0, 3_000], initialUsableUntilMs: 5_000 }),
    ).toBe(0);
    expect(
      physicalMinimum({ ...base, invocationsMs: [0, 5_000], initialUsableUntilMs: 5_000 }),
    ).toBe(1);
  });
});

describe('countWithoutTokenWhileUsable', () => {
  const record = (overrides: Partial<InvocationRecord>): InvocationRecord => ({
    containerId: 0,
    scheduledMs: 0,
    startedMs: 0,
    acquiredMs: 0,
    acquireMs: 0,
    outcome: 'served',
    ...overrides,
  });

  it('counts failures that started while an earlier-acquired token was usable', () => {
    const records = [
      record({ startedMs: 0, acquiredMs: 100, tokenExpiresAtMs: 10_000 }),
      record({ startedMs: 50, acquiredMs: 60, outcome: 'no-token' }), // before the token arrived
      record({ startedMs: 5_000, acquiredMs: 5_001, outcome: 'no-token' }), // usable: counts
      record({ startedMs: 9_000, acquiredMs: 9_001, outcome: 'no-token' }), // past 10_000 − 1_500
    ];
    expect(countWithoutTokenWhileUsable(records, 1_500)).toBe(1);
  });

  it('does not count a failure that outlasted the only usable token', () => {
    const records = [
      record({ startedMs: 0, acquiredMs: 100, tokenExpiresAtMs: 10_000 }),
      // Started 100 ms before the token's usable life ended (8_500), gave up after it.
      record({ startedMs: 8_400, acquiredMs: 8_600, outcome: 'no-token' }),
      // Gave up while the token was still usable: counts.
      record({ startedMs: 8_000, acquiredMs: 8_499, outcome: 'no-token' }),
    ];
    expect(countWithoutTokenWhileUsable(records, 1_500)).toBe(1);
  });

  it('counts a pre-seeded token as usable', () => {
    const records = [record({ startedMs: 10, acquiredMs: 20, outcome: 'no-token' })];
    expect(countWithoutTokenWhileUsable(records, 1_500, 1_000)).toBe(1);
    expect(countWithoutTokenWhileUsable(records, 1_500)).toBe(0);
  });
});
