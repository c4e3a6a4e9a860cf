import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import type { TokenCacheEvent } from '../src/events.js';
import { DynamoDbStore } from '../src/stores/dynamodb-store.js';
import {
  MULTI_REGION_VARIABLES,
  multiRegionStoreFor,
  parseRegionList,
} from '../src/stores/multi-region-config.js';
import { MultiRegionStore } from '../src/stores/multi-region-store.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb-local.js';

const TABLE = 'token-cache';
const HOUR_MS = 3_600_000;
const NOW = Date.UTC(2026, 0, 1, 12);
const envelope = (accessToken: string, expiresAt: number) =>
  JSON.stringify({ v: 1, accessToken, expiresAt });

// Two regions = two independent DynamoDB endpoints on loopback.
let west: LocalDynamoDb;
let east: LocalDynamoDb;
let item = 0;

beforeAll(async () => {
  [west, east] = await Promise.all([startLocalDynamoDb(), startLocalDynamoDb()]);
  await Promise.all([west.createTable(TABLE), east.createTable(TABLE)]);
});
afterAll(async () => {
  await Promise.all([west.stop(), east.stop()]);
});

/** Stores for one fresh item key in both regions, and a multi-region store reading from `local`. */
function regions(localRegion: 'us-west-2' | 'us-east-1', endpoints = { west, east }) {
  const itemKey = `mr-${++item}`;
  const store = (dynamo: LocalDynamoDb) =>
    new DynamoDbStore({ tableName: TABLE, itemKey, client: dynamo.client(), clock: () => NOW });
  const westStore = store(endpoints.west);
  const eastStore = store(endpoints.east);
  const events: TokenCacheEvent[] = [];
  const multi = new MultiRegionStore({
    primary: { region: 'us-west-2', store: westStore },
    replicas: [{ region: 'us-east-1', store: eastStore }],
    localRegion,
    clock: () => NOW,
    onEvent: (event) => events.push(event),
  });
  return { multi, westStore, eastStore, events };
}

describe('MultiRegionStore writes', () => {
  it('replicates a token written in the primary to every region', async () => {
    const { multi, westStore, eastStore } = regions('us-west-2');
    const token = envelope('shared', NOW + 24 * HOUR_MS);
    expect(await multi.put('token', token, { expectedVersion: 0 })).toBe(true);
    expect((await westStore.get('token'))?.value).toBe(token);
    expect((await eastStore.get('token'))?.value).toBe(token);
  });

  it('keeps the lease in the primary only', async () => {
    const { multi, westStore, eastStore } = regions('us-east-1');
    expect(
      await multi.create(
        'lease',
        JSON.stringify({ v: 1, owner: 'a', leaseExpiresAt: NOW + 15_000 }),
      ),
    ).toBe(true);
    expect(await westStore.get('lease')).toBeDefined();
    expect(await eastStore.get('lease')).toBeUndefined();
    expect((await multi.get('lease'))?.value).toContain('"owner":"a"');
  });

  it('does not replicate a write the primary refused', async () => {
    const { multi, eastStore } = regions('us-west-2');
    await multi.put('token', envelope('later', NOW + 24 * HOUR_MS));
    // A blind write of a sooner-expiring token loses to the primary's no-regression condition.
    expect(await multi.put('token', envelope('sooner', NOW + HOUR_MS))).toBe(false);
    expect((await eastStore.get('token'))?.value).toBe(envelope('later', NOW + 24 * HOUR_MS));
  });

  it('reports a failed replica write as an event without failing the write', async () => {
    const deadEast = await startLocalDynamoDb();
    await deadEast.stop(); // this region's endpoint refuses connections
    const { multi, westStore, events } = regions('us-west-2', { west, east: deadEast });
    const token = envelope('t', NOW + HOUR_MS);
    expect(await multi.put('token', token)).toBe(true);
    expect((await westStore.get('token'))?.value).toBe(token);
    expect(events).toEqual([
      { type: 'store-error', kind: 'unavailable', operation: 'us-east-1:UpdateItem' },
    ]);
  });

  it('still writes the replicas when the primary fails, then reports the failure', async () => {
    const deadWest = await startLocalDynamoDb();
    await deadWest.stop();
    const { multi, eastStore } = regions('us-east-1', { west: deadWest, east });
    const token = envelope('t', NOW + HOUR_MS);
    await expect(multi.put('token', token)).rejects.toMatchObject({ kind: 'unavailable' });
    expect((await eastStore.get('token'))?.value).toBe(token);
  });
});

describe('MultiRegionStore reads', () => {
  it("reads the local region's copy without touching the primary", async () => {
    const { multi, eastStore } = regions('us-east-1');
    await eastStore.put('token', envelope('east', NOW + 24 * HOUR_MS));
    const westReads = west.requests.get('GetItem') ?? 0;
    expect((await multi.get('token'))?.value).toBe(envelope('east', NOW + 24 * HOUR_MS));
    expect(west.requests.get('GetItem') ?? 0).toBe(westReads);
  });

  it('falls back to the primary when the local region fails', async () => {
    const deadEast = await startLocalDynamoDb();
    await deadEast.stop();
    const { multi, westStore, events } = regions('us-east-1', { west, east: deadEast });
    await westStore.put('token', envelope('west', NOW + 24 * HOUR_MS));
    expect((await multi.get('token'))?.value).toBe(envelope('west', NOW + 24 * HOUR_MS));
    expect(events).toEqual([
      { type: 'store-error', kind: 'unavailable', operation: 'us-east-1:GetItem' },
    ]);
  });

  it('falls back to the primary on a local miss (a lagging replica)', async () => {
    const { multi, westStore } = regions('us-east-1');
    await westStore.put('token', envelope('west', NOW + 24 * HOUR_MS));
    expect((await multi.get('token'))?.value).toBe(envelope('west', NOW + 24 * HOUR_MS));
  });

  it("prefers the primary's token when the local one is about to expire", async () => {
    const { multi, westStore, eastStore } = regions('us-east-1');
    await eastStore.put('token', envelope('stale', NOW + 60_000));
    await westStore.put('token', envelope('fresh', NOW + 24 * HOUR_MS));
    expect((await multi.get('token'))?.value).toBe(envelope('fresh', NOW + 24 * HOUR_MS));
  });

  it('keeps the local token near expiry when the primary has nothing better', async () => {
    const { multi, westStore, eastStore } = regions('us-east-1');
    await eastStore.put('token', envelope('local', NOW + 60_000));
    await westStore.put('token', envelope('older', NOW + 30_000));
    expect((await multi.get('token'))?.value).toBe(envelope('local', NOW + 60_000));
  });
});

