/**
 * Nothing foreign is trusted (design guarantee 10): every bad value in the parameter is a miss,
 * never a crash, and is then overwritten with a valid envelope. A bare JWT that says it is
 * usable is used.
 */
import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { LocalStack } from '@token-cache/local-stack';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  containerCache,
  eventRecorder,
  ssmClientFor,
  startStack,
  uniqueParameterName,
} from './stack-helpers.js';

let stack: LocalStack;
let ssm: SSMClient;
beforeAll(async () => {
  stack = await startStack();
  ssm = ssmClientFor(stack);
});
afterAll(async () => {
  ssm.destroy();
  await stack.stop();
});
beforeEach(() => {
  stack.counters.reset();
});

const HOUR_MS = 3_600_000;

function envelope(overrides: Record<string, unknown> = {}): string {
  const now = Date.now();
  return JSON.stringify({
    v: 1,
    accessToken: 'stored.envelope.token',
    expiresAt: now + 12 * HOUR_MS,
    issuedAt: now,
    issuer: stack.issuer,
    audience: stack.env.AUTH0_AUDIENCE,
    clientId: stack.env.AUTH0_M2M_CLIENT_ID,
    ...overrides,
  });
}

function bareJwt(claims: { iss?: string; aud?: string; expiresInMs: number }): string {
  const jwt = new UnsecuredJWT({ azp: stack.env.AUTH0_M2M_CLIENT_ID })
    // Issued an hour before it expires, as a real token is: an `iat` after `exp` is implausible.
    .setIssuedAt(Math.floor((Date.now() + claims.expiresInMs - HOUR_MS) / 1000))
    .setExpirationTime(Math.floor((Date.now() + claims.expiresInMs) / 1000));
  if (claims.iss) jwt.setIssuer(claims.iss);
  if (claims.aud) jwt.setAudience(claims.aud);
  return jwt.encode();
}

async function storeRaw(name: string, value: string): Promise<void> {
  await ssm.send(
    new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString', Overwrite: true }),
  );
}

async function readRaw(name: string): Promise<string | undefined> {
  const output = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  return output.Parameter?.Value;
}

describe('bad stored values are a miss, then overwritten with a valid envelope', () => {
  it.each([
    ['the Terraform placeholder', () => 'not-initialized', 'not-initialized'],
    ['whitespace (SSM cannot store an empty value)', () => '   ', 'empty'],
    ['garbage', () => 'garbage{{', 'garbage'],
    ['truncated JSON', () => envelope().slice(0, 40), 'garbage'],
    ['an envelope of an unknown version', () => envelope({ v: 99 }), 'unsupported-version'],
    [
      'an envelope for another audience',
      () => envelope({ audience: 'https://other.api' }),
      'foreign-audience',
    ],
    [
      'an envelope from another issuer',
      () => envelope({ issuer: 'https://evil.example/' }),
      'foreign-issuer',
    ],
    [
      'an envelope of another client',
      () => envelope({ clientId: 'someone-else' }),
      'foreign-client',
    ],
    [
      'an expired envelope',
      () => envelope({ expiresAt: Date.now() - 1000, issuedAt: Date.now() - HOUR_MS }),
      'expired',
    ],
    [
      'an envelope claiming ten years for an expired JWT',
      () =>
        envelope({
          accessToken: bareJwt({
            iss: stack.issuer,
            aud: stack.env.AUTH0_AUDIENCE,
            expiresInMs: -60_000,
          }),
          expiresAt: Date.now() + 10 * 365 * 24 * HOUR_MS,
        }),
      'implausible-expiry',
    ],
    [
      'an envelope expiring more than a year ahead',
      () => envelope({ expiresAt: Date.now() + 366 * 24 * HOUR_MS }),
      'implausible-expiry',
    ],
    [
      'an envelope inside its minimum remaining life',
      () => envelope({ expiresAt: Date.now() + 10_000 }),
      'expired',
    ],
    [
      'an expired bare JWT',
      () => bareJwt({ iss: stack.issuer, aud: stack.env.AUTH0_AUDIENCE, expiresInMs: -60_000 }),
      'expired',
    ],
    [
      'a bare JWT for another audience',
      () => bareJwt({ iss: stack.issuer, aud: 'https://other.api', expiresInMs: HOUR_MS }),
      'foreign-audience',
    ],
  ])('%s', async (_label, value, reason) => {
    const name = uniqueParameterName('bad-value');
    await storeRaw(name, value());
    const recorder = eventRecorder();
    const cache = containerCache(stack, name, { overrides: { onEvent: recorder.listener } });

    const token = await cache.getToken();

    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(recorder.events).toContainEqual({ type: 'miss', tier: 'store', reason });
    const stored = JSON.parse((await readRaw(name)) ?? '{}');
    expect(stored).toMatchObject({
      v: 1,
      accessToken: token.accessToken,
      expiresAt: token.expiresAt,
      issuer: stack.issuer,
      audience: stack.env.AUTH0_AUDIENCE,
    });
    // The next container now hits the store: no further endpoint call.
    await containerCache(stack, name).getToken();
    expect(stack.counters.get('idp.issued')).toBe(1);
  });
});

describe('usable stored values are served without calling the endpoint', () => {
  it('uses a valid bare JWT (no envelope) whose exp says it is usable', async () => {
    const name = uniqueParameterName('bare-jwt');
    const jwt = bareJwt({ iss: stack.issuer, aud: stack.env.AUTH0_AUDIENCE, expiresInMs: HOUR_MS });
    await storeRaw(name, jwt);
    const token = await containerCache(stack, name).getToken();
    expect(token.accessToken).toBe(jwt);
    expect(stack.counters.get('idp.token')).toBe(0);
  });

  it('uses a valid envelope written by another container', async () => {
    const name = uniqueParameterName('good-envelope');
    await storeRaw(name, envelope());
    const token = await containerCache(stack, name).getToken();
    expect(token.accessToken).toBe('stored.envelope.token');
    expect(stack.counters.get('idp.token')).toBe(0);
  });
});
