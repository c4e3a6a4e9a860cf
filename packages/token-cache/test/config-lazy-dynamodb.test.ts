/**
 * The DynamoDB store configuration builds: checked and described at once, loaded by its first
 * call, the same store then (compare-and-set, the table's items) on dynalite through the real
 * SDK. That an SSM bundle does not load the client is checked on the bundle itself
 * (backend/test/handlers-bundle.test.ts).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientEnvSettings } from '../src/config/aws-clients.js';
import { buildStore } from '../src/config/build-store.js';
import { lazyDynamoDbStore } from '../src/config/lazy-dynamodb-store.js';
import { resolveSettings } from '../src/config/settings.js';
import { ConfigError } from '../src/errors.js';
import { CompareAndSetLease } from '../src/lease/compare-and-set-lease.js';
import { leaseStrategyFor } from '../src/lease/strategy.js';
import { MultiRegionStore } from '../src/stores/multi-region-store.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb-local.js';

const TABLE = 'token-cache-lazy';
const IDENTITY = {
  owner: 'c1',
  clock: Date.now,
  leaseMs: 15_000,
  maxBackoffMs: 300_000,
  maxClockSkewMs: 2_000,
  maxStoreLatencyMs: 2_000,
};

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  await dynamo.createTable(TABLE);
});
afterAll(async () => {
  await dynamo?.stop();
});

describe('lazyDynamoDbStore', () => {
  it('is described and refuses a bad name before anything is loaded or sent', () => {
    const before = [...dynamo.requests.values()].reduce((sum, n) => sum + n, 0);
    const store = lazyDynamoDbStore({ tableName: TABLE, itemKey: 'auth0', region: 'us-west-2' });
    expect(store.description).toBe(`dynamodb:${TABLE}/auth0`);
    expect(store.supportsCompareAndSet).toBe(true);
    expect(store.maxValueLength).toBe(400 * 1024 - 1024);
    expect(store.overwrite).toBeUndefined();
    expect(() => lazyDynamoDbStore({ tableName: 'x' })).toThrow(ConfigError);
    expect(() => lazyDynamoDbStore({ tableName: TABLE, itemKey: 'a#b' })).toThrow(/without "#"/);
    expect(() => lazyDynamoDbStore({ tableName: TABLE, timeoutMs: 0 })).toThrow(/^timeoutMs must/);
    expect([...dynamo.requests.values()].reduce((sum, n) => sum + n, 0)).toBe(before);
  });

  it('gets the compare-and-set lease strategy, as the DynamoDB store itself does', () => {
    const store = lazyDynamoDbStore({ tableName: TABLE, region: 'us-west-2' });
    expect(leaseStrategyFor(store, IDENTITY)).toBeInstanceOf(CompareAndSetLease);
  });

  it("loads on its first call and writes the table's items through a client built from env settings", async () => {
    const env = {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
    };
    const store = lazyDynamoDbStore({
      tableName: TABLE,
      itemKey: 'from-env',
      region: 'us-west-2',
      clientSettings: awsClientEnvSettings(env, 'dynamoDb'),
    });
    const puts = dynamo.requests.get('UpdateItem') ?? 0;

    expect(await store.create('lease', 'first')).toBe(true);
    expect(await store.create('lease', 'second')).toBe(false);
    const stored = await store.get('lease');
    expect(stored?.value).toBe('first');
    // Compare-and-set is the real one: a stale version loses.
    expect(await store.put('lease', 'stale', { expectedVersion: (stored?.version ?? 0) + 5 })).toBe(
      false,
    );
    expect((dynamo.requests.get('UpdateItem') ?? 0) - puts).toBe(3);
    const { Item } = await dynamo
      .client()
      .send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'from-env#lease' } } }));
    expect(Item?.value?.S).toBe('first');
  });
});

describe('buildStore with TOKEN_CACHE_STORE=dynamodb', () => {
  const DYNAMO = { TOKEN_CACHE_STORE: 'dynamodb', TOKEN_CACHE_DYNAMODB_TABLE: TABLE };

  it('describes the table and item key, and uses an injected client when it loads', async () => {
    const store = buildStore(resolveSettings({ ...DYNAMO, TOKEN_CACHE_DYNAMODB_ITEM_KEY: 'vwc' }), {
      dynamoDbClientFor: () => dynamo.client(),
    });
    expect(store?.description).toBe(`dynamodb:${TABLE}/vwc`);
    const reads = dynamo.requests.get('GetItem') ?? 0;
    expect(await store?.get('token')).toBeUndefined();
    expect((dynamo.requests.get('GetItem') ?? 0) - reads).toBe(1);
  });

  it('fails at start-up on a bad table name, as before the store was loaded lazily', () => {
    expect(() =>
      buildStore(resolveSettings({ ...DYNAMO, TOKEN_CACHE_DYNAMODB_TABLE: 'no spaces' })),
    ).toThrow(/a DynamoDB table name/);
  });

  it('keeps the lease in the compare-and-set primary across regions', () => {
    const store = buildStore(
      resolveSettings({
        ...DYNAMO,
        AWS_REGION: 'eu-west-1',
        TOKEN_CACHE_PRIMARY_REGION: 'us-west-2',
        TOKEN_CACHE_REPLICA_REGIONS: 'eu-west-1',
      }),
    );
    expect(store).toBeInstanceOf(MultiRegionStore);
    expect(store?.leaseSupportsCompareAndSet ?? store?.supportsCompareAndSet).toBe(true);
    if (store) expect(leaseStrategyFor(store, IDENTITY)).toBeInstanceOf(CompareAndSetLease);
  });
});
