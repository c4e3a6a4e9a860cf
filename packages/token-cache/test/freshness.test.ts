import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { freshnessOf, freshnessPolicy, isUsable } from '../src/freshness.js';

const policy = { refreshWindowMs: 300_000, minRemainingMs: 30_000 };
const expiresAt = 2_000_000_000_000;
const refreshStart = expiresAt - policy.refreshWindowMs;
const unusableFrom = expiresAt - policy.minRemainingMs;

describe('freshnessOf', () => {
  it.each([
    ['1 ms before the refresh window', refreshStart - 1, 'fresh'],
    ['exactly at the refresh window', refreshStart, 'usable'],
    ['1 ms into the refresh window', refreshStart + 1, 'usable'],
    ['1 ms before the minimum remaining life', unusableFrom - 1, 'usable'],
    ['exactly at the minimum remaining life', unusableFrom, 'unusable'],
    ['1 ms after the minimum remaining life', unusableFrom + 1, 'unusable'],
    ['at expiry', expiresAt, 'unusable'],
    ['after expiry', expiresAt + 1, 'unusable'],
  ] as const)('%s → %s', (_label, now, expected) => {
    expect(freshnessOf({ expiresAt }, now, policy)).toBe(expected);
    expect(isUsable({ expiresAt }, now, policy)).toBe(expected !== 'unusable');
  });
});

describe('freshnessPolicy', () => {
  it('defaults to the seed’s 5-minute window and 30 s minimum remaining life', () => {
    expect(freshnessPolicy()).toEqual({ refreshWindowMs: 300_000, minRemainingMs: 30_000 });
  });

  it.each([
    [{ refreshWindowMs: 0 }, 'refreshWindowMs'],
    [{ refreshWindowMs: -5 }, 'refreshWindowMs'],
    [{ refreshWindowMs: 1.5 }, 'refreshWindowMs'],
    [{ minRemainingMs: -1 }, 'minRemainingMs'],
    [{ refreshWindowMs: 60_000, minRemainingMs: 60_000 }, 'minRemainingMs'],
    [{ refreshWindowMs: 60_000, minRemainingMs: 90_000 }, 'minRemainingMs'],
    [{ refreshWindowMs: Number.NaN }, 'refreshWindowMs'],
  ])('rejects %o naming %s', (options, variable) => {
    const attempt = () => freshnessPolicy(options);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${variable} must be`));
  });

  it('keeps a small window consistent by halving the default minimum remaining life', () => {
    expect(freshnessPolicy({ refreshWindowMs: 20_000 })).toEqual({
      refreshWindowMs: 20_000,
      minRemainingMs: 10_000,
    });
  });
});
