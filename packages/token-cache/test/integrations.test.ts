import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenCache, type TokenCache } from '../src/cache.js';
import { encodeEnvelope } from '../src/envelope.js';
import { TokenUnavailableError } from '../src/errors.js';
import { authorizedFetch } from '../src/integrations/authorized-fetch.js';
import {
  type TokenCacheContext,
  tokenCacheMiddleware,
} from '../src/integrations/middy-middleware.js';
import { auth0ClientCredentials } from '../src/sources/auth0.js';
import { SsmStore } from '../src/stores/ssm-store.js';

let stack: LocalStack;
let ssm: SSMClient;
let parameterCounter = 0;

beforeAll(async () => {
  stack = await start({ ssm: { readsPerSecond: 0, writesPerSecond: 0 } });
  ssm = new SSMClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  ssm.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.counters.reset();
  stack.faults.clear();
});

/** A real cache on the stack: Auth0-compatible endpoint, SSM store on its own parameter. */
function cacheFor(client: { clientId: string; clientSecret: string; audience: string }): {
  cache: TokenCache;
  store: SsmStore;
} {
  parameterCounter += 1;
  const source = auth0ClientCredentials({ domain: stack.url, ...client });
  const store = new SsmStore({
    parameterName: `/it/integrations/${parameterCounter}`,
    client: ssm,
  });
  return { cache: createTokenCache({ source, store }), store };
}

const defaultClient = {
  clientId: DEFAULT_CLIENT.clientId,
  clientSecret: DEFAULT_CLIENT.clientSecret,
  audience: DEFAULT_CLIENT.audience,
};

/** A JWT with the right issuer, audience and client that the API rejects: its signature is forged. */
function forgedJwt(client: { clientId: string; audience: string }, exp: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    part({ alg: 'RS256', typ: 'JWT', kid: 'not-the-idp-key' }),
    part({ iss: stack.issuer, aud: client.audience, azp: client.clientId, exp }),
    part({ forged: true }),
  ].join('.');
}

/** Puts a stored token the cache will trust (identity matches) but the API refuses. */
async function seedRevokedToken(
  store: SsmStore,
  client: { clientId: string; audience: string } = defaultClient,
): Promise<string> {
  // Whole seconds, as in a JWT: a stored expiry later than the JWT's own `exp` is a miss.
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const accessToken = forgedJwt(client, exp);
  const identity = {
    issuer: stack.issuer,
    audience: client.audience,
    clientIds: [client.clientId],
  };
  const envelope = encodeEnvelope(
    {
      accessToken,
      expiresAt: exp * 1000,
      tokenType: 'Bearer',
      clientId: client.clientId,
    },
    identity,
  );
  await store.put('token', envelope);
  return accessToken;
}

const overviewUrl = (id: string) => `${stack.url}/vehicles/${id}/overview`;

