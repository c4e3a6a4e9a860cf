/**
 * The handlers' behaviour in-process, against the local stack over loopback HTTP: the real
 * token cache (memory → SSM → IdP through the AWS SDK) and the real protected API. The
 * bundled artefacts are exercised separately in `handlers-bundle.test.ts`.
 */
import { ConfigError, createTokenCacheFromEnv } from '@token-cache/core';
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGetVehicleOverviewHandler,
  type TokenRequest,
} from '../src/handlers/get-vehicle-overview.js';
import type { LogEntry } from '../src/handlers/handler-log.js';
import {
  createTokenRefresherHandler,
  DEFAULT_THRESHOLD_MINUTES,
  refreshIfExpiringWithin,
  resetTokenRefresherForTests,
  thresholdMinutesFromEnv,
} from '../src/handlers/token-refresher.js';

let stack: LocalStack;
let logs: LogEntry[];
const log = (entry: LogEntry) => {
  logs.push(entry);
};

/** A real cache over the stack; shared tier off unless asked. */
function stackCache(env: Record<string, string> = {}) {
  return createTokenCacheFromEnv(
    { ...stack.env, TOKEN_CACHE_SHARED: 'off', TOKEN_CACHE_METRICS: 'off', ...env },
    { onEvent: false },
  );
}

/** A token getter on a real cache over the stack, passing the handler's signal on. */
function stackToken(env: Record<string, string> = {}) {
  const cache = stackCache(env);
  return async (options?: TokenRequest) => (await cache.getToken(options)).accessToken;
}

/**
 * A Lambda context whose invocation ends `remainingMs` from now. It counts down in real time,
 * as Lambda's does; `firstReading` is what the handler was told first (a loaded machine may
 * take a millisecond or two between creating the context and the handler asking).
 */
function lambdaContext(remainingMs: number) {
  const end = Date.now() + remainingMs;
  const context = {
    firstReading: undefined as number | undefined,
    getRemainingTimeInMillis: () => {
      const left = end - Date.now();
      context.firstReading ??= left;
      return left;
    },
  };
  return context;
}

/** process.env before the test pointed the AWS SDK at the stack. */
let savedEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  stack = await start({ ssm: { readsPerSecond: 0, writesPerSecond: 0 } });
  // The AWS SDK's default chains read the endpoint and credentials from process.env, as in a
  // Lambda; the cache's own settings come from the env object each test passes.
  savedEnv = { ...process.env };
  for (const [key, value] of Object.entries(stack.env)) {
    if (key.startsWith('AWS_')) process.env[key] = value;
  }
});

afterAll(async () => {
  process.env = savedEnv;
  await stack?.stop();
});

beforeEach(() => {
  logs = [];
  stack.counters.reset();
  stack.faults.clear();
});

