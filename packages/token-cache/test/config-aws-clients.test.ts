/**
 * The AWS SDK settings `createTokenCacheFromEnv(env)` takes from an explicit `env` object: the
 * SDK's own variable names, handed to real SDK clients (their resolved config is checked; the
 * traffic itself is in e2e/env-objects.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { awsClientEnvSettings, secretRegion, ssmClientFromEnv } from '../src/config/aws-clients.js';
import { createTokenCacheFromEnv } from '../src/config/from-env.js';
import { ConfigError } from '../src/errors.js';

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'env-objects-secret-key' };

describe('awsClientEnvSettings', () => {
  it("prefers the service's endpoint variable over AWS_ENDPOINT_URL", () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1111',
      AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:2222',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:3333',
    };
    expect(awsClientEnvSettings(env, 'ssm').endpoint).toBe('http://127.0.0.1:2222');
    expect(awsClientEnvSettings(env, 'dynamoDb').endpoint).toBe('http://127.0.0.1:3333');
    expect(awsClientEnvSettings(env, 'secretsManager').endpoint).toBe('http://127.0.0.1:1111');
    expect(awsClientEnvSettings({}, 'ssm')).toEqual({});
  });

  it('ignores the endpoint variables with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1111',
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
    };
    expect(awsClientEnvSettings(env, 'ssm').endpoint).toBeUndefined();
  });

  it('passes a full key pair, with the session token when set', () => {
    expect(awsClientEnvSettings({ ...KEYS, AWS_SESSION_TOKEN: 'session' }, 'ssm')).toEqual({
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'env-objects-secret-key',
        sessionToken: 'session',
      },
    });
  });

  it.each([
    [{ AWS_ENDPOINT_URL_SSM: 'localhost:4566' }, 'AWS_ENDPOINT_URL_SSM', /http\(s\) URL/],
    [{ AWS_ENDPOINT_URL: 'ftp://127.0.0.1' }, 'AWS_ENDPOINT_URL', /http\(s\) URL/],
    [{ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' }, 'AWS_SECRET_ACCESS_KEY', /set when AWS_ACCESS_KEY_ID/],
    [{ AWS_SECRET_ACCESS_KEY: 'only-half' }, 'AWS_ACCESS_KEY_ID', /set when AWS_SECRET_ACCESS_KEY/],
  ])('%j → a ConfigError naming %s', (env, variable, expected) => {
    let error: unknown;
    try {
      awsClientEnvSettings(env, 'ssm');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(expected);
    expect((error as ConfigError).message).not.toContain('only-half');
  });
});

describe('clients built from an env object', () => {
  const env = {
    ...KEYS,
    AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
  };

  // The DynamoDB client is built by the store when it loads: config-lazy-dynamodb.test.ts.
  it.each([['SSM', () => ssmClientFromEnv(env, 'eu-west-1', 1_000), 'http://127.0.0.1:4566/', 1]])(
    '%s: region, endpoint, credentials and attempts',
    async (_, build, endpoint, attempts) => {
      const { config } = build();
      expect(await config.region()).toBe('eu-west-1');
      const resolved = await config.endpoint?.();
      expect(
        `${resolved?.protocol}//${resolved?.hostname}:${resolved?.port}${resolved?.path}`,
      ).toBe(endpoint);
      expect(await config.credentials()).toMatchObject({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'env-objects-secret-key',
      });
      expect(await config.maxAttempts()).toBe(attempts);
    },
  );

  it('createTokenCacheFromEnv checks those settings up front, for the services it will call', () => {
    const credentials = {
      AUTH0_DOMAIN: 'tenant.us.auth0.com',
      AUTH0_M2M_CLIENT_ID: 'client-1',
      AUTH0_M2M_CLIENT_SECRET: 'client-secret',
      AUTH0_AUDIENCE: 'https://api.example.test',
    };
    expect(() =>
      createTokenCacheFromEnv({ ...credentials, AWS_ACCESS_KEY_ID: 'AKID' }, { onEvent: false }),
    ).toThrow(/^AWS_SECRET_ACCESS_KEY must be set/);
    // The DynamoDB endpoint does not matter to an SSM-backed cache.
    expect(() =>
      createTokenCacheFromEnv(
        { ...credentials, AWS_ENDPOINT_URL_DYNAMODB: 'not a url' },
        { onEvent: false },
      ),
    ).not.toThrow();
  });
});

describe('secretRegion', () => {
  it("reads the region out of a secret ARN, so a replica region's Lambda reads the primary's secret where it lives", () => {
    expect(
      secretRegion('arn:aws:secretsmanager:us-west-2:123456789012:secret:vwc/dev/app-AbCdEf'),
    ).toBe('us-west-2');
    expect(
      secretRegion('arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:app-AbCdEf'),
    ).toBe('us-gov-west-1');
    expect(secretRegion('vwc/dev/app')).toBeUndefined();
  });
});
