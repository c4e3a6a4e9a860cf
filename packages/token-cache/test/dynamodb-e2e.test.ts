/**
 * End to end: many cache instances ("containers") sharing one token through the DynamoDB store
 * (dynalite over loopback HTTP), with the local stack's Auth0-compatible token endpoint.
 */
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCache, type TokenCache } from '../src/cache.js';
import type { TokenCacheEvent } from '../src/events.js';
import { auth0ClientCredentials } from '../src/sources/auth0.js';
import { DynamoDbStore } from '../src/stores/dynamodb-store.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb-local.js';

const TABLE = 'token-cache-e2e';
const CONTAINERS = 10;

let stack: LocalStack;
/** Every container's clock: tests move it instead of sleeping. */
let now = Date.now();
let dynamo: LocalDynamoDb;

beforeAll(async () => {
  // The IdP signs `iat`/`exp` on the same clock: a token's expiry is its JWT's `exp`.
  [stack, dynamo] = await Promise.all([start({ now: () => now }), startLocalDynamoDb()]);
  await dynamo.createTable(TABLE);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), dynamo?.stop()]);
});

/** One container: its own SDK client, endpoint source and cache, sharing the table. */
function container(itemKey: string, events: TokenCacheEvent[] = []): TokenCache {
  return createTokenCache({
    source: auth0ClientCredentials({
      domain: stack.url,
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      audience: DEFAULT_CLIENT.audience,
      clock: () => now,
    }),
    store: new DynamoDbStore({
      tableName: TABLE,
      itemKey,
      client: dynamo.client(),
      clock: () => now,
    }),
    onEvent: (event) => events.push(event),
    clock: () => now,
  });
}

describe('token cache on the DynamoDB store', () => {
  it('lets a burst of cold containers share exactly one endpoint call', async () => {
    stack.counters.reset();
    const containers = Array.from({ length: CONTAINERS }, () => container('burst'));
    const tokens = await Promise.all(containers.map((cache) => cache.getToken()));

    expect(stack.counters.get('idp.token')).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
  });

  it('serves a later cold start from one consistent read, without the endpoint', async () => {
    const first = container('warm');
    const token = await first.getToken();
    stack.counters.reset();
    const readsBefore = dynamo.requests.get('GetItem') ?? 0;

    const events: TokenCacheEvent[] = [];
    const coldStart = container('warm', events);
    expect((await coldStart.getToken()).accessToken).toBe(token.accessToken);
    expect(stack.counters.get('idp.token')).toBe(0);
    expect((dynamo.requests.get('GetItem') ?? 0) - readsBefore).toBe(1);
    expect(events).toContainEqual({ type: 'hit', tier: 'store' });
  });

  it('replaces a token forced out by one container for every container', async () => {
    const a = container('forced');
    const b = container('forced');
    const old = await a.getToken();
    stack.counters.reset();
    now += 1_000;
    const renewed = await a.getToken({ forceRefresh: true });
    expect(stack.counters.get('idp.token')).toBe(1);
    // The IdP's clock moved with the containers' clock: the new token expires a second later.
    expect(renewed.accessToken).not.toBe(old.accessToken);
    expect(renewed.expiresAt).toBeGreaterThan(old.expiresAt);
    expect((await b.getToken()).expiresAt).toBe(renewed.expiresAt);
    expect(stack.counters.get('idp.token')).toBe(1);
  });
});