describe('get-vehicle-overview', () => {
  it('returns the API answer for the vehicle, calling it with the bearer token', async () => {
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: stackToken(),
      log,
    });
    const result = await handler({ pathParameters: { id: 'v-42' } });

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toContain('application/json');
    expect(JSON.parse(result.body)).toMatchObject({ vehicleId: 'v-42', status: 'parked' });
    expect(stack.counters.get('api.accepted')).toBe(1);
  });

  it('keeps one token across invocations of a warm container', async () => {
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: stackToken(),
      log,
    });
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) => handler({ pathParameters: { id } })),
    );

    expect(results.map((result) => result.statusCode)).toEqual([200, 200, 200, 200]);
    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(stack.counters.get('api.accepted')).toBe(4);
  });

  it('keeps a path prefix of VEHICLE_API_URL', async () => {
    let requested = '';
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: 'https://api.example.com/v1',
      getToken: async () => 'token',
      fetch: async (input) => {
        requested = input instanceof Request ? input.url : String(input);
        return new Response('{}', { status: 200 });
      },
      log,
    });
    await handler({ pathParameters: { id: 'v 1' } });
    expect(requested).toBe('');
    await handler({ pathParameters: { id: 'v-1' } });
    expect(requested).toBe('https://api.example.com/v1/vehicles/v-1/overview');
  });

  it.each([[undefined], [''], ['../admin'], ['a'.repeat(65)], ['v 1']])(
    'answers 400 for the vehicle id %j without asking for a token',
    async (id) => {
      let tokenRequests = 0;
      const handler = createGetVehicleOverviewHandler({
        apiBaseUrl: stack.url,
        getToken: async () => {
          tokenRequests += 1;
          return 'unused';
        },
        log,
      });
      const result = await handler({ pathParameters: id === undefined ? null : { id } });
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body).message).toContain('"id"');
      expect(tokenRequests).toBe(0);
    },
  );

  it('answers 503 and logs the cause, not the secret, when no token can be had', async () => {
    stack.idp.revokeClient(DEFAULT_CLIENT.clientId);
    try {
      const handler = createGetVehicleOverviewHandler({
        apiBaseUrl: stack.url,
        getToken: stackToken(),
        log,
      });
      const result = await handler({ pathParameters: { id: 'v-42' } });

      expect(result.statusCode).toBe(503);
      expect(stack.counters.get('api.requests')).toBe(0);
      expect(logs).toEqual([
        expect.objectContaining({ level: 'error', errorCode: expect.any(String) }),
      ]);
      expect(JSON.stringify(logs)).not.toContain(DEFAULT_CLIENT.clientSecret);
    } finally {
      stack.idp.addClient({
        clientId: DEFAULT_CLIENT.clientId,
        clientSecret: DEFAULT_CLIENT.clientSecret,
        grants: [{ audience: DEFAULT_CLIENT.audience, scope: DEFAULT_CLIENT.scope }],
      });
    }
  });

  it('answers 502 without echoing the API body when the API refuses the token', async () => {
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: async () => 'not-a-jwt',
      log,
    });
    const result = await handler({ pathParameters: { id: 'v-42' } });

    expect(result.statusCode).toBe(502);
    expect(stack.counters.get('api.rejected')).toBe(1);
    expect(result.body).not.toContain('not-a-jwt');
    expect(logs).toEqual([expect.objectContaining({ level: 'error', status: 401 })]);
    expect(JSON.stringify(logs)).not.toContain('not-a-jwt');
  });

  it('retries once with a different token when the API refuses a revoked one', async () => {
    const valid = stackToken();
    const requests: Array<{ forceRefresh?: boolean } | undefined> = [];
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      // The token in hand was revoked: only a forced refresh gets a valid one.
      getToken: async (options) => {
        requests.push(options);
        return options?.forceRefresh ? valid() : 'revoked-token';
      },
      log,
    });
    const result = await handler({ pathParameters: { id: 'v-42' } });

    expect(result.statusCode).toBe(200);
    expect(stack.counters.get('api.rejected')).toBe(1);
    expect(stack.counters.get('api.accepted')).toBe(1);
    expect(requests.filter((options) => options?.forceRefresh)).toHaveLength(1);
  });

  it('does not mint a token per invocation when the API refuses every token', async () => {
    let forced = 0;
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: async (options) => {
        if (options?.forceRefresh) forced += 1;
        return 'refused-everywhere';
      },
      log,
    });
    for (let i = 0; i < 3; i++) {
      expect((await handler({ pathParameters: { id: 'v-42' } })).statusCode).toBe(502);
    }
    expect(forced).toBe(1);
  });

  it('answers 504 when the API does not answer in time', async () => {
    stack.faults.set('api', { failure: 'hang' });
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: stackToken(),
      timeoutMs: 200,
      log,
    });
    const result = await handler({ pathParameters: { id: 'v-42' } });

    expect(result.statusCode).toBe(504);
    expect(logs).toEqual([
      expect.objectContaining({ message: 'vehicle API unreachable', timedOut: true }),
    ]);
  });

  it('starts the API timeout once the token is in hand: a slow token still gets its answer', async () => {
    // The IdP takes longer than the whole API timeout; the invocation has plenty of time left.
    stack.faults.set('idp.token', { latencyMs: 1_500 });
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: stackToken(),
      timeoutMs: 1_000,
      log,
    });
    const result = await handler({ pathParameters: { id: 'v-42' } }, lambdaContext(20_000));

    expect(result.statusCode).toBe(200);
    expect(stack.counters.get('idp.token')).toBe(1);
    expect(stack.counters.get('api.accepted')).toBe(1);
    expect(logs).toEqual([]);
  });

  it('answers 503, naming the budget, when the token takes longer than the invocation allows', async () => {
    // 2.5 s left - 1 s API timeout - 1 s margin: the token may take 0.5 s; the IdP takes 1.5 s.
    stack.faults.set('idp.token', { latencyMs: 1_500 });
    const cache = stackCache();
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: async (options) => (await cache.getToken(options)).accessToken,
      timeoutMs: 1_000,
      marginMs: 1_000,
      log,
    });
    const started = Date.now();
    const context = lambdaContext(2_500);
    const result = await handler({ pathParameters: { id: 'v-42' } }, context);
    const elapsedMs = Date.now() - started;
    // 2.5 s left (less the moment before the handler asked) - 1 s API timeout - 1 s margin.
    const budgetMs = (context.firstReading ?? 0) - 2_000;
    expect(budgetMs).toBeGreaterThan(400);

    expect(result.statusCode).toBe(503);
    expect(elapsedMs).toBeLessThan(2_500); // answered before the Lambda's timeout
    expect(stack.counters.get('api.requests')).toBe(0);
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'no bearer token for the vehicle API',
        errorCode: 'TOKEN_UNAVAILABLE',
        errorMessage: expect.stringContaining(
          `no bearer token within this invocation's budget of ${budgetMs} ms`,
        ),
      }),
    ]);
    // The cache's own fetch carried on: the next invocation finds its token.
    await cache.getToken();
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('serves a token from memory even when no time is left for fetching one', async () => {
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: stackToken(),
      timeoutMs: 1_000,
      log,
    });
    expect((await handler({ pathParameters: { id: 'v-1' } })).statusCode).toBe(200);
    // 1.5 s left: less than the API timeout plus the margin, so the token budget is 0.
    const result = await handler({ pathParameters: { id: 'v-2' } }, lambdaContext(1_500));
    expect(result.statusCode).toBe(200);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('cuts the API timeout to what is left of the invocation', async () => {
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: stackToken(),
      timeoutMs: 60_000,
      marginMs: 1_000,
      log,
    });
    expect((await handler({ pathParameters: { id: 'v-1' } })).statusCode).toBe(200); // warm
    stack.faults.set('api', { failure: 'hang' });
    const started = Date.now();
    const result = await handler({ pathParameters: { id: 'v-42' } }, lambdaContext(2_000));

    expect(result.statusCode).toBe(504);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(logs).toEqual([
      expect.objectContaining({ message: 'vehicle API unreachable', timedOut: true }),
    ]);
  });

  it('answers 502 when the API fails', async () => {
    stack.faults.set('api', { failure: 'http-503', count: 1 });
    const handler = createGetVehicleOverviewHandler({
      apiBaseUrl: stack.url,
      getToken: stackToken(),
      log,
    });
    expect((await handler({ pathParameters: { id: 'v-42' } })).statusCode).toBe(502);
  });

  it.each([['ftp://api.example.com'], ['http://api.example.com'], ['not a url']])(
    'refuses VEHICLE_API_URL=%s, naming the variable',
    (apiBaseUrl) => {
      expect(() => createGetVehicleOverviewHandler({ apiBaseUrl })).toThrow(ConfigError);
      expect(() => createGetVehicleOverviewHandler({ apiBaseUrl })).toThrow(/VEHICLE_API_URL/);
    },
  );
});

