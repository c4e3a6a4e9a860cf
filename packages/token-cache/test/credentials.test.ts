import { PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DEFAULT_CLIENT, type LocalStack } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  credentialsFromEnv,
  mergeCredentialValues,
  readCredentialSecret,
} from '../src/credentials.js';
import { ConfigError, SecretContentError, TokenCacheError } from '../src/errors.js';
import {
  containerCache,
  exposedText,
  rejectionOf,
  secretsClientFor,
  startStack,
  uniqueParameterName,
} from './e2e/stack-helpers.js';

const SECRET_ID = 'vwc/dev/secrets';
let stack: LocalStack;
let secrets: SecretsManagerClient;
let seedSecret: Record<string, string>;

beforeAll(async () => {
  // The domain is set below, once the stack's own URL is known.
  seedSecret = {
    AUTH0_DOMAIN: '',
    AUTH0_M2M_CLIENT_ID: DEFAULT_CLIENT.clientId,
    AUTH0_M2M_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    AUTH0_AUDIENCE: DEFAULT_CLIENT.audience,
    MONGODB_URI: 'mongodb://not-a-credential',
  };
  stack = await startStack({
    secrets: {
      [SECRET_ID]: '{}',
      'vwc/not-json': 'this is {not json, and maybe secret',
      'vwc/array': '[1,2]',
      'vwc/no-audience': '{}',
      'vwc/fixed-later': '{"MONGODB_URI":"mongodb://not-a-credential"}',
    },
  });
  // The stack's URL is only known now: point the seed secret's domain at it.
  seedSecret.AUTH0_DOMAIN = stack.url;
  secrets = secretsClientFor(stack);
  await secrets.send(
    new PutSecretValueCommand({ SecretId: SECRET_ID, SecretString: JSON.stringify(seedSecret) }),
  );
  await secrets.send(
    new PutSecretValueCommand({
      SecretId: 'vwc/no-audience',
      SecretString: JSON.stringify({ ...seedSecret, AUTH0_AUDIENCE: undefined }),
    }),
  );
});
afterAll(async () => {
  secrets.destroy();
  await stack.stop();
});
beforeEach(() => {
  stack.counters.reset();
  stack.faults.clear();
});

