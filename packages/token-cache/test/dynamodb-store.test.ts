import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, StoreError } from '../src/errors.js';
import { DynamoDbStore } from '../src/stores/dynamodb-store.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb-local.js';

const TABLE = 'token-cache-test';
const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A token envelope the way the shared tier writes it (only `expiresAt` matters to the store). */
function envelope(accessToken: string, expiresAt: number): string {
  return JSON.stringify({ v: 1, accessToken, expiresAt, issuedAt: expiresAt - 24 * HOUR_MS });
}

let dynamo: LocalDynamoDb;
let now = START_MS;
let testNumber = 0;

/** A store on its own item key, so tests never see each other's items. */
function newStore(itemKey = `cache-${++testNumber}`): DynamoDbStore {
  return new DynamoDbStore({
    tableName: TABLE,
    itemKey,
    client: dynamo.client(),
    clock: () => now,
  });
}

async function rawItem(pk: string) {
  const output = await dynamo
    .client()
    .send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead: true }));
  return output.Item;
}

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  await dynamo.createTable(TABLE);
});
afterAll(async () => {
  await dynamo.stop();
});
beforeEach(() => {
  now = START_MS;
});

describe('DynamoDbStore reads and create-if-absent', () => {
  it('reads nothing from an empty table with one strongly consistent GetItem', async () => {
    const store = newStore();
    const before = dynamo.requests.get('GetItem') ?? 0;
    expect(await store.get('token')).toBeUndefined();
    expect((dynamo.requests.get('GetItem') ?? 0) - before).toBe(1);
  });

  it('creates a record only when it is absent', async () => {
    const store = newStore();
    expect(await store.create('token', envelope('first', START_MS + HOUR_MS))).toBe(true);
    expect(await store.create('token', envelope('second', START_MS + 2 * HOUR_MS))).toBe(false);
    expect(await store.get('token')).toEqual({
      value: envelope('first', START_MS + HOUR_MS),
      version: 1,
    });
  });

  it('lets exactly one of 20 concurrent creators win', async () => {
    const store = newStore();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.create('lease', `owner-${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get('lease')).toEqual({ value: `owner-${winner}`, version: 1 });
  });

  it('keeps the token and the lease in separate items', async () => {
    const store = newStore('separate');
    await store.create('token', envelope('t', START_MS + HOUR_MS));
    await store.create('lease', 'owner-a');
    expect((await rawItem('separate#token'))?.value?.S).toBe(envelope('t', START_MS + HOUR_MS));
    expect((await rawItem('separate#lease'))?.value?.S).toBe('owner-a');
  });
});

describe('DynamoDbStore compare-and-set', () => {
  it('writes when the expected version matches and refuses a stale one', async () => {
    const store = newStore();
    await store.create('token', envelope('v1', START_MS + HOUR_MS));
    expect(
      await store.put('token', envelope('v2', START_MS + 2 * HOUR_MS), { expectedVersion: 1 }),
    ).toBe(true);
    expect(
      await store.put('token', envelope('late', START_MS + 3 * HOUR_MS), { expectedVersion: 1 }),
    ).toBe(false);
    expect(await store.get('token')).toEqual({
      value: envelope('v2', START_MS + 2 * HOUR_MS),
      version: 2,
    });
  });

  it('treats expectedVersion 0 as "only if absent"', async () => {
    const store = newStore();
    expect(
      await store.put('token', envelope('a', START_MS + HOUR_MS), { expectedVersion: 0 }),
    ).toBe(true);
    expect(
      await store.put('token', envelope('b', START_MS + HOUR_MS), { expectedVersion: 0 }),
    ).toBe(false);
  });

  it('lets exactly one of 20 concurrent writers with the same expected version win', async () => {
    const writers = Array.from({ length: 20 }, () => newStore('contended'));
    await writers[0]?.create('token', envelope('original', START_MS + HOUR_MS));
    const results = await Promise.all(
      writers.map((store, i) =>
        store.put('token', envelope(`writer-${i}`, START_MS + 2 * HOUR_MS), { expectedVersion: 1 }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await writers[0]?.get('token');
    expect(stored).toEqual({
      value: envelope(`writer-${results.indexOf(true)}`, START_MS + 2 * HOUR_MS),
      version: 2,
    });
  });
});

describe('DynamoDbStore no regression', () => {
  it('refuses a blind write of a token that expires sooner than the stored one', async () => {
    const store = newStore();
    await store.put('token', envelope('later', START_MS + 24 * HOUR_MS));
    expect(await store.put('token', envelope('sooner', START_MS + HOUR_MS))).toBe(false);
    expect((await store.get('token'))?.value).toBe(envelope('later', START_MS + 24 * HOUR_MS));
  });

  it('accepts a blind write of a token that expires later or at the same time', async () => {
    const store = newStore();
    await store.put('token', envelope('first', START_MS + HOUR_MS));
    expect(await store.put('token', envelope('same', START_MS + HOUR_MS))).toBe(true);
    expect(await store.put('token', envelope('later', START_MS + 2 * HOUR_MS))).toBe(true);
    expect(await store.get('token')).toEqual({
      value: envelope('later', START_MS + 2 * HOUR_MS),
      version: 3,
    });
  });

  it('lets the placeholder (a clear) replace any token', async () => {
    const store = newStore();
    await store.put('token', envelope('t', START_MS + 24 * HOUR_MS));
    expect(await store.put('token', 'not-initialized')).toBe(true);
    expect(await store.put('token', envelope('sooner', START_MS + HOUR_MS))).toBe(true);
  });

  it('lets a compare-and-set writer replace a later-expiring token it has read', async () => {
    const store = newStore();
    await store.put('token', envelope('revoked', START_MS + 24 * HOUR_MS));
    expect(
      await store.put('token', envelope('new', START_MS + HOUR_MS), { expectedVersion: 1 }),
    ).toBe(true);
  });
});

describe('DynamoDbStore lease', () => {
  const lease = (owner: string, leaseExpiresAt: number) =>
    JSON.stringify({ v: 1, owner, leaseExpiresAt });

  it('supports create, take-over by compare-and-set, and delete', async () => {
    const a = newStore('lease-flow');
    const b = newStore('lease-flow');
    expect(await a.create('lease', lease('a', START_MS + 15_000))).toBe(true);
    expect(await b.create('lease', lease('b', START_MS + 15_000))).toBe(false);

    now = START_MS + 16_000; // a's lease has expired: b takes it over with compare-and-set
    const seen = await b.get('lease');
    expect(seen?.version).toBe(1);
    expect(await b.put('lease', lease('b', now + 15_000), { expectedVersion: 1 })).toBe(true);
    // a, waking up late, cannot release or extend a lease it no longer holds.
    expect(await a.put('lease', lease('a', now + 15_000), { expectedVersion: 1 })).toBe(false);
    await a.delete('lease', { expectedVersion: 1 });
    expect((await b.get('lease'))?.value).toBe(lease('b', START_MS + 31_000));

    await b.delete('lease', { expectedVersion: 2 });
    expect(await a.get('lease')).toBeUndefined();
  });

  it('never reuses a version after a delete, so a stale compare-and-set cannot succeed', async () => {
    const store = newStore();
    await store.create('lease', 'first');
    await store.delete('lease');
    expect(await store.create('lease', 'second')).toBe(true);
    const current = await store.get('lease');
    expect(current?.version).toBe(3);
    expect(await store.put('lease', 'stale', { expectedVersion: 1 })).toBe(false);
  });

  it('deleting an absent record is not an error; a version that does not match deletes nothing', async () => {
    const store = newStore();
    await expect(store.delete('lease')).resolves.toBe(true);
    await expect(store.delete('token', { expectedVersion: 4 })).resolves.toBe(false);
    await store.put('token', 'value');
    const stored = await store.get('token');
    await expect(store.delete('token', { expectedVersion: 99 })).resolves.toBe(false);
    expect(await store.get('token')).toEqual(stored);
    await expect(
      store.delete('token', { expectedVersion: stored?.version as number }),
    ).resolves.toBe(true);
    expect(await store.get('token')).toBeUndefined();
  });
});

describe('DynamoDbStore TTL', () => {
  it('sets the TTL attribute to the value expiry plus the margin, in epoch seconds', async () => {
    const store = newStore('ttl');
    const expiresAt = START_MS + 24 * HOUR_MS;
    await store.put('token', envelope('t', expiresAt));
    const item = await rawItem('ttl#token');
    expect(item?.ttl?.N).toBe(String(Math.ceil((expiresAt + HOUR_MS) / 1000)));
    expect(item?.expiresAt?.N).toBe(String(expiresAt));
  });

  it('gives a lease a TTL from its own expiry, and a value without expiry a fallback TTL', async () => {
    const store = newStore('ttl-lease');
    await store.create(
      'lease',
      JSON.stringify({ v: 1, owner: 'a', leaseExpiresAt: START_MS + 15_000 }),
    );
    await store.put('token', 'not-initialized');
    expect((await rawItem('ttl-lease#lease'))?.ttl?.N).toBe(
      String(Math.ceil((START_MS + 15_000 + HOUR_MS) / 1000)),
    );
    expect((await rawItem('ttl-lease#token'))?.ttl?.N).toBe(
      String((START_MS + 48 * HOUR_MS) / 1000),
    );
  });

  it('treats an item past its TTL that DynamoDB has not deleted yet as absent', async () => {
    const store = newStore();
    await store.create(
      'lease',
      JSON.stringify({ v: 1, owner: 'crashed', leaseExpiresAt: START_MS + 15_000 }),
    );
    now = START_MS + 15_000 + HOUR_MS + 1_000;
    expect(await store.get('lease')).toBeUndefined();
    expect(
      await store.create(
        'lease',
        JSON.stringify({ v: 1, owner: 'next', leaseExpiresAt: now + 15_000 }),
      ),
    ).toBe(true);
  });
});

describe('DynamoDbStore validation', () => {
  it('refuses a value over the item limit before any I/O', async () => {
    const store = newStore();
    const before = dynamo.requests.get('UpdateItem') ?? 0;
    const error = await store.put('token', 'x'.repeat(store.maxValueLength + 1)).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.kind).toBe('too-large');
    expect(dynamo.requests.get('UpdateItem') ?? 0).toBe(before);
  });

  it.each([
    ['tableName', { tableName: 'x' }],
    ['tableName', { tableName: 'has space' }],
    ['itemKey', { tableName: TABLE, itemKey: 'a#b' }],
    ['timeoutMs', { tableName: TABLE, timeoutMs: 0 }],
  ])('names %s when an option is invalid', (variable, options) => {
    expect(() => new DynamoDbStore(options)).toThrow(ConfigError);
    expect(() => new DynamoDbStore(options)).toThrow(variable);
  });

  it('describes itself by table and item key', () => {
    expect(newStore('described').description).toBe(`dynamodb:${TABLE}/described`);
  });
});
