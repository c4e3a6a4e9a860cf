/**
 * Multi-region over SSM, the way issue 7 describes it: the same parameter in two regions, each
 * region a separate local stack (its own SSM endpoint, counters and faults). The refresher
 * writes to every region; readers use their own region and fall back to the primary.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenCache } from '../src/cache.js';
import type { TokenCacheEvent } from '../src/events.js';
import { auth0ClientCredentials } from '../src/sources/auth0.js';
import { MultiRegionStore } from '../src/stores/multi-region-store.js';
import { SsmStore } from '../src/stores/ssm-store.js';

const PRIMARY = 'us-west-2';
const REPLICA = 'eu-west-1';

// Two regions; the IdP of the primary's stack serves both (there is one Auth0 tenant).
let west: LocalStack;
let europe: LocalStack;
let parameter = 0;

beforeAll(async () => {
  const unthrottled = { ssm: { readsPerSecond: 0, writesPerSecond: 0 } };
  [west, europe] = await Promise.all([start(unthrottled), start(unthrottled)]);
});
afterAll(async () => {
  await Promise.all([west?.stop(), europe?.stop()]);
});
beforeEach(() => {
  for (const stack of [west, europe]) {
    stack.counters.reset();
    stack.faults.clear();
  }
});

function ssmStore(stack: LocalStack, region: string, parameterName: string): SsmStore {
  const client = new SSMClient({
    endpoint: stack.url,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return new SsmStore({ parameterName, client, timeoutMs: 1_000 });
}

/** A container in `localRegion`: a cache over a multi-region store. */
function container(parameterName: string, localRegion: string, events: TokenCacheEvent[] = []) {
  const store = new MultiRegionStore({
    primary: { region: PRIMARY, store: ssmStore(west, PRIMARY, parameterName) },
    replicas: [{ region: REPLICA, store: ssmStore(europe, REPLICA, parameterName) }],
    localRegion,
    onEvent: (event) => events.push(event),
  });
  const cache = createTokenCache({
    source: auth0ClientCredentials({
      domain: west.url,
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      audience: DEFAULT_CLIENT.audience,
    }),
    store,
    onEvent: (event) => events.push(event),
  });
  return { cache, store };
}

describe('multi-region SSM', () => {
  it('writes the refreshed token to the parameter in every region', async () => {
    const name = `/vwc/test/multi-region-${++parameter}`;
    const { cache } = container(name, PRIMARY);
    const token = await cache.getToken();

    for (const [stack, region] of [
      [west, PRIMARY],
      [europe, REPLICA],
    ] as const) {
      const stored = await ssmStore(stack, region, name).get('token');
      expect(stored?.value).toContain(token.accessToken);
    }
    expect(west.counters.get('ssm.PutParameter')).toBeGreaterThan(0);
    expect(europe.counters.get('ssm.PutParameter')).toBeGreaterThan(0);
  });

  it("serves a replica region's cold start from its own region, without the endpoint", async () => {
    const name = `/vwc/test/multi-region-${++parameter}`;
    const token = await container(name, PRIMARY).cache.getToken();
    for (const stack of [west, europe]) stack.counters.reset();

    const { cache } = container(name, REPLICA);
    expect((await cache.getToken()).accessToken).toBe(token.accessToken);
    expect(europe.counters.get('ssm.GetParameter')).toBe(1);
    expect(west.counters.get('ssm.GetParameter')).toBe(0);
    expect(west.counters.get('idp.token')).toBe(0);
  });

  it("falls back to the primary when the local region's SSM fails", async () => {
    const name = `/vwc/test/multi-region-${++parameter}`;
    const token = await container(name, PRIMARY).cache.getToken();
    for (const stack of [west, europe]) stack.counters.reset();
    europe.faults.set('ssm', { failure: 'http-503' });

    const events: TokenCacheEvent[] = [];
    const { cache } = container(name, REPLICA, events);
    expect((await cache.getToken()).accessToken).toBe(token.accessToken);
    expect(west.counters.get('ssm.GetParameter')).toBe(1);
    expect(west.counters.get('idp.token')).toBe(0);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store-error', operation: `${REPLICA}:GetParameter` }),
    );
  });

  it('keeps refreshing and sharing when a replica region is down', async () => {
    const name = `/vwc/test/multi-region-${++parameter}`;
    europe.faults.set('ssm', { failure: 'reset' });
    const events: TokenCacheEvent[] = [];
    const token = await container(name, PRIMARY, events).cache.getToken();

    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store-error', operation: `${REPLICA}:PutParameter` }),
    );
    europe.faults.clear();
    west.counters.reset();
    // The replica missed the write: its readers find nothing locally and read the primary.
    const { cache } = container(name, REPLICA);
    expect((await cache.getToken()).accessToken).toBe(token.accessToken);
    expect(west.counters.get('idp.token')).toBe(0);
  });

  it('keeps the lease in the primary region only', async () => {
    const name = `/vwc/test/multi-region-${++parameter}`;
    const { store } = container(name, REPLICA);
    expect(
      await store.create('lease', JSON.stringify({ v: 1, owner: 'x', leaseExpiresAt: 1 })),
    ).toBe(true);
    expect(await ssmStore(west, PRIMARY, name).get('lease')).toBeDefined();
    expect(await ssmStore(europe, REPLICA, name).get('lease')).toBeUndefined();
  });
});