describe('readCredentialSecret', () => {
  it("reads the seed's four keys from the secret's JSON and ignores the others", async () => {
    const values = await readCredentialSecret(SECRET_ID, { client: secrets });
    expect(values).toEqual({
      AUTH0_DOMAIN: stack.url,
      AUTH0_M2M_CLIENT_ID: seedSecret.AUTH0_M2M_CLIENT_ID,
      AUTH0_M2M_CLIENT_SECRET: seedSecret.AUTH0_M2M_CLIENT_SECRET,
      AUTH0_AUDIENCE: seedSecret.AUTH0_AUDIENCE,
    });
    expect(stack.counters.get('secretsmanager.GetSecretValue')).toBe(1);
  });

  it('names AWS_SECRET_ID when the secret does not exist', async () => {
    const error = await rejectionOf(readCredentialSecret('vwc/missing', { client: secrets }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('AWS_SECRET_ID');
    expect((error as Error).message).toMatch(
      /"vwc\/missing" failed with ResourceNotFoundException/,
    );
  });

  it.each([
    ['vwc/not-json', /is not JSON/],
    ['vwc/array', /is not one/],
  ])(
    'names AWS_SECRET_ID, without quoting the value, when %s is malformed',
    async (id, message) => {
      const error = await rejectionOf(readCredentialSecret(id, { client: secrets }));
      expect(error).toBeInstanceOf(SecretContentError);
      expect((error as ConfigError).variable).toBe('AWS_SECRET_ID');
      expect((error as SecretContentError).missingKeys).toEqual([
        'AUTH0_DOMAIN',
        'AUTH0_M2M_CLIENT_ID',
        'AUTH0_M2M_CLIENT_SECRET',
        'AUTH0_AUDIENCE',
      ]);
      expect((error as Error).message).toMatch(message);
      expect(exposedText(error)).not.toContain('maybe secret');
    },
  );

  it('treats access denied as configuration, throttling as transient', async () => {
    stack.faults.set('secretsmanager', { failure: 'access-denied', count: 1 });
    expect(await rejectionOf(readCredentialSecret(SECRET_ID, { client: secrets }))).toBeInstanceOf(
      ConfigError,
    );
    stack.faults.set('secretsmanager', { failure: 'throttle', count: 1 });
    const transient = await rejectionOf(readCredentialSecret(SECRET_ID, { client: secrets }));
    expect(transient).not.toBeInstanceOf(ConfigError);
    expect((transient as TokenCacheError).code).toBe('TOKEN_UNAVAILABLE');
    expect(exposedText(transient)).not.toContain(seedSecret.AUTH0_M2M_CLIENT_SECRET);
  });

  it('names the network error code when Secrets Manager is unreachable', async () => {
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    // A stopped stack's port: nothing listens there any more.
    const closed = await startStack();
    await closed.stop();
    const client = new SecretsManagerClient({
      endpoint: closed.url,
      region: 'us-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const error = await rejectionOf(readCredentialSecret(SECRET_ID, { client }));
    client.destroy();
    expect((error as TokenCacheError).code).toBe('TOKEN_UNAVAILABLE');
    expect((error as Error).message).toMatch(/\(ECONNREFUSED\)$/);
  });
});

describe('credentials in the environment', () => {
  it('takes the AUTH0_* keys (not the parameter name) and lets the secret win over them', () => {
    const fromEnv = credentialsFromEnv({
      AUTH0_DOMAIN: 'env.example.com',
      AUTH0_AUDIENCE: 'https://env.api',
      AUTH0_TOKEN_PARAMETER_NAME: '/x',
      AUTH0_M2M_CLIENT_ID: '  ',
      PATH: '/usr/bin',
    });
    expect(fromEnv).toEqual({ AUTH0_DOMAIN: 'env.example.com', AUTH0_AUDIENCE: 'https://env.api' });
    expect(mergeCredentialValues({ AUTH0_DOMAIN: 'secret.example.com' }, fromEnv)).toEqual({
      AUTH0_DOMAIN: 'secret.example.com',
      AUTH0_AUDIENCE: 'https://env.api',
    });
  });
});

describe('createTokenCacheFromEnv with AWS_SECRET_ID', () => {
  const bareEnv = (extra: Record<string, string>) => ({
    AUTH0_DOMAIN: '',
    AUTH0_M2M_CLIENT_ID: '',
    AUTH0_M2M_CLIENT_SECRET: '',
    AUTH0_AUDIENCE: '',
    ...extra,
  });

  it('reads the secret once per container, however many calls follow', async () => {
    const cache = containerCache(stack, uniqueParameterName('secret-once'), {
      env: bareEnv({ AWS_SECRET_ID: SECRET_ID }),
      overrides: { secretsManagerClient: secrets },
    });
    const first = await cache.getToken();
    for (let call = 0; call < 10; call++) await cache.getToken();
    await cache.clear();
    await cache.getToken();
    expect(first.clientId).toBe(seedSecret.AUTH0_M2M_CLIENT_ID);
    expect(stack.counters.get('secretsmanager.GetSecretValue')).toBe(1);
    expect(stack.counters.get('idp.issued')).toBe(2);
  });

  it('50 concurrent first calls share one secret read and one endpoint call', async () => {
    const cache = containerCache(stack, uniqueParameterName('secret-concurrent'), {
      env: bareEnv({ AWS_SECRET_ID: SECRET_ID }),
      overrides: { secretsManagerClient: secrets },
    });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.getToken()));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(stack.counters.get('secretsmanager.GetSecretValue')).toBe(1);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('retries a failed secret read on the next call (a failure is not cached)', async () => {
    stack.faults.set('secretsmanager', { failure: 'throttle', count: 1 });
    const cache = containerCache(stack, uniqueParameterName('secret-retry'), {
      env: bareEnv({ AWS_SECRET_ID: SECRET_ID }),
      overrides: { secretsManagerClient: secrets },
    });
    expect(await rejectionOf(cache.getToken())).toBeInstanceOf(TokenCacheError);
    await expect(cache.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(stack.counters.get('secretsmanager.GetSecretValue')).toBe(2);
  });

  it('fills a key the secret lacks from the environment', async () => {
    const cache = containerCache(stack, uniqueParameterName('secret-mix'), {
      env: bareEnv({
        AWS_SECRET_ID: 'vwc/no-audience',
        AUTH0_AUDIENCE: seedSecret.AUTH0_AUDIENCE ?? '',
      }),
      overrides: { secretsManagerClient: secrets },
    });
    await expect(cache.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('names the keys missing from both the secret and the environment, never a value', async () => {
    const cache = containerCache(stack, uniqueParameterName('secret-missing'), {
      env: bareEnv({ AWS_SECRET_ID: 'vwc/no-audience' }),
      overrides: { secretsManagerClient: secrets },
    });
    const error = await rejectionOf(cache.getToken());
    expect(error).toBeInstanceOf(SecretContentError);
    expect((error as SecretContentError).variable).toBe('AWS_SECRET_ID');
    expect((error as SecretContentError).missingKeys).toEqual(['AUTH0_AUDIENCE']);
    expect((error as Error).message).toMatch(/"vwc\/no-audience" lacks AUTH0_AUDIENCE/);
    for (const value of Object.values(seedSecret)) {
      if (value) expect(exposedText(error)).not.toContain(value);
    }
    expect(stack.counters.get('idp.token')).toBe(0);
  });

  it('reads an unusable secret again only after the back-off (injected clock)', async () => {
    let now = Date.now();
    const cache = containerCache(stack, uniqueParameterName('secret-backoff'), {
      env: bareEnv({ AWS_SECRET_ID: 'vwc/fixed-later', TOKEN_CACHE_ERROR_BACKOFF_MS: '60000' }),
      overrides: { secretsManagerClient: secrets, clock: () => now },
    });
    const reads = () => stack.counters.get('secretsmanager.GetSecretValue');
    const first = await rejectionOf(cache.getToken());
    expect((first as SecretContentError).missingKeys).toEqual([
      'AUTH0_DOMAIN',
      'AUTH0_AUDIENCE',
      'AUTH0_M2M_CLIENT_ID',
      'AUTH0_M2M_CLIENT_SECRET',
    ]);
    for (let call = 0; call < 5; call++) {
      expect(await rejectionOf(cache.getToken())).toBe(first);
    }
    expect(reads()).toBe(1);

    // The operator fixes the secret; the container notices once the back-off has passed.
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: 'vwc/fixed-later',
        SecretString: JSON.stringify(seedSecret),
      }),
    );
    now += 59_999;
    expect(await rejectionOf(cache.getToken())).toBe(first);
    expect(reads()).toBe(1);
    now += 1;
    await expect(cache.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(reads()).toBe(2);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it("reads the secret inside getToken()'s deadline", async () => {
    stack.faults.set('secretsmanager', { failure: 'hang', hangMs: 3_000 });
    const cache = containerCache(stack, uniqueParameterName('secret-deadline'), {
      env: bareEnv({
        AWS_SECRET_ID: SECRET_ID,
        TOKEN_CACHE_DEADLINE_MS: '1000',
        TOKEN_CACHE_STORE_TIMEOUT_MS: '200',
      }),
      overrides: { secretsManagerClient: secrets },
    });
    const error = await rejectionOf(cache.getToken());
    expect(error).toBeInstanceOf(TokenCacheError);
    expect((error as TokenCacheError).code).toBe('DEADLINE_EXCEEDED');
    expect((error as Error).message).toMatch(/1000 ms deadline/);
    expect(stack.counters.get('idp.token')).toBe(0);
    // Out of time is transient: the next call reads the secret again at once.
    stack.faults.clear();
    await expect(cache.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(stack.counters.get('secretsmanager.GetSecretValue')).toBe(2);
  });

  it("stops waiting for the secret when getToken()'s signal aborts", async () => {
    stack.faults.set('secretsmanager', { failure: 'hang', hangMs: 3_000 });
    const cache = containerCache(stack, uniqueParameterName('secret-signal'), {
      env: bareEnv({ AWS_SECRET_ID: SECRET_ID }),
      overrides: { secretsManagerClient: secrets },
    });
    const controller = new AbortController();
    const call = rejectionOf(cache.getToken({ signal: controller.signal }));
    const reason = new Error('the caller gave up');
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(stack.counters.get('idp.token')).toBe(0);
  });
});
