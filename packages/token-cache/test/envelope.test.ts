import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, PLACEHOLDER_VALUE } from '../src/envelope.js';
import type { Token } from '../src/token.js';
import { IDENTITY } from './cache.fakes.js';

const policy = { refreshWindowMs: 300_000, minRemainingMs: 30_000 };
const now = 1_700_000_000_000;
const token: Token = {
  accessToken: 'header.payload.signature',
  expiresAt: now + 3_600_000,
  issuedAt: now,
  tokenType: 'Bearer',
  clientId: 'client-a',
  scope: 'read:vehicles',
};

function envelopeWith(overrides: Record<string, unknown>): string {
  return JSON.stringify({ ...JSON.parse(encodeEnvelope(token, IDENTITY)), ...overrides });
}

function jwt(claims: Record<string, unknown>, expSeconds = Math.floor(now / 1000) + 3600) {
  return new UnsecuredJWT(claims).setExpirationTime(expSeconds).encode();
}

describe('encodeEnvelope / decodeEnvelope', () => {
  it('round-trips a token with its identity in a versioned envelope', () => {
    const value = encodeEnvelope(token, IDENTITY);
    expect(JSON.parse(value)).toMatchObject({
      v: 1,
      issuer: IDENTITY.issuer,
      audience: IDENTITY.audience,
      clientId: 'client-a',
      expiresAt: token.expiresAt,
      issuedAt: now,
    });
    expect(decodeEnvelope(value, IDENTITY, now, policy)).toEqual({ ok: true, token });
  });

  it.each([
    ['the Terraform placeholder', PLACEHOLDER_VALUE, 'not-initialized'],
    ['an empty value', '', 'empty'],
    ['whitespace', '   ', 'empty'],
    ['garbage text', 'hello world', 'garbage'],
    ['broken JSON', '{"v":1,', 'garbage'],
    ['JSON null-ish', '{}', 'garbage'],
    ['a future envelope version', envelopeWith({ v: 2 }), 'unsupported-version'],
    ['an empty access token', envelopeWith({ accessToken: '' }), 'garbage'],
    ['a non-numeric expiry', envelopeWith({ expiresAt: 'soon' }), 'garbage'],
    ['another issuer', envelopeWith({ issuer: 'https://evil.example.com/' }), 'foreign-issuer'],
    ['another audience', envelopeWith({ audience: 'https://other.api' }), 'foreign-audience'],
    ['another client', envelopeWith({ clientId: 'client-z' }), 'foreign-client'],
    // Issued an hour before it expired: an issue instant after the expiry is implausible instead.
    [
      'an expired token',
      envelopeWith({ expiresAt: now - 1, issuedAt: now - 3_600_001 }),
      'expired',
    ],
    [
      // Beyond the 2 s that `exp`'s whole seconds and the endpoint's clock may account for.
      'an expiry later than the JWT’s own exp',
      envelopeWith({
        accessToken: jwt({}),
        expiresAt: (Math.floor(now / 1000) + 3600) * 1000 + 2_001,
      }),
      'implausible-expiry',
    ],
    [
      'an expiry more than a year ahead',
      envelopeWith({ expiresAt: now + 366 * 24 * 3_600_000 }),
      'implausible-expiry',
    ],
    [
      'an issue instant after the expiry',
      envelopeWith({ issuedAt: now + 3_600_001 }),
      'implausible-expiry',
    ],
    [
      'a token inside its minimum remaining life',
      envelopeWith({ expiresAt: now + 30_000 }),
      'expired',
    ],
  ])('treats %s as a miss (%s), never a throw', (_label, value, reason) => {
    expect(decodeEnvelope(value, IDENTITY, now, policy)).toEqual({ ok: false, reason });
  });

  it('accepts an issuer that differs only by the trailing slash', () => {
    const decoded = decodeEnvelope(
      envelopeWith({ issuer: 'https://tenant.example.com' }),
      IDENTITY,
      now,
      policy,
    );
    expect(decoded.ok).toBe(true);
  });
});

describe('bare JWT values', () => {
  it('uses a bare JWT whose exp says it is usable and whose iss/aud match', () => {
    const value = jwt({ iss: IDENTITY.issuer, aud: IDENTITY.audience, azp: 'client-a' });
    const decoded = decodeEnvelope(value, IDENTITY, now, policy);
    expect(decoded).toMatchObject({
      ok: true,
      token: { accessToken: value, clientId: 'client-a' },
    });
    expect(decoded.ok && decoded.token.expiresAt).toBe((Math.floor(now / 1000) + 3600) * 1000);
  });

  it('accepts a bare JWT without iss/aud claims', () => {
    expect(decodeEnvelope(jwt({}), IDENTITY, now, policy).ok).toBe(true);
  });

  it.each([
    ['expired', jwt({}, Math.floor(now / 1000) - 1), 'expired'],
    ['for another issuer', jwt({ iss: 'https://evil/' }), 'foreign-issuer'],
    ['for another audience', jwt({ aud: ['https://other'] }), 'foreign-audience'],
    ['for another client', jwt({ azp: 'client-z' }), 'foreign-client'],
    ['without exp', new UnsecuredJWT({}).encode(), 'garbage'],
  ])('rejects a bare JWT %s', (_label, value, reason) => {
    expect(decodeEnvelope(value, IDENTITY, now, policy)).toEqual({ ok: false, reason });
  });
});
