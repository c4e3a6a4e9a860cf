/**
 * The refresh protocol's bounds, end to end: real SSM (the local stack) through the real AWS
 * SDK, a real token endpoint over HTTP, many containers (cache instances) at once. Each case
 * is a fault that used to cost the user's token quota or stop the fleet.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { LocalStack } from '@token-cache/local-stack';
import { UnsecuredJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenCache, type TokenCache } from '../../src/cache.js';
import { StoreThrottledError, TokenUnavailableError } from '../../src/errors.js';
import { authorizedFetch } from '../../src/integrations/authorized-fetch.js';
import { decodeLease } from '../../src/lease/record.js';
import { auth0ClientCredentials } from '../../src/sources/auth0.js';
import { SsmStore } from '../../src/stores/ssm-store.js';
import {
  containerCache,
  rejectionOf,
  ssmClientFor,
  stackCacheEnv,
  uniqueParameterName,
  useStack,
} from './stack-helpers.js';

let stack: LocalStack;
useStack((started) => {
  stack = started;
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Short bounds so that the cases take milliseconds; the lease still covers one fetch. */
const FAST = {
  TOKEN_CACHE_DEADLINE_MS: '3000',
  TOKEN_CACHE_STORE_TIMEOUT_MS: '500',
  TOKEN_CACHE_ENDPOINT_TIMEOUT_MS: '1000',
  TOKEN_CACHE_LEASE_MS: '4000',
};

/** An Auth0-like endpoint that answers every token request with `status`, `body` and `headers`. */
async function fixedIdp(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests };
}

/** A container built directly, with an SSM store on the stack and any token endpoint. */
function container(
  parameterName: string,
  domain: string,
  options: { clock?: () => number; leaseMs?: number; clientSecret?: string } = {},
): TokenCache {
  const env = stackCacheEnv(stack);
  return createTokenCache({
    source: auth0ClientCredentials({
      domain,
      clientId: env.AUTH0_M2M_CLIENT_ID ?? '',
      clientSecret: options.clientSecret ?? env.AUTH0_M2M_CLIENT_SECRET ?? '',
      audience: env.AUTH0_AUDIENCE ?? '',
      timeoutMs: 1_000,
      ...(options.clock ? { clock: options.clock } : {}),
    }),
    store: new SsmStore({ parameterName, client: ssmClientFor(stack), timeoutMs: 1_000 }),
    deadlineMs: 4_000,
    leaseMs: options.leaseMs ?? 6_000,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

async function putParameter(
  name: string,
  value: string,
  type: 'String' | 'SecureString' = 'String',
): Promise<void> {
  await ssmClientFor(stack).send(
    new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }),
  );
}

async function readParameter(name: string): Promise<string | undefined> {
  const out = await ssmClientFor(stack)
    .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
    .catch(() => undefined);
  return out?.Parameter?.Value;
}

describe('every back-off is capped', () => {
  it('a 429 asking to wait until the year 5138 backs the fleet off for the cap, not for ever', async () => {
    const idp = await fixedIdp(
      429,
      { error: 'too_many_requests', error_description: 'Global limit has been reached' },
      {
        'x-ratelimit-limit': '30',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '99999999999',
      },
    );
    const parameter = uniqueParameterName('far-reset');
    const first = container(parameter, idp.url);
    await expect(first.getToken()).rejects.toThrow(TokenUnavailableError);
    const marker = decodeLease((await readParameter(`${parameter}-lock`)) ?? '');
    // The marker names the capped instant: five minutes, not 3,000 years.
    expect(marker?.backoffUntil).toBeGreaterThan(Date.now());
    expect(marker?.backoffUntil).toBeLessThanOrEqual(Date.now() + 300_000);
    // Cold containers during the back-off: no further request to the endpoint.
    for (let i = 0; i < 5; i++) {
      await expect(container(parameter, idp.url).getToken()).rejects.toThrow(/backed off/);
    }
    expect(idp.requests()).toBe(1);
  });

  it('a stored back-off marker beyond now + cap + lease is not obeyed', async () => {
    const parameter = uniqueParameterName('hostile-marker');
    const far = 99_999_999_999_000;
    await putParameter(
      `${parameter}-lock`,
      JSON.stringify({ v: 1, owner: 'old', leaseExpiresAt: far, backoffUntil: far, reason: '429' }),
    );
    const issued = stack.counters.get('idp.issued');
    const token = await container(parameter, stack.url).getToken();
    expect(token.accessToken.length).toBeGreaterThan(0);
    expect(stack.counters.get('idp.issued')).toBe(issued + 1);
  });
});

describe('configuration failures back off fleet-wide', () => {
  it('12 cold containers with refused credentials make one token request, and the error names the cause', async () => {
    const parameter = uniqueParameterName('bad-credentials');
    const errors = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        // A few at once, the rest one after another: both paths meet the marker.
        if (i >= 3) await new Promise((r) => setTimeout(r, 20 * i));
        return rejectionOf(
          container(parameter, stack.url, { clientSecret: 'wrong-secret' }).getToken(),
        );
      }),
    );
    expect(stack.counters.get('idp.unauthorized')).toBeLessThanOrEqual(2);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TokenUnavailableError);
      expect(String((error as Error).message)).toMatch(/HTTP 401/);
      expect(String((error as Error).message)).not.toContain('wrong-secret');
    }
  });
});