describe('MultiRegionStore configuration', () => {
  it('offers compare-and-set only in the primary region', () => {
    expect(regions('us-west-2').multi.supportsCompareAndSet).toBe(true);
    expect(regions('us-east-1').multi.supportsCompareAndSet).toBe(false);
  });

  it('refuses a local region that is not configured, naming localRegion', () => {
    const { westStore } = regions('us-west-2');
    const build = () =>
      new MultiRegionStore({
        primary: { region: 'us-west-2', store: westStore },
        replicas: [],
        localRegion: 'ap-south-1',
      });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/localRegion/);
  });

  it('describes every region', () => {
    expect(regions('us-east-1').multi.description).toMatch(
      /^multi-region\(primary us-west-2=dynamodb:.*; replicas us-east-1=dynamodb:.*; local us-east-1\)$/,
    );
  });
});

describe('multiRegionStoreFor and parseRegionList', () => {
  it('builds one store per listed region, reading locally', async () => {
    const made: string[] = [];
    const store = multiRegionStoreFor({
      primaryRegion: 'us-west-2',
      replicaRegions: parseRegionList('us-east-1', MULTI_REGION_VARIABLES.replicaRegions),
      localRegion: 'us-east-1',
      storeFor: (region) => {
        made.push(region);
        return new DynamoDbStore({
          tableName: TABLE,
          itemKey: 'factory',
          client: (region === 'us-west-2' ? west : east).client(),
        });
      },
    });
    expect(made).toEqual(['us-west-2', 'us-east-1']);
    expect(store).toBeInstanceOf(MultiRegionStore);
    expect(store.description).toContain('local us-east-1');
  });

  it('uses the primary store alone when there are no replicas', () => {
    const primary = regions('us-west-2').westStore;
    const store = multiRegionStoreFor({
      primaryRegion: 'us-west-2',
      replicaRegions: parseRegionList('', MULTI_REGION_VARIABLES.replicaRegions),
      localRegion: 'eu-west-1',
      storeFor: () => primary,
    });
    expect(store).toBe(primary);
  });

  it.each(['eu-west-1,not a region', 'eu-west-1,eu-west-1'])(
    'names the variable for a bad region list (%s)',
    (value) => {
      expect(() => parseRegionList(value, MULTI_REGION_VARIABLES.replicaRegions)).toThrow(
        /TOKEN_CACHE_REPLICA_REGIONS/,
      );
    },
  );
});

describe('MultiRegionStore and the placeholder', () => {
  it("reads the primary when the local replica still holds Terraform's placeholder", async () => {
    const { multi, westStore, eastStore } = regions('us-east-1');
    await eastStore.put('token', 'not-initialized');
    await westStore.put('token', envelope('west', NOW + 24 * HOUR_MS));
    expect((await multi.get('token'))?.value).toBe(envelope('west', NOW + 24 * HOUR_MS));
  });

  it('returns the local placeholder when the primary has nothing either', async () => {
    const { multi, eastStore } = regions('us-east-1');
    await eastStore.put('token', 'not-initialized');
    expect((await multi.get('token'))?.value).toBe('not-initialized');
  });

  it('serves the local value when the primary fails, and reports it', async () => {
    const deadWest = await startLocalDynamoDb();
    await deadWest.stop();
    const { multi, eastStore, events } = regions('us-east-1', { west: deadWest, east });
    await eastStore.put('token', envelope('soon', NOW + 60_000));
    expect((await multi.get('token'))?.value).toBe(envelope('soon', NOW + 60_000));
    expect(events).toEqual([
      { type: 'store-error', kind: 'unavailable', operation: 'us-west-2:GetItem' },
    ]);
  });
});

describe('MultiRegionStore and the lease', () => {
  it('a container outside the primary region takes the lease by compare-and-set in the primary, and cold starts share one token', async () => {
    const { createTokenCache } = await import('../src/cache.js');
    const { CountingSource, VirtualTime } = await import('./cache.fakes.js');
    const { multi } = regions('us-east-1');
    expect(multi.supportsCompareAndSet).toBe(false);
    expect(multi.leaseSupportsCompareAndSet).toBe(true);
    const time = new VirtualTime(NOW);
    const source = new CountingSource(time, HOUR_MS);
    const events: string[] = [];
    for (let i = 0; i < 5; i++) {
      const cache = createTokenCache({
        source,
        store: multi,
        clock: time.clock,
        onEvent: (event) => events.push(event.type),
      });
      await cache.getToken();
    }
    expect(source.calls).toBe(1);
    expect(events.filter((type) => type === 'deadline-fallback')).toHaveLength(0);
  });
});
