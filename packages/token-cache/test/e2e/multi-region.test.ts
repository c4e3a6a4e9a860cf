/**
 * Multi-region from the environment (issue 7, part 3): `createTokenCacheFromEnv()` with
 * TOKEN_CACHE_PRIMARY_REGION / TOKEN_CACHE_REPLICA_REGIONS builds a MultiRegionStore. Two local
 * stacks are the two regions; `ssmClientFor` gives each region its own endpoint (the SDK's
 * endpoint variables apply to every region alike). The IdP of the primary's stack serves both
 * regions: there is one Auth0 tenant.
 */
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { LocalStack } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenCacheFromEnv } from '../../src/config/from-env.js';
import type { TokenCacheEvent } from '../../src/events.js';
import { ssmClientFor, stackCacheEnv, startStack, uniqueParameterName } from './stack-helpers.js';

const PRIMARY = 'us-west-2';
const REPLICA = 'eu-west-1';

let west: LocalStack;
let europe: LocalStack;
const stackOf = (region: string) => (region === PRIMARY ? west : europe);

beforeAll(async () => {
  [west, europe] = await Promise.all([startStack(), startStack()]);
});
afterAll(async () => {
  await Promise.all([west?.stop(), europe?.stop()]);
});
beforeEach(() => {
  for (const stack of [west, europe]) {
    stack.counters.reset();
    stack.faults.clear();
  }
});

/** A container in `region`, configured the way Terraform configures every region's Lambdas. */
function container(parameterName: string, region: string, events: TokenCacheEvent[] = []) {
  return createTokenCacheFromEnv(
    stackCacheEnv(west, {
      AWS_REGION: region,
      AUTH0_TOKEN_PARAMETER_NAME: parameterName,
      TOKEN_CACHE_PRIMARY_REGION: PRIMARY,
      TOKEN_CACHE_REPLICA_REGIONS: REPLICA,
    }),
    {
      ssmClientFor: (storeRegion) => ssmClientFor(stackOf(storeRegion)),
      onEvent: (event) => events.push(event),
    },
  );
}

async function storedValue(region: string, name: string): Promise<string | undefined> {
  try {
    const output = await ssmClientFor(stackOf(region)).send(
      new GetParameterCommand({ Name: name, WithDecryption: true }),
    );
    return output.Parameter?.Value;
  } catch {
    return undefined; // ParameterNotFound
  }
}

describe('multi-region from TOKEN_CACHE_PRIMARY_REGION / TOKEN_CACHE_REPLICA_REGIONS', () => {
  it('a primary-region container writes the token to both regions', async () => {
    const name = uniqueParameterName('regions-write');
    const token = await container(name, PRIMARY).getToken();

    expect(await storedValue(PRIMARY, name)).toContain(token.accessToken);
    expect(await storedValue(REPLICA, name)).toContain(token.accessToken);
    expect(west.counters.get('idp.token')).toBe(1);
  });

  it('a replica-region container reads the token the primary wrote, from its own region', async () => {
    const name = uniqueParameterName('regions-read');
    const token = await container(name, PRIMARY).getToken();
    for (const stack of [west, europe]) stack.counters.reset();

    expect((await container(name, REPLICA).getToken()).accessToken).toBe(token.accessToken);
    expect(europe.counters.get('ssm.GetParameter')).toBe(1);
    expect(west.counters.get('ssm.GetParameter')).toBe(0);
    expect(west.counters.get('idp.token')).toBe(0);
  });

  it("falls back to the primary when its region's SSM fails", async () => {
    const name = uniqueParameterName('regions-fallback');
    const token = await container(name, PRIMARY).getToken();
    for (const stack of [west, europe]) stack.counters.reset();
    europe.faults.set('ssm', { failure: 'http-503' });

    const events: TokenCacheEvent[] = [];
    expect((await container(name, REPLICA, events).getToken()).accessToken).toBe(token.accessToken);
    expect(europe.counters.get('ssm.GetParameter')).toBeGreaterThan(0);
    expect(west.counters.get('ssm.GetParameter')).toBeGreaterThan(0);
    expect(west.counters.get('idp.token')).toBe(0);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store-error', operation: `${REPLICA}:GetParameter` }),
    );
  });

  it('a replica-region container that refreshes writes both regions and leases in the primary', async () => {
    const name = uniqueParameterName('regions-refresh');
    const token = await container(name, REPLICA).getToken();

    expect(west.counters.get('idp.token')).toBe(1);
    expect(await storedValue(PRIMARY, name)).toContain(token.accessToken);
    expect(await storedValue(REPLICA, name)).toContain(token.accessToken);
    // The lease parameter is never touched in the replica region.
    expect(europe.counters.get('ssm.DeleteParameter')).toBe(0);
    expect(await storedValue(REPLICA, `${name}-lock`)).toBeUndefined();
  });
});
