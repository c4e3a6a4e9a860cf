/**
 * Secrets stay secret (design guarantee 9): over everything the CLI prints (every command, text
 * and JSON, with the cache's logs on stderr, in success and failure) and everything the
 * library's logs and EMF metrics print in a Lambda-like process, neither a client secret nor
 * an access token appears — except on the stdout of `get` and of an explicit `--show-token`.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TokenUnavailableError } from '@token-cache/core';
import { createTokenCacheFromEnv } from '@token-cache/core/internal';
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { baseEnv, JWT_SHAPE, runCli } from './support/run-cli.js';

let stack: LocalStack;
const rotatedClient = {
  clientId: 'redaction-client',
  clientSecret: 'secret-held-only-in-secrets-manager-42',
};
const secretName = 'redaction/auth0-m2m';
const clientSecrets = [DEFAULT_CLIENT.clientSecret, rotatedClient.clientSecret];

beforeAll(async () => {
  stack = await start({ ssm: { readsPerSecond: 0, writesPerSecond: 0 } });
  stack.idp.addClient({ ...rotatedClient, grants: [{ audience: DEFAULT_CLIENT.audience }] });
  const secrets = new SecretsManagerClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await secrets.send(
    new CreateSecretCommand({
      Name: secretName,
      SecretString: JSON.stringify({
        AUTH0_DOMAIN: stack.url,
        AUTH0_M2M_CLIENT_ID: rotatedClient.clientId,
        AUTH0_M2M_CLIENT_SECRET: rotatedClient.clientSecret,
        AUTH0_AUDIENCE: DEFAULT_CLIENT.audience,
      }),
    }),
  );
  secrets.destroy();
});

afterAll(async () => {
  await stack.stop();
});

/** Asserts that `printed` holds no client secret and no JWT. */
function expectClean(printed: string, where: string): void {
  for (const secret of clientSecrets)
    expect(printed, `${where} printed a client secret`).not.toContain(secret);
  expect(printed, `${where} printed a token`).not.toMatch(JWT_SHAPE);
}

/**
 * Each test spawns about a dozen CLI processes (each a Node start, an SDK client, a store and
 * an IdP round trip): a budget that holds on a loaded 2-core machine, not a measure of speed.
 */
const CLI_TEST_TIMEOUT_MS = 120_000;

/** The CLI's own configuration: credentials in the environment. */
function withEnvCredentials(): Record<string, string> {
  return baseEnv({ ...stack.env, AUTH0_TOKEN_PARAMETER_NAME: '/redaction/env' });
}

/** The CLI's own configuration: credentials in Secrets Manager (`AWS_SECRET_ID`). */
function withSecretsManager(): Record<string, string> {
  const { AUTH0_M2M_CLIENT_SECRET: _s, AUTH0_M2M_CLIENT_ID: _i, ...withoutCredentials } = stack.env;
  return baseEnv({
    ...withoutCredentials,
    AWS_SECRET_ID: secretName,
    AUTH0_TOKEN_PARAMETER_NAME: '/redaction/secret',
  });
}