describe('a token the API refuses when brand new is known fleet-wide', () => {
  it('8 cold invocations against an API that refuses every token mint at most 2 tokens', async () => {
    const parameter = uniqueParameterName('api-refuses');
    const { start } = await import('@token-cache/local-stack');
    // An API that expects another audience: it refuses every token this client can get.
    const picky = await start({
      port: 0,
      host: '127.0.0.1',
      apiAudience: 'https://another-api.example',
      ssm: { readsPerSecond: 0, writesPerSecond: 0 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const cache = containerCache(picky, parameter, { env: FAST });
        const response = await authorizedFetch(cache)(`${picky.url}/vehicles/42/overview`);
        statuses.push(response.status);
      }
      expect(statuses.every((s) => s === 401)).toBe(true);
      expect(picky.counters.get('idp.issued')).toBeLessThanOrEqual(2);
    } finally {
      await picky.stop();
    }
  });
});

describe('throttling is not unavailability', () => {
  it('30 cold starts on a throttled SSM holding a usable token make no endpoint call', async () => {
    const parameter = uniqueParameterName('throttled-cold');
    const seeded = await containerCache(stack, parameter, { env: FAST }).getToken();
    const issued = stack.counters.get('idp.issued');
    stack.faults.set('ssm', { failure: 'throttle', failureRate: 0.5 });
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        containerCache(stack, parameter, { env: FAST })
          .getToken()
          .then((t) => t.accessToken)
          .catch((error: unknown) => error),
      ),
    );
    expect(stack.counters.get('idp.issued')).toBe(issued);
    for (const outcome of outcomes) {
      // Served the stored token, or failed typed after retrying within the deadline.
      if (typeof outcome === 'string') expect(outcome).toBe(seeded.accessToken);
      else expect(outcome).toBeInstanceOf(StoreThrottledError);
    }
    expect(outcomes.filter((o) => typeof o === 'string').length).toBeGreaterThan(0);
  });

  it('a store that throttles, then stops answering, is overloaded, not down: no endpoint call', async () => {
    const parameter = uniqueParameterName('throttle-then-timeout');
    // The first read is throttled; every read after it hangs until the client's timeout.
    stack.faults.set(`ssm.GetParameter:${parameter}`, { failure: 'throttle', count: 1 });
    stack.faults.set('ssm.GetParameter', { failure: 'hang' });
    const issued = stack.counters.get('idp.issued');
    const cache = containerCache(stack, parameter, { env: FAST });
    await expect(cache.getToken()).rejects.toBeInstanceOf(StoreThrottledError);
    expect(stack.counters.get('idp.issued')).toBe(issued);
  });

  it('an unreachable store still permits a counted lease-less fetch', async () => {
    stack.faults.set('ssm', { failure: 'http-503' });
    const events: string[] = [];
    const cache = containerCache(stack, uniqueParameterName('store-down'), {
      env: FAST,
      overrides: { onEvent: (e) => events.push(e.type) },
    });
    await expect(cache.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(events.filter((e) => e === 'deadline-fallback')).toHaveLength(1);
  });
});

describe('a holder whose work runs long', () => {
  it('renews its lease when its token write is throttled past its working time, and publishes', async () => {
    const parameter = uniqueParameterName('renewal');
    // Every write of the token parameter is throttled until the holder has renewed its lease
    // (the lock parameter is left alone): the first working time (about 2.2 s of the 4-s lease)
    // passes with the token unwritten.
    const tokenWrites = `ssm.PutParameter:${parameter}`;
    stack.faults.set(tokenWrites, { failure: 'throttle' });
    const events: string[] = [];
    let released: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      released = resolve;
    });
    const holder = containerCache(stack, parameter, {
      env: FAST,
      overrides: {
        onEvent: (event) => {
          events.push(event.type);
          if (event.type === 'lease-renewed') stack.faults.clear(tokenWrites);
          // Published, then released: the holder's work is over (it may outlast the call).
          if (event.type === 'lease-released') released();
        },
      },
    });
    const issued = stack.counters.get('idp.issued');
    const fetched = await holder.getToken();
    // Bounded, so that a holder that never publishes fails the assertions below, not the timeout.
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    expect(events.filter((e) => e === 'lease-renewed')).toHaveLength(1);
    expect(await readParameter(parameter)).toBeDefined();
    // A cold start then reads the holder's token: no second fetch for the fleet.
    const cold = await containerCache(stack, parameter, { env: FAST }).getToken();
    expect(cold.accessToken).toBe(fetched.accessToken);
    expect(stack.counters.get('idp.issued')).toBe(issued + 1);
  });
});

