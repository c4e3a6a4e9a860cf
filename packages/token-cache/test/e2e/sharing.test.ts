/**
 * The product's promise, end to end over loopback HTTP with the real AWS SDK: separate
 * containers (fresh cache instances) share one token through SSM, and the token endpoint is
 * called once.
 */
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { LocalStack } from '@token-cache/local-stack';
import { describe, expect, it } from 'vitest';
import { containerCache, ssmClientFor, uniqueParameterName, useStack } from './stack-helpers.js';

let stack: LocalStack;
useStack((started) => {
  stack = started;
});

describe("the seed's three tests, on the real stack", () => {
  it('first call fetches; second reuses; after clear the next call fetches anew', async () => {
    const parameter = uniqueParameterName('seed');
    const cache = containerCache(stack, parameter);

    const first = await cache.getToken();
    expect(stack.counters.get('idp.issued')).toBe(1);

    const second = await cache.getToken();
    expect(second.accessToken).toBe(first.accessToken);
    expect(stack.counters.get('idp.issued')).toBe(1);

    await cache.clear();
    const stored = await ssmClientFor(stack).send(
      new GetParameterCommand({ Name: parameter, WithDecryption: true }),
    );
    expect(stored.Parameter?.Value).toBe('not-initialized');

    const third = await cache.getToken();
    expect(stack.counters.get('idp.issued')).toBe(2);
    expect(third.expiresAt).toBeGreaterThanOrEqual(first.expiresAt);
  });

  it('stores a versioned JSON envelope in the SecureString value, never in Description', async () => {
    const parameter = uniqueParameterName('envelope');
    const token = await containerCache(stack, parameter).getToken();
    const client = ssmClientFor(stack);
    const raw = await client.send(new GetParameterCommand({ Name: parameter }));
    expect(raw.Parameter?.Type).toBe('SecureString');
    const decrypted = await client.send(
      new GetParameterCommand({ Name: parameter, WithDecryption: true }),
    );
    const envelope = JSON.parse(decrypted.Parameter?.Value ?? '{}');
    expect(envelope).toMatchObject({
      v: 1,
      accessToken: token.accessToken,
      expiresAt: token.expiresAt,
      issuer: stack.issuer,
      audience: stack.env.AUTH0_AUDIENCE,
      clientId: stack.env.AUTH0_M2M_CLIENT_ID,
    });
  });
});

describe('sharing across containers', () => {
  it('20 containers one after another: 1 token-endpoint call, then 1 store read per cold start', async () => {
    const parameter = uniqueParameterName('sequential');
    const first = await containerCache(stack, parameter).getToken();
    const readsByFirst = stack.counters.get('ssm.GetParameter');
    const tokens: string[] = [];
    for (let container = 1; container < 20; container++) {
      tokens.push((await containerCache(stack, parameter).getToken()).accessToken);
    }
    expect(tokens.every((token) => token === first.accessToken)).toBe(true);
    expect(stack.counters.get('idp.issued')).toBe(1);
    // Guarantee 3: a cold start that finds a fresh token costs exactly one read, no lock.
    expect(stack.counters.get('ssm.GetParameter') - readsByFirst).toBe(19);
    // All by the first: lease claim, token, release record (the lock parameter is never deleted).
    expect(stack.counters.get('ssm.PutParameter')).toBe(3);
    expect(stack.counters.get('ssm.DeleteParameter')).toBe(0);
    expect(stack.counters.get('ssm.DescribeParameters')).toBe(0);
  });

  it('20 containers starting at the same moment on an empty store: 1 token-endpoint call', async () => {
    const parameter = uniqueParameterName('burst');
    const caches = Array.from({ length: 20 }, () => containerCache(stack, parameter));
    const tokens = await Promise.all(caches.map((cache) => cache.getToken()));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('100 concurrent getToken() calls in one container: 1 token-endpoint call', async () => {
    const cache = containerCache(stack, uniqueParameterName('concurrent'));
    const tokens = await Promise.all(Array.from({ length: 100 }, () => cache.getToken()));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(stack.counters.get('idp.token')).toBe(1);
  });

  it('memory hits make no I/O at all', async () => {
    const cache = containerCache(stack, uniqueParameterName('memory'));
    await cache.getToken();
    const before = stack.counters.snapshot();
    for (let call = 0; call < 50; call++) await cache.getToken();
    expect(stack.counters.snapshot()).toEqual(before);
  });
});