describe('token-refresher', () => {
  const parameterName = '/vwc/test/refresher-cache';
  const env = () => ({
    ...stack.env,
    AUTH0_TOKEN_PARAMETER_NAME: parameterName,
    TOKEN_CACHE_METRICS: 'off',
  });

  beforeEach(() => {
    resetTokenRefresherForTests();
  });

  it.each([
    [undefined, DEFAULT_THRESHOLD_MINUTES],
    ['', DEFAULT_THRESHOLD_MINUTES],
    ['90', 90],
    [' 45 ', 45],
  ])('reads TOKEN_REFRESH_THRESHOLD_MINUTES=%j as %i', (raw, minutes) => {
    expect(thresholdMinutesFromEnv({ TOKEN_REFRESH_THRESHOLD_MINUTES: raw })).toBe(minutes);
  });

  it.each([['0'], ['-5'], ['1.5'], ['soon']])(
    'refuses TOKEN_REFRESH_THRESHOLD_MINUTES=%j, naming it',
    (raw) => {
      expect(() => thresholdMinutesFromEnv({ TOKEN_REFRESH_THRESHOLD_MINUTES: raw })).toThrow(
        /TOKEN_REFRESH_THRESHOLD_MINUTES must be a whole number of minutes/,
      );
    },
  );

  it('fills an empty store, then leaves a fresh token alone', async () => {
    const first = await refreshIfExpiringWithin(120, env());
    expect(first).toMatchObject({ refreshed: true, thresholdMinutes: 120 });
    expect(stack.counters.get('idp.issued')).toBe(1);

    resetTokenRefresherForTests(); // a new container
    const second = await refreshIfExpiringWithin(120, env());
    expect(second).toMatchObject({ refreshed: false, expiresAt: first.expiresAt });
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('logs what it did, without the token', async () => {
    const run = createTokenRefresherHandler({
      env: { ...env(), TOKEN_REFRESH_THRESHOLD_MINUTES: '60' },
      log,
    });
    const outcome = await run({});
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'info',
        refreshed: outcome.refreshed,
        thresholdMinutes: 60,
      }),
    ]);
    expect(JSON.stringify(logs)).not.toMatch(/eyJ/);
  });

  it('fails the invocation, and says why, when the token endpoint refuses', async () => {
    stack.idp.revokeClient(DEFAULT_CLIENT.clientId);
    try {
      const run = createTokenRefresherHandler({
        env: { ...env(), AUTH0_TOKEN_PARAMETER_NAME: '/vwc/test/refused' },
        log,
      });
      await expect(run({})).rejects.toThrow();
      expect(logs).toEqual([
        expect.objectContaining({ level: 'error', message: 'shared token refresh failed' }),
      ]);
      expect(JSON.stringify(logs)).not.toContain(DEFAULT_CLIENT.clientSecret);
    } finally {
      stack.idp.addClient({
        clientId: DEFAULT_CLIENT.clientId,
        clientSecret: DEFAULT_CLIENT.clientSecret,
        grants: [{ audience: DEFAULT_CLIENT.audience, scope: DEFAULT_CLIENT.scope }],
      });
    }
  });
});
