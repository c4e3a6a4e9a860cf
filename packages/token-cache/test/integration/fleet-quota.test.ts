/**
 * The refresh protocol against SSM's real scarcity (issue 4, fleet benchmark findings): the
 * account-wide 40 reads/s and about 3 writes/s. Every test counts the local stack's SSM and IdP
 * requests; none depends on how long anything takes.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { LocalStack } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenUnavailableError } from '../../src/errors.js';
import type { TokenCacheEvent } from '../../src/events.js';
import { fleetOf, freshParameterName, startFleetStack } from './fleet-stack.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startFleetStack();
});
afterAll(async () => {
  await stack.stop();
});
beforeEach(() => {
  stack.faults.clear();
  stack.idp.setExpiresIn(86_400);
  stack.counters.reset();
});

async function putLease(name: string, record: object): Promise<void> {
  const client = new SSMClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const value = JSON.stringify({ v: 1, ...record });
    await client.send(
      new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }),
    );
  } finally {
    client.destroy();
  }
}

const count = (events: readonly TokenCacheEvent[], type: TokenCacheEvent['type']) =>
  events.filter((event) => event.type === type).length;

describe('the refresh protocol on a quota-limited SSM', () => {
  it('a container holding a usable token never writes the lease while another holds it', async () => {
    const parameter = freshParameterName('held-lease');
    stack.idp.setExpiresIn(120);
    const [seeder] = fleetOf(stack, parameter, 1).caches;
    const old = await seeder?.getToken();
    // 70 s later the token is inside its refresh window (half of 2 min) and still usable.
    const later = () => Date.now() + 70_000;
    // A live lease within one lease period (a lease claimed further ahead is not obeyed).
    const leaseMs = 30_000;
    await putLease(`${parameter}-lock`, { owner: 'elsewhere', leaseExpiresAt: later() + 20_000 });
    stack.counters.reset();

    const { caches, events } = fleetOf(stack, parameter, 20, {
      random: () => 0,
      clock: later,
      leaseMs,
    });
    const served = await Promise.all(caches.map((cache) => cache.getToken()));

    expect(served.every((token) => token.accessToken === old?.accessToken)).toBe(true);
    // Read first: the held lease cost each container reads, and not one PutParameter.
    expect(stack.counters.get('ssm.PutParameter')).toBe(0);
    expect(stack.counters.get('ssm.DeleteParameter')).toBe(0);
    expect(stack.counters.get('idp.token')).toBe(0);
    expect(count(events, 'lease-acquired')).toBe(0);
  });

  it('a back-off marker is honoured from memory: no store read until backoffUntil', async () => {
    const parameter = freshParameterName('backoff-memory');
    let now = Date.now();
    const backoffUntil = now + 60_000;
    await putLease(`${parameter}-lock`, {
      owner: 'rate-limited',
      leaseExpiresAt: backoffUntil,
      backoffUntil,
      reason: 'HTTP 429',
    });
    const [cache] = fleetOf(stack, parameter, 1, { clock: () => now }).caches;
    if (cache === undefined) throw new Error('no cache');

    // No token anywhere, and the fleet must not call the IdP: fail fast, naming the cause.
    await expect(cache.getToken()).rejects.toThrow(/backed off until .*HTTP 429/);
    const readsAfterFirst = stack.counters.get('ssm.GetParameter');
    expect(readsAfterFirst).toBeGreaterThan(0); // it had to learn of the marker once
    now += 30_000;
    await expect(cache.getToken()).rejects.toBeInstanceOf(TokenUnavailableError);
    expect(stack.counters.get('ssm.GetParameter')).toBe(readsAfterFirst);
    expect(stack.counters.get('idp.token')).toBe(0);

    // Once the back-off has ended, the store is asked again and the refresh goes ahead.
    now = backoffUntil + 1;
    const token = await cache.getToken();
    expect(token.accessToken).toBeTruthy();
    expect(stack.counters.get('ssm.GetParameter')).toBeGreaterThan(readsAfterFirst);
    expect(stack.counters.get('idp.token')).toBe(1);
  });

  it('throttled waiters back off and all obtain the holder token', async () => {
    // Ten reads per second for 25 cold containers on an empty parameter: most first reads are
    // throttled. A long deadline removes timing luck; the assertions are about counts.
    const throttled = await startFleetStack({ readsPerSecond: 10, writesPerSecond: 3 });
    try {
      const parameter = freshParameterName('throttled-waiters');
      const { caches, events } = fleetOf(throttled, parameter, 25, { deadlineMs: 60_000 });
      const served = await Promise.all(caches.map((cache) => cache.getToken()));

      expect(new Set(served.map((token) => token.accessToken)).size).toBe(1);
      expect(throttled.counters.get('idp.token')).toBe(1);
      expect(throttled.counters.get('ssm.throttled')).toBeGreaterThan(0);
      expect(count(events, 'deadline-fallback')).toBe(0);
      // Writes that landed: the winning claim, the few claims that lost the race at the very
      // start, the token, the release (re-based once over a losing claim). Throttled attempts
      // are refused by SSM and cost no write; the holder retries its own, the others never.
      const landed = events.filter((e) => e.type === 'store-write');
      expect(landed.length).toBeLessThanOrEqual(6);
      expect(landed.filter((e) => 'key' in e && e.key === 'token')).toHaveLength(1);
    } finally {
      await throttled.stop();
    }
  });
});
