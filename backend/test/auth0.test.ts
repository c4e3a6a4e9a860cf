/**
 * The seed's `getAuth0Token()` / `clearAuth0TokenCache()` facade, configured only through
 * `process.env` as in a Lambda, against the local stack over loopback HTTP with the real SDK.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '@token-cache/core';
import {
  DEFAULT_AWS_CREDENTIALS,
  DEFAULT_CLIENT,
  type LocalStack,
  start,
} from '@token-cache/local-stack';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clearAuth0TokenCache,
  getAuth0Token,
  resetAuth0TokenCacheForTests,
} from '../src/lib/auth0.js';

let stack: LocalStack;
let savedEnv: NodeJS.ProcessEnv;
let parameterCounter = 0;
let parameterName: string;

beforeAll(async () => {
  stack = await start({
    port: 0,
    ssm: { readsPerSecond: 0, writesPerSecond: 0 },
    secrets: { 'vwc/test/secrets': '{}' },
  });
  savedEnv = { ...process.env };
});
afterAll(async () => {
  process.env = savedEnv;
  await stack.stop();
});
beforeEach(() => {
  parameterCounter += 1;
  parameterName = `/vwc/test/facade-${process.pid}-${parameterCounter}`;
  // Exactly a Lambda's environment: the stack's AWS_* and AUTH0_*, our parameter name.
  process.env = {
    ...savedEnv,
    ...stack.env,
    AUTH0_TOKEN_PARAMETER_NAME: parameterName,
    TOKEN_CACHE_METRICS: 'off',
  };
  resetAuth0TokenCacheForTests();
  stack.counters.reset();
  stack.faults.clear();
});
afterEach(() => {
  resetAuth0TokenCacheForTests();
});

async function storedValue(): Promise<string | undefined> {
  const ssm = new SSMClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials: DEFAULT_AWS_CREDENTIALS,
  });
  try {
    const output = await ssm.send(
      new GetParameterCommand({ Name: parameterName, WithDecryption: true }),
    );
    return output.Parameter?.Value;
  } finally {
    ssm.destroy();
  }
}

describe("the seed's tests, through the facade", () => {
  it('first call fetches a token', async () => {
    const token = await getAuth0Token();
    expect(token.split('.')).toHaveLength(3); // a JWT
    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(JSON.parse((await storedValue()) ?? '{}').accessToken).toBe(token);
  });

  it('second call reuses it', async () => {
    const first = await getAuth0Token();
    const second = await getAuth0Token();
    expect(second).toBe(first);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('after clear, the next call fetches anew', async () => {
    await getAuth0Token();
    await clearAuth0TokenCache();
    expect(await storedValue()).toBe('not-initialized');
    await getAuth0Token();
    expect(stack.counters.get('idp.issued')).toBe(2);
  });

  it('forceRefresh obtains a token from Auth0 even while one is cached, then reuses that one', async () => {
    await getAuth0Token();
    await getAuth0Token({ forceRefresh: true });
    expect(stack.counters.get('idp.issued')).toBe(2);
    await getAuth0Token();
    expect(stack.counters.get('idp.issued')).toBe(2);
  });
});

describe('the facade across containers', () => {
  it('a new container (fresh module state) reuses the shared token: no second endpoint call', async () => {
    const first = await getAuth0Token();
    resetAuth0TokenCacheForTests(); // what a cold start does to module state
    expect(await getAuth0Token()).toBe(first);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('TOKEN_CACHE_SHARED=off: memory only, no SSM request', async () => {
    process.env.TOKEN_CACHE_SHARED = 'off';
    await getAuth0Token();
    await getAuth0Token();
    const ssmCalls = Object.keys(stack.counters.snapshot()).filter((key) => key.startsWith('ssm.'));
    expect(ssmCalls).toEqual([]);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });
});

describe('configuration through the environment', () => {
  it('reads the credentials from the secret named by AWS_SECRET_ID, once per container', async () => {
    const { PutSecretValueCommand, SecretsManagerClient } = await import(
      '@aws-sdk/client-secrets-manager'
    );
    const sm = new SecretsManagerClient({
      endpoint: stack.url,
      region: 'us-west-2',
      credentials: DEFAULT_AWS_CREDENTIALS,
    });
    await sm.send(
      new PutSecretValueCommand({
        SecretId: 'vwc/test/secrets',
        SecretString: JSON.stringify({
          AUTH0_DOMAIN: stack.url,
          AUTH0_M2M_CLIENT_ID: DEFAULT_CLIENT.clientId,
          AUTH0_M2M_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
          AUTH0_AUDIENCE: DEFAULT_CLIENT.audience,
        }),
      }),
    );
    sm.destroy();
    for (const key of [
      'AUTH0_DOMAIN',
      'AUTH0_M2M_CLIENT_ID',
      'AUTH0_M2M_CLIENT_SECRET',
      'AUTH0_AUDIENCE',
    ]) {
      delete process.env[key];
    }
    process.env.AWS_SECRET_ID = 'vwc/test/secrets';
    stack.counters.reset();

    await getAuth0Token();
    await getAuth0Token();
    await clearAuth0TokenCache();
    await getAuth0Token();
    expect(stack.counters.get('secretsmanager.GetSecretValue')).toBe(1);
    expect(stack.counters.get('idp.issued')).toBe(2);
  });

  it('names the variable when the configuration is wrong, and recovers once it is fixed', async () => {
    process.env.TOKEN_CACHE_REFRESH_WINDOW_MS = 'five minutes';
    const error = await getAuth0Token().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('TOKEN_CACHE_REFRESH_WINDOW_MS');
    expect(stack.counters.snapshot()).toEqual({});

    process.env.TOKEN_CACHE_REFRESH_WINDOW_MS = '300000';
    await expect(getAuth0Token()).resolves.toMatch(/\./);
  });

  it('refuses an http:// AUTH0_DOMAIN that is not loopback', async () => {
    process.env.AUTH0_DOMAIN = 'http://tenant.example.com';
    const error = await getAuth0Token().catch((caught: unknown) => caught);
    expect((error as ConfigError).variable).toBe('AUTH0_DOMAIN');
    expect((error as Error).message).not.toContain(DEFAULT_CLIENT.clientSecret);
  });
});

describe('secrets stay secret', () => {
  it('a rejected client never shows its secret in the error', async () => {
    process.env.AUTH0_M2M_CLIENT_SECRET = 'wrong-secret-that-must-not-leak';
    const error = await getAuth0Token().catch((caught: unknown) => caught);
    const text = [
      String(error),
      (error as Error).stack,
      JSON.stringify(error),
      String((error as Error).cause),
    ].join('\n');
    expect(text).not.toContain('wrong-secret-that-must-not-leak');
    expect(text).toMatch(/401|access_denied/); // it does say why
  });
});
