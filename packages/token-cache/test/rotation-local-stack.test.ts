/**
 * Client rotation end to end: two M2M clients registered in the local IdP, the first one's
 * secret revoked; the cache moves to the second, reports it, and containers keep sharing one
 * token through the SSM store of the local stack.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenCache } from '../src/cache.js';
import type { TokenCacheEvent } from '../src/events.js';
import { auth0ClientCredentials } from '../src/sources/auth0.js';
import { rotatingClientCredentials } from '../src/sources/rotating.js';
import { readClientCredentialsList } from '../src/sources/rotating-clients.js';
import { SsmStore } from '../src/stores/ssm-store.js';

const NEW_CLIENT = {
  clientId: 'local-m2m-client-2',
  clientSecret: 'local-m2m-secret-2-do-not-use-in-prod',
  grants: [{ audience: DEFAULT_CLIENT.audience, scope: DEFAULT_CLIENT.scope }],
};

let stack: LocalStack;
let parameter = 0;
let now = Date.now();

beforeAll(async () => {
  stack = await start({
    // SSM's write quota is not under test here; unthrottled keeps the test fast.
    ssm: { writesPerSecond: 0 },
    idp: {
      clients: [
        {
          clientId: DEFAULT_CLIENT.clientId,
          clientSecret: DEFAULT_CLIENT.clientSecret,
          grants: [{ audience: DEFAULT_CLIENT.audience, scope: DEFAULT_CLIENT.scope }],
        },
        NEW_CLIENT,
      ],
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  stack.counters.reset();
});

/** The two-client list as an operator would put it in the secret during a rotation. */
function clientList() {
  return readClientCredentialsList({
    AUTH0_M2M_CLIENT_ID: DEFAULT_CLIENT.clientId,
    AUTH0_M2M_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    AUTH0_M2M_CLIENT_ID_2: NEW_CLIENT.clientId,
    AUTH0_M2M_CLIENT_SECRET_2: NEW_CLIENT.clientSecret,
  });
}

/** One container: a rotating source over the list, an SSM store, a cache. */
function container(parameterName: string, events: TokenCacheEvent[] = []) {
  const source = rotatingClientCredentials(
    clientList().map((client) =>
      auth0ClientCredentials({
        domain: stack.url,
        audience: DEFAULT_CLIENT.audience,
        clock: () => now,
        ...client,
      }),
    ),
    { onEvent: (event) => events.push(event) },
  );
  const client = new SSMClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const store = new SsmStore({ parameterName, client });
  const cache = createTokenCache({
    source,
    store,
    clock: () => now,
    onEvent: (e) => events.push(e),
  });
  return { cache, source };
}

describe('client rotation over the local IdP', () => {
  it('moves to the next client when the first one is revoked, and counts the switch', async () => {
    const name = `/vwc/test/rotation-${++parameter}`;
    stack.idp.revokeClient(DEFAULT_CLIENT.clientId);
    const events: TokenCacheEvent[] = [];
    const { cache, source } = container(name, events);

    const token = await cache.getToken();

    expect(token.clientId).toBe(NEW_CLIENT.clientId);
    expect(source.currentClientId).toBe(NEW_CLIENT.clientId);
    expect(events).toContainEqual({
      type: 'client-rotated',
      fromClientId: DEFAULT_CLIENT.clientId,
      toClientId: NEW_CLIENT.clientId,
    });
    // One refused request for the revoked client, one token for the next.
    expect(stack.counters.get('idp.token')).toBe(2);
    expect(stack.counters.get('idp.issued')).toBe(1);

    // The switch is remembered: a forced refresh goes straight to the second client.
    stack.counters.reset();
    now += 1_000;
    await cache.getToken({ forceRefresh: true });
    expect(stack.counters.get('idp.token')).toBe(1);
  });

  it("keeps sharing: another container accepts the second client's token from the store", async () => {
    const name = `/vwc/test/rotation-${++parameter}`;
    stack.idp.revokeClient(DEFAULT_CLIENT.clientId);
    const first = container(name);
    const token = await first.cache.getToken();
    stack.counters.reset();

    // A cold container whose list still starts with the revoked client.
    const events: TokenCacheEvent[] = [];
    const second = container(name, events);
    const shared = await second.cache.getToken();

    expect(shared.accessToken).toBe(token.accessToken);
    expect(stack.counters.get('idp.token')).toBe(0);
    expect(events).toContainEqual({ type: 'hit', tier: 'store' });
    expect(events.some((event) => event.type === 'client-rotated')).toBe(false);
  });
});