describe('a released lease on SSM', () => {
  it('is claimed on the token read made after seeing the release, without a third read', async () => {
    const parameter = uniqueParameterName('released');
    // The previous holder's release (version 1, based on 0: it counts); no token stored.
    const release = { v: 2, owner: 'old', leaseExpiresAt: Date.now(), released: true, basedOn: 0 };
    await putParameter(`${parameter}-lock`, JSON.stringify(release));
    const tokenReads: number[] = [];
    const cache = containerCache(stack, parameter, {
      env: FAST,
      overrides: {
        onEvent: (event) => {
          if (event.type === 'store-read' && event.key === 'token') tokenReads.push(1);
        },
      },
    });
    const issued = stack.counters.get('idp.issued');
    await cache.getToken();
    expect(stack.counters.get('idp.issued')).toBe(issued + 1);
    expect(tokenReads).toHaveLength(2);
  });

  it('is not released after a token write that failed without saying whether it landed', async () => {
    const parameter = uniqueParameterName('unsettled');
    stack.faults.set(`ssm.PutParameter:${parameter}`, { failure: 'http-500' });
    const cache = containerCache(stack, parameter, { env: FAST });
    const token = await cache.getToken();
    expect(token.accessToken).toBeTruthy();
    stack.faults.clear(`ssm.PutParameter:${parameter}`);
    // Left to lapse: a release would tell the next holder that the token was written.
    const lock = decodeLease((await readParameter(`${parameter}-lock`)) ?? '');
    expect(lock?.owner).toBeDefined();
    expect(lock?.released).toBeUndefined();
  });
});

describe('a lock the policy forgot', () => {
  it('5 cold starts on a store that denies the lock parameter alone make one endpoint call', async () => {
    const parameter = uniqueParameterName('lock-denied');
    stack.faults.set(`ssm:${parameter}-lock`, { failure: 'access-denied' });
    const issued = stack.counters.get('idp.issued');
    const tokens = [];
    for (let i = 0; i < 5; i++) {
      tokens.push(await containerCache(stack, parameter, { env: FAST }).getToken());
    }
    expect(stack.counters.get('idp.issued')).toBe(issued + 1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(stack.counters.get('faults.access-denied')).toBeGreaterThan(0);
  });
});

describe('never two holders on SSM', () => {
  it('20 containers finding the same stale lease at once make one endpoint call', async () => {
    const parameter = uniqueParameterName('takeover-race');
    // A holder crashed long ago, leaving its lease (the format of the previous release).
    await putParameter(
      `${parameter}-lock`,
      JSON.stringify({ v: 1, owner: 'crashed', leaseExpiresAt: Date.now() - 1_000 }),
    );
    const issued = stack.counters.get('idp.issued');
    const fleet = Array.from({ length: 20 }, () => container(parameter, stack.url));
    const tokens = await Promise.all(fleet.map((c) => c.getToken()));
    expect(stack.counters.get('idp.issued')).toBe(issued + 1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    // Released, not deleted: the lock keeps its version history.
    expect(decodeLease((await readParameter(`${parameter}-lock`)) ?? '')?.released).toBe(true);
  });

  it('a follower whose clock runs ahead within the tolerance does not take over a working holder', async () => {
    const parameter = uniqueParameterName('clock-skew');
    stack.faults.set('idp', { latencyMs: 600 });
    const issued = stack.counters.get('idp.issued');
    const holder = container(parameter, stack.url);
    const pending = holder.getToken();
    await new Promise((r) => setTimeout(r, 200));
    // 900 ms ahead: within the tolerance (a sixth of the 6-s lease here, 1 s).
    const ahead = container(parameter, stack.url, { clock: () => Date.now() + 900 });
    const [a, b] = await Promise.all([pending, ahead.getToken()]);
    expect(b.accessToken).toBe(a.accessToken);
    expect(stack.counters.get('idp.issued')).toBe(issued + 1);
  });
});

describe('stored values are checked', () => {
  it('an envelope claiming ten more years for a JWT that has expired is a miss', async () => {
    const parameter = uniqueParameterName('implausible');
    const nowSeconds = Math.floor(Date.now() / 1000);
    const env = stackCacheEnv(stack);
    const expired = new UnsecuredJWT({ azp: env.AUTH0_M2M_CLIENT_ID })
      .setIssuedAt(nowSeconds - 7_200)
      .setExpirationTime(nowSeconds - 3_600)
      .setAudience(env.AUTH0_AUDIENCE ?? '')
      .encode();
    await containerCache(stack, parameter, { env: FAST }).getToken();
    // The envelope as the cache wrote it, with only the token and its claimed expiry replaced.
    const stored = JSON.parse((await readParameter(parameter)) ?? '{}');
    stored.accessToken = expired;
    stored.expiresAt = Date.now() + 10 * 365 * 86_400_000;
    await putParameter(parameter, JSON.stringify(stored), 'SecureString');
    const issued = stack.counters.get('idp.issued');
    const token = await containerCache(stack, parameter, { env: FAST }).getToken();
    expect(token.accessToken).not.toBe(expired);
    expect(stack.counters.get('idp.issued')).toBe(issued + 1);
  });
});
