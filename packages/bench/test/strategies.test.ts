/**
 * The strategies against a real local stack (in-process, loopback HTTP, the real AWS SDK),
 * proven by counting upstream calls.
 */
import { DescribeParametersCommand, GetParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BenchStack, launchBenchStack } from '../src/bench-stack.js';
import { stackSsmClient } from '../src/strategies/aws-clients.js';
import { memoryOnly } from '../src/strategies/memory-only.js';
import { powertoolsParameters } from '../src/strategies/powertools-parameters.js';
import { seedTwoTier } from '../src/strategies/seed-two-tier.js';
import { shared } from '../src/strategies/shared.js';
import type { Strategy, StrategyEnvironment } from '../src/strategies/types.js';
import { compressedTiming } from '../src/timing.js';

const PARAMETER = '/vwc/dev/auth0-token-cache';
let stack: BenchStack;
let environment: StrategyEnvironment;

beforeAll(async () => {
  stack = await launchBenchStack({
    mode: 'in-process',
    readsPerSecond: 0,
    writesPerSecond: 0,
    expiresInSeconds: 3_600,
    idpRateLimitPerSecond: 0,
  });
  environment = { stack, timing: compressedTiming(20), parameterName: PARAMETER };
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  await stack.resetCounters();
});

/**
 * Cold-starts `count` containers one after another; each serves two invocations. Each test
 * uses its own parameter: the shared cache would accept the bare JWT another test's seed
 * strategy wrote (a bare JWT with a usable `exp` and our iss/aud is a valid stored value).
 */
async function coldStarts(
  strategy: Strategy,
  count: number,
  parameterName: string,
): Promise<string[]> {
  const run = await strategy.open({ ...environment, parameterName });
  const tokens: string[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const container = run.createContainer();
      try {
        tokens.push((await container.getToken()).accessToken);
        expect((await container.getToken()).accessToken).toBe(tokens[tokens.length - 1]);
      } finally {
        container.dispose();
      }
    }
  } finally {
    await run.close();
  }
  return tokens;
}

describe('seed-two-tier', () => {
  it('never hits through GetParameter: every cold start reads, fetches and writes', async () => {
    const tokens = await coldStarts(seedTwoTier, 5, '/bench/test/seed-counts');
    const counters = await stack.counters();
    expect(counters['ssm.GetParameter']).toBe(5);
    expect(counters['idp.token']).toBe(5);
    expect(counters['ssm.PutParameter']).toBe(5);
    expect(tokens).toHaveLength(5);
  });

  it('does write the expiry to Description, which only DescribeParameters returns', async () => {
    await coldStarts(seedTwoTier, 1, PARAMETER);
    const ssm = stackSsmClient(stack);
    try {
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: PARAMETER }));
      expect(Parameter?.Value).toBeTruthy();
      expect(Parameter).not.toHaveProperty('Description');
      const described = await ssm.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Values: [PARAMETER] }],
        }),
      );
      expect(described.Parameters?.[0]?.Description).toMatch(/^expires:\d+$/);
    } finally {
      ssm.destroy();
    }
  });
});

describe('memory-only', () => {
  it('fetches one token per cold container and reuses it while warm', async () => {
    await coldStarts(memoryOnly, 4, '/bench/test/memory-only');
    const counters = await stack.counters();
    expect(counters['idp.token']).toBe(4);
    expect(counters['ssm.GetParameter'] ?? 0).toBe(0);
  });
});

describe('shared', () => {
  it('fetches once for the whole fleet: later cold starts read the store', async () => {
    const tokens = await coldStarts(shared, 4, '/bench/test/shared');
    const counters = await stack.counters();
    expect(counters['idp.token']).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    // The first cold start misses and refreshes under the lease; the three others read once.
    expect(counters['ssm.GetParameter']).toBeGreaterThanOrEqual(4);
  });
});

describe('powertools-parameters', () => {
  it('shares the token through SSM: one fetch, one SecureString write, later cold starts read it', async () => {
    const tokens = await coldStarts(powertoolsParameters, 4, '/bench/test/powertools');
    const counters = await stack.counters();
    expect(counters['idp.token']).toBe(1);
    expect(counters['ssm.PutParameter']).toBe(1);
    // Each cold container reads once (its own provider, so no cache across containers).
    expect(counters['ssm.GetParameter']).toBe(4);
    expect(new Set(tokens).size).toBe(1);
  });

  it('has no lease: cold starts racing on an empty parameter each call the IdP', async () => {
    const run = await powertoolsParameters.open({
      ...environment,
      parameterName: '/bench/test/powertools-race',
    });
    const containers = [1, 2, 3].map(() => run.createContainer());
    try {
      await Promise.all(containers.map((container) => container.getToken()));
      expect((await stack.counters())['idp.token']).toBe(3);
    } finally {
      for (const container of containers) container.dispose();
      await run.close();
    }
  });
});
