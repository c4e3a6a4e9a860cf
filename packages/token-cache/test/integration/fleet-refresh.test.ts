/**
 * The fleet-wide refresh protocol over real HTTP on loopback: the local stack's SSM (through
 * the real AWS SDK) and its Auth0-compatible token endpoint, with many cache instances standing
 * for separate Lambda containers. Assertions count upstream requests.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { LocalStack } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TokenCache } from '../../src/cache.js';
import { decodeLease } from '../../src/lease/record.js';
import {
  apiAccepts,
  eventually,
  fleetOf,
  freshParameterName,
  startFleetStack,
} from './fleet-stack.js';

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

function only<T>(list: readonly T[]): T {
  return list[0] as T;
}

async function readParameter(name: string): Promise<string | undefined> {
  const client = new SSMClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return out.Parameter?.Value;
  } catch {
    return undefined;
  }
}

describe('fleet refresh on the local stack', () => {
  it('50 containers with the token near expiry make exactly one endpoint call', async () => {
    const parameter = freshParameterName('near-expiry');
    // A first container stores a token with two minutes left: deep in the 5-minute window.
    stack.idp.setExpiresIn(120);
    const seeder = only(fleetOf(stack, parameter, 1).caches);
    const old = await seeder.getToken();
    stack.idp.setExpiresIn(86_400);
    stack.counters.reset();

    // These containers live 70 s later: the token has 50 s left, inside its refresh window (half
    // of a 2-minute life) yet usable; random 0 puts every refresh point in the past.
    const later = () => Date.now() + 70_000;
    const { caches } = fleetOf(stack, parameter, 50, { random: () => 0, clock: later });
    const served = await Promise.all(caches.map((cache) => cache.getToken()));

    expect(stack.counters.get('idp.token')).toBe(1);
    // The lease winner serves the new token; the others kept serving the still-usable one.
    const fresh = new Set(served.map((t) => t.accessToken).filter((t) => t !== old.accessToken));
    expect(fresh.size).toBe(1);
    const stored = JSON.parse((await readParameter(parameter)) ?? '{}');
    expect(stored.expiresAt).toBeGreaterThan(old.expiresAt);
    // Released by a record, not a delete (on SSM the lock parameter is never deleted).
    expect(decodeLease((await readParameter(`${parameter}-lock`)) ?? '')?.released).toBe(true);
    for (const token of new Set(served.map((t) => t.accessToken))) {
      expect(await apiAccepts(stack, token)).toBe(true);
    }
  });

  it('50 cold containers on an empty parameter make one endpoint call', async () => {
    const parameter = freshParameterName('cold');
    const { caches, events } = fleetOf(stack, parameter, 50);
    const served = await Promise.all(caches.map((cache) => cache.getToken()));
    expect(stack.counters.get('idp.token')).toBe(1);
    expect(new Set(served.map((t) => t.accessToken)).size).toBe(1);
    expect(events.filter((e) => e.type === 'deadline-fallback')).toEqual([]);
  });

  it('a crashed lease holder delays the others by one lease, then one of them takes over', async () => {
    const parameter = freshParameterName('crash');
    // Long enough for a loaded machine: the one that takes over works on two thirds of it
    // (the rest is kept for clock skew), and a lease that ran out under it would mean a second
    // takeover. Shorter than the hung call's 5-s timeout, so the takeover comes first.
    const leaseMs = 3_000;
    // The holder's token request never answers: it "crashed" holding the lease.
    stack.faults.set('idp.token', { failure: 'hang', count: 1 });
    const { caches, events } = fleetOf(stack, parameter, 11, { leaseMs, deadlineMs: 20_000 });
    const [holder, ...others] = caches as [TokenCache, ...TokenCache[]];
    void holder.getToken().catch(() => {});
    await eventually(() => stack.counters.get('idp.token') === 1, 'the holder to call the IdP');

    const served = await Promise.all(others.map((cache) => cache.getToken()));
    expect(new Set(served.map((t) => t.accessToken)).size).toBe(1);
    expect(stack.counters.get('idp.token')).toBe(2); // the hung call and one takeover
    expect(events.filter((e) => e.type === 'lease-acquired' && e.takeover)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'deadline-fallback')).toEqual([]);
    expect(await apiAccepts(stack, only(served).accessToken)).toBe(true);
  });

  it('a hard-throttled SSM costs retries, never endpoint calls', async () => {
    const throttled = await startFleetStack({ readsPerSecond: 10, writesPerSecond: 1 });
    try {
      const parameter = freshParameterName('throttled');
      const seeder = only(fleetOf(throttled, parameter, 1).caches);
      await seeder.getToken();
      throttled.counters.reset();
      // 20 first reads through 10 reads/s take two seconds at best; a long deadline keeps a
      // loaded machine from turning that into a StoreThrottledError.
      const { caches, events } = fleetOf(throttled, parameter, 20, { deadlineMs: 25_000 });
      const served = await Promise.all(caches.map((cache) => cache.getToken()));
      expect(new Set(served.map((t) => t.accessToken)).size).toBe(1);
      expect(throttled.counters.get('idp.token')).toBe(0);
      expect(events.filter((e) => e.type === 'deadline-fallback')).toEqual([]);
      expect(throttled.counters.get('ssm.throttled')).toBeGreaterThan(0);
      expect(events.some((e) => e.type === 'store-throttle')).toBe(true);
    } finally {
      await throttled.stop();
    }
  }, 60_000);

  it('an IdP 429 becomes a back-off marker that the other containers honour', async () => {
    const parameter = freshParameterName('rate-limited');
    stack.idp.setExpiresIn(120);
    const seeder = only(fleetOf(stack, parameter, 1).caches);
    const old = await seeder.getToken();
    stack.idp.setExpiresIn(86_400);
    stack.counters.reset();
    stack.faults.set('idp.token', { failure: 'rate-limit-429', count: 1 });

    // Time runs 100× slower for these containers, so the IdP's one-second reset cannot pass
    // while the test runs, however slow the machine; tokens are hours from expiry either way.
    // They also live 70 s later, like the fleet above: the token is due for refresh, usable.
    const origin = Date.now();
    const clock = () => origin + 70_000 + Math.floor((Date.now() - origin) / 100);
    const { caches, events } = fleetOf(stack, parameter, 21, { clock, random: () => 0 });
    const [first, ...rest] = caches as [TokenCache, ...TokenCache[]];
    await expect(first.getToken()).resolves.toMatchObject({ accessToken: old.accessToken });
    const marker = decodeLease((await readParameter(`${parameter}-lock`)) ?? '');
    expect(marker?.backoffUntil).toBeGreaterThan(clock());

    const served = await Promise.all(rest.map((cache) => cache.getToken()));
    expect(served.every((t) => t.accessToken === old.accessToken)).toBe(true);
    expect(stack.counters.get('idp.token')).toBe(1);
    expect(events.some((e) => e.type === 'stale-serve' && e.reason === 'endpoint-backoff')).toBe(
      true,
    );
    expect(JSON.stringify(events)).not.toContain(old.accessToken);
  });
});