describe('CLI output', () => {
  const tokens = new Map<string, string>();

  it.each([
    ['credentials in the environment', withEnvCredentials],
    ['credentials in Secrets Manager', withSecretsManager],
  ])(
    'never prints a secret, and a token only where asked (%s)',
    async (label, envFor) => {
      const env = envFor();
      const got = await runCli(['get', '--verbose'], env);
      expect(got.code).toBe(0);
      tokens.set(label, got.stdout.trim());
      expectClean(got.stderr, 'get --verbose (stderr)');
      for (const secret of clientSecrets) expect(got.stdout).not.toContain(secret);

      const shown = await runCli(['inspect', '--show-token'], env);
      expect(shown.stdout).toContain(got.stdout.trim());
      expectClean(shown.stderr, 'inspect --show-token (stderr)');

      // Read-only commands side by side, then the ones that change the store, in order.
      const readOnly = [
        ['get', '--json', '--verbose'],
        ['inspect'],
        ['inspect', '--json'],
        ['doctor'],
        ['doctor', '--fetch', '--json'],
      ];
      const changing = [
        ['refresh', '--force', '--json', '--verbose'],
        ['clear', '--verbose'],
        ['refresh', '--verbose'],
      ];
      const results = await Promise.all(readOnly.map((args) => runCli(args, env)));
      for (const args of changing) results.push(await runCli(args, env));
      for (const run of results) {
        expect(run.code, `${run.args.join(' ')}: ${run.stderr}`).toBe(0);
        // `get --json` is `get`: its stdout carries the token by design; its stderr must not.
        expectClean((run.args[0] === 'get' ? '' : run.stdout) + run.stderr, run.args.join(' '));
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it('the two configurations got two different tokens', () => {
    expect(tokens.size).toBe(2);
    expect(new Set(tokens.values()).size).toBe(2);
  });

  it(
    'never prints a secret when it fails: rejected credentials, a denied write, logs on',
    async () => {
      const wrongSecret = {
        ...withEnvCredentials(),
        AUTH0_M2M_CLIENT_SECRET: 'a-wrong-secret-value-007',
      };
      clientSecrets.push(wrongSecret.AUTH0_M2M_CLIENT_SECRET);
      const rejected = await runCli(['get', '--json', '--verbose'], {
        ...wrongSecret,
        AUTH0_TOKEN_PARAMETER_NAME: '/redaction/wrong',
      });
      expect(rejected.code).toBe(4);
      expectClean(rejected.stdout + rejected.stderr, 'get with a wrong secret');
      const rejectedDoctor = await runCli(['doctor', '--fetch'], wrongSecret);
      expect(rejectedDoctor.code).toBe(1);
      expectClean(
        rejectedDoctor.stdout + rejectedDoctor.stderr,
        'doctor --fetch with a wrong secret',
      );

      stack.faults.set('ssm.PutParameter', { failure: 'access-denied' });
      try {
        for (const args of [['clear', '--json'], ['doctor'], ['refresh', '--force', '--verbose']]) {
          const run = await runCli(args, withEnvCredentials());
          // refresh still succeeds (the fleet degrades to memory); clear and doctor fail.
          if (args[0] !== 'refresh') expect(run.code).not.toBe(0);
          expectClean(run.stdout + run.stderr, `${args.join(' ')} with writes denied`);
        }
      } finally {
        stack.faults.clear();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

describe('library logs and metrics', () => {
  it('print neither the token nor the secret in a Lambda-like process', async () => {
    const printed: string[] = [];
    const capture = (chunk: string | Uint8Array): boolean => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    vi.stubEnv('POWERTOOLS_DEV', '');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const ssmClient = new SSMClient({
      endpoint: stack.url,
      region: 'us-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const tokens: string[] = [];
    try {
      const env = {
        ...stack.env,
        AUTH0_TOKEN_PARAMETER_NAME: '/redaction/lambda',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        // A throttled store is retried until the deadline's store share ends: keep it short,
        // with room for one slow store request on a loaded machine.
        TOKEN_CACHE_DEADLINE_MS: '4000',
        TOKEN_CACHE_STORE_TIMEOUT_MS: '1500',
      };
      const cache = createTokenCacheFromEnv(env, { ssmClient });
      tokens.push((await cache.getToken()).accessToken); // endpoint fetch, store write
      tokens.push((await cache.getToken()).accessToken); // memory hit
      tokens.push((await cache.getToken({ forceRefresh: true })).accessToken); // revoked: new token
      // A cold start while SSM throttles: no token without the lease, a typed error.
      stack.faults.set('ssm', { failure: 'throttle' });
      const busy = createTokenCacheFromEnv(env, { ssmClient });
      const refused = busy.getToken();
      await expect(refused).rejects.toBeInstanceOf(TokenUnavailableError);
      await expect(refused).rejects.toThrow(/throttled/);
      // A cold start while SSM fails: a lease-less endpoint fetch, kept in memory.
      stack.faults.set('ssm', { failure: 'http-503' });
      const fresh = createTokenCacheFromEnv(env, { ssmClient });
      tokens.push((await fresh.getToken()).accessToken);
      stack.faults.clear();
      await cache.clear();
      const wrong = createTokenCacheFromEnv(
        { ...env, AUTH0_M2M_CLIENT_SECRET: 'lambda-wrong-secret-0001' },
        { ssmClient },
      );
      clientSecrets.push('lambda-wrong-secret-0001');
      await expect(wrong.getToken()).rejects.toThrow();
      await cache.flushMetrics();
      await busy.flushMetrics();
      await fresh.flushMetrics();
      await wrong.flushMetrics();
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      vi.unstubAllEnvs();
      ssmClient.destroy();
      stack.faults.clear();
    }

    const output = printed.join('');
    // Not vacuous: logs and EMF metrics were printed.
    expect(output).toContain('"_aws"');
    expect(output).toContain('EndpointFetch');
    expect(output).toContain('StoreError');
    expect(output).toContain('token refreshed from the token endpoint');
    for (const token of tokens) expect(output).not.toContain(token);
    expectClean(output, 'logs and metrics');
  });
});