describe('authorizedFetch', () => {
  it('calls the protected API with the cached token, one token for many calls', async () => {
    const { cache } = cacheFor(defaultClient);
    const apiFetch = authorizedFetch(cache);

    const responses = await Promise.all(['1', '2', '3'].map((id) => apiFetch(overviewUrl(id))));
    const bodies = await Promise.all(responses.map((response) => response.json()));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(bodies.map((body) => (body as { vehicleId: string }).vehicleId)).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(stack.counters.get('idp.token')).toBe(1);
    expect(stack.counters.get('api.accepted')).toBe(3);
  });

  it('keeps the caller’s method, headers and body', async () => {
    const { cache } = cacheFor(defaultClient);
    const seen: Request[] = [];
    const apiFetch = authorizedFetch(cache, {
      fetch: async (input) => {
        seen.push(input as Request);
        return fetch(input);
      },
    });

    const response = await apiFetch(overviewUrl('7'), { headers: { 'x-request-id': 'abc' } });
    expect(response.status).toBe(200);
    expect(seen[0]?.headers.get('x-request-id')).toBe('abc');
    expect(seen[0]?.headers.get('authorization')).toMatch(/^Bearer eyJ/);
  });

  it('drops a revoked token on 401 and retries once with a new one', async () => {
    const { cache, store } = cacheFor(defaultClient);
    const revoked = await seedRevokedToken(store);
    const apiFetch = authorizedFetch(cache);

    const response = await apiFetch(overviewUrl('42'));

    expect(response.status).toBe(200);
    expect(stack.counters.get('api.rejected')).toBe(1);
    expect(stack.counters.get('api.accepted')).toBe(1);
    expect(stack.counters.get('idp.token')).toBe(1);
    // The replacement was shared: the store now holds a different token.
    expect((await store.get('token'))?.value).not.toContain(revoked);
    // And the next call reuses it without asking the IdP again.
    expect((await apiFetch(overviewUrl('43'))).status).toBe(200);
    expect(stack.counters.get('idp.token')).toBe(1);
  });

  it('shares one refresh among concurrent calls refused with the same token', async () => {
    const { cache, store } = cacheFor(defaultClient);
    await seedRevokedToken(store);
    const apiFetch = authorizedFetch(cache);

    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => apiFetch(overviewUrl(String(i)))),
    );

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(stack.counters.get('api.rejected')).toBe(5);
    expect(stack.counters.get('idp.token')).toBe(1);
  });

  it('stops minting tokens when the API refuses even a brand-new one', async () => {
    // A client whose grant is for another API: every token it gets is refused (wrong audience).
    const foreign = {
      clientId: 'other-api-client',
      clientSecret: 'other-api-secret-0123456789',
      audience: 'https://other.api',
    };
    stack.idp.addClient({ ...foreign, grants: [{ audience: foreign.audience }] });
    const { cache, store } = cacheFor(foreign);
    // Start from a stored token that is refused, so the forced refresh surely differs from it
    // (the IdP signs identical claims within one second into an identical JWT).
    await seedRevokedToken(store, foreign);
    const apiFetch = authorizedFetch(cache);

    const first = await apiFetch(overviewUrl('1'));
    expect(first.status).toBe(401);
    expect(stack.counters.get('idp.token')).toBe(1); // one forced refresh, refused as well
    expect(stack.counters.get('api.rejected')).toBe(2);

    // The refused token is dropped and the cache backs off: the next call gets no token at all
    // (the error names the cause), and neither the IdP nor the API is asked again.
    const second = apiFetch(overviewUrl('2'));
    await expect(second).rejects.toBeInstanceOf(TokenUnavailableError);
    await expect(second).rejects.toThrow(/backed off until .*api-refused/);
    expect(stack.counters.get('idp.token')).toBe(1); // no new token for a hopeless call
    expect(stack.counters.get('api.rejected')).toBe(2);
  });

  it('replays a request body on the retry', async () => {
    const { cache, store } = cacheFor(defaultClient);
    await seedRevokedToken(store);
    const sent: Array<{ authorization: string | null; body: string }> = [];
    // The protected API only serves GET; this one-function stub answers 401, then 200.
    const apiFetch = authorizedFetch(cache, {
      fetch: async (input) => {
        const request = input as Request;
        sent.push({
          authorization: request.headers.get('authorization'),
          body: await request.text(),
        });
        return new Response(null, { status: sent.length === 1 ? 401 : 204 });
      },
    });

    const response = await apiFetch(overviewUrl('9'), { method: 'POST', body: '{"note":"x"}' });

    expect(response.status).toBe(204);
    expect(sent.map((attempt) => attempt.body)).toEqual(['{"note":"x"}', '{"note":"x"}']);
    expect(sent[0]?.authorization).not.toBe(sent[1]?.authorization);
  });
});

describe('tokenCacheMiddleware', () => {
  const lambdaContext = () => ({
    functionName: 'overview',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => 3_000,
  });

  it('puts the access token on the handler context', async () => {
    const { cache } = cacheFor(defaultClient);
    const handler = middy(async (event: { id: string }, context: TokenCacheContext) => {
      const response = await fetch(overviewUrl(event.id), {
        headers: { authorization: `Bearer ${context.accessToken}` },
      });
      return response.status;
    }).use(tokenCacheMiddleware(cache));

    // biome-ignore lint/suspicious/noExplicitAny: a minimal Lambda context for the test
    const status = await handler({ id: '5' }, lambdaContext() as any);
    // biome-ignore lint/suspicious/noExplicitAny: second invocation, same container
    await handler({ id: '6' }, lambdaContext() as any);

    expect(status).toBe(200);
    expect(stack.counters.get('api.accepted')).toBe(2);
    expect(stack.counters.get('idp.token')).toBe(1);
  });

  it('uses the context key it is given', async () => {
    const { cache } = cacheFor(defaultClient);
    const context: Record<string, unknown> = lambdaContext();
    await tokenCacheMiddleware(cache, { contextKey: 'vwcToken' }).before({ context });
    expect(context.vwcToken).toMatch(/^eyJ/);
    expect(context).not.toHaveProperty('accessToken');
  });

  it('fails the invocation with the cache error when no token can be had', async () => {
    const { cache } = cacheFor({ ...defaultClient, clientSecret: 'wrong-secret-0123456789' });
    const handler = middy(async () => 'unreachable').use(tokenCacheMiddleware(cache));
    // biome-ignore lint/suspicious/noExplicitAny: a minimal Lambda context for the test
    await expect(handler({}, lambdaContext() as any)).rejects.toMatchObject({
      name: 'TokenUnavailableError',
    });
  });
});
