import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ttlEpochSeconds, valueExpiresAt } from '../src/stores/dynamodb-ttl.js';

describe('valueExpiresAt', () => {
  it.each([
    ['a token envelope', '{"v":1,"accessToken":"t","expiresAt":1700000000000}', 1_700_000_000_000],
    ['a lease record', '{"v":1,"owner":"a","leaseExpiresAt":1700000015000}', 1_700_000_015_000],
    ['the placeholder', 'not-initialized', undefined],
    ['garbage JSON', '{"expiresAt":', undefined],
    ['a non-numeric expiry', '{"expiresAt":"soon"}', undefined],
    ['three dots of garbage', 'a.b.c', undefined],
  ])('reads %s', (_, value, expected) => {
    expect(valueExpiresAt(value)).toBe(expected);
  });

  it("reads a bare JWT's exp claim, in milliseconds", () => {
    const jwt = new UnsecuredJWT({}).setExpirationTime(1_700_000_000).encode();
    expect(valueExpiresAt(jwt)).toBe(1_700_000_000_000);
  });
});

describe('ttlEpochSeconds', () => {
  const options = { nowMs: 1_000_000, marginMs: 3_600_000, fallbackTtlMs: 172_800_000 };

  it('is the expiry plus the margin, rounded up to whole seconds', () => {
    expect(ttlEpochSeconds('{"expiresAt":1700000000001}', options)).toBe(1_700_003_601);
  });

  it('falls back to now plus the fallback for a value without expiry', () => {
    expect(ttlEpochSeconds('not-initialized', options)).toBe((1_000_000 + 172_800_000) / 1000);
  });
});
