/**
 * `createTokenCacheFromEnv(env)` honours the `env` it is given for the AWS SDK clients too:
 * two caches in one process, built from two env objects, talk to two different stacks (SSM,
 * Secrets Manager) without anyone touching `process.env`.
 */
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DEFAULT_CLIENT, type LocalStack } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenCacheFromEnv } from '../../src/config/from-env.js';
// Powertools sets its own AWS_SDK_UA_APP_ID in process.env when it loads, which the default
// telemetry does at its first event: loaded here, before the snapshot below, so the check is
// about what the cache does to process.env.
import '../../src/telemetry/powertools-telemetry.js';
import { ssmClientFor, startStack, uniqueParameterName } from './stack-helpers.js';

const SECRET_NAME = 'vwc/test/env-objects';

let first: LocalStack;
let second: LocalStack;
const processEnvBefore = JSON.stringify(process.env);

beforeAll(async () => {
  [first, second] = await Promise.all([
    startStack(),
    startStack({
      secrets: {
        [SECRET_NAME]: JSON.stringify({
          AUTH0_M2M_CLIENT_ID: DEFAULT_CLIENT.clientId,
          AUTH0_M2M_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
        }),
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});
beforeEach(() => {
  for (const stack of [first, second]) stack.counters.reset();
});

/** A container's environment: everything from the stack's own `env` (endpoint, keys, AUTH0_*). */
function envOf(stack: LocalStack, extra: Record<string, string> = {}): Record<string, string> {
  return { ...stack.env, TOKEN_CACHE_METRICS: 'off', ...extra };
}

describe('createTokenCacheFromEnv(env) with env !== process.env', () => {
  it('precondition: process.env does not point the SDK at either stack', () => {
    for (const stack of [first, second]) expect(processEnvBefore).not.toContain(stack.url);
  });

  it('builds two caches on two stacks from two env objects', async () => {
    const name = uniqueParameterName('env-objects');
    const one = createTokenCacheFromEnv(envOf(first, { AUTH0_TOKEN_PARAMETER_NAME: name }));
    const two = createTokenCacheFromEnv(envOf(second, { AUTH0_TOKEN_PARAMETER_NAME: name }));
    const [tokenOne, tokenTwo] = [await one.getToken(), await two.getToken()];

    expect(tokenOne.accessToken).not.toBe(tokenTwo.accessToken);
    for (const [stack, token] of [
      [first, tokenOne],
      [second, tokenTwo],
    ] as const) {
      expect(stack.counters.get('idp.token')).toBe(1);
      expect(stack.counters.get('ssm.PutParameter')).toBeGreaterThan(0);
      // The parameter of the same name holds each stack's own token.
      const stored = await ssmClientFor(stack).send(
        new GetParameterCommand({ Name: name, WithDecryption: true }),
      );
      expect(stored.Parameter?.Value).toContain(token.accessToken);
    }

    // A new container on the first stack shares its token: the shared tier is that stack's.
    const again = createTokenCacheFromEnv(envOf(first, { AUTH0_TOKEN_PARAMETER_NAME: name }));
    expect((await again.getToken()).accessToken).toBe(tokenOne.accessToken);
    expect(first.counters.get('idp.token')).toBe(1);
    expect(JSON.stringify(process.env)).toBe(processEnvBefore);
  });

  it('reads AWS_SECRET_ID from the Secrets Manager of its own env', async () => {
    const env = envOf(second, {
      AUTH0_TOKEN_PARAMETER_NAME: uniqueParameterName('env-objects-secret'),
      AWS_SECRET_ID: SECRET_NAME,
    });
    delete env.AUTH0_M2M_CLIENT_ID;
    delete env.AUTH0_M2M_CLIENT_SECRET;
    await createTokenCacheFromEnv(env).getToken();

    expect(second.counters.get('secretsmanager.GetSecretValue')).toBe(1);
    expect(first.counters.get('secretsmanager.GetSecretValue')).toBe(0);
    expect(second.counters.get('idp.token')).toBe(1);
  });

  it("gives the service's endpoint variable precedence over AWS_ENDPOINT_URL", async () => {
    const name = uniqueParameterName('env-objects-ssm');
    // The IdP and AWS_ENDPOINT_URL of the first stack, SSM of the second.
    const env = envOf(first, {
      AUTH0_TOKEN_PARAMETER_NAME: name,
      AWS_ENDPOINT_URL_SSM: second.url,
    });
    await createTokenCacheFromEnv(env).getToken();

    expect(first.counters.get('idp.token')).toBe(1);
    expect(second.counters.get('ssm.PutParameter')).toBeGreaterThan(0);
    expect(first.counters.get('ssm.GetParameter')).toBe(0);
  });
});
