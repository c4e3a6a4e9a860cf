/**
 * Multi-region configuration (issue 7, part 3): TOKEN_CACHE_PRIMARY_REGION and
 * TOKEN_CACHE_REPLICA_REGIONS parsed, cross-checked against AWS_REGION, and turned into a
 * MultiRegionStore. The store's behaviour over two regions is in e2e/multi-region.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildStore, kmsKeyForRegion } from '../src/config/build-store.js';
import { createTokenCacheFromEnv } from '../src/config/from-env.js';
import { resolveSettings } from '../src/config/settings.js';
import { ENV } from '../src/config/variables.js';
import { ConfigError } from '../src/errors.js';
import { MultiRegionStore } from '../src/stores/multi-region-store.js';
import { SsmStore } from '../src/stores/ssm-store.js';

const CREDENTIALS = {
  AUTH0_DOMAIN: 'tenant.us.auth0.com',
  AUTH0_M2M_CLIENT_ID: 'client-1',
  AUTH0_M2M_CLIENT_SECRET: 'config-regions-secret',
  AUTH0_AUDIENCE: 'https://api.example.test',
};

const MULTI = {
  AWS_REGION: 'eu-west-1',
  TOKEN_CACHE_PRIMARY_REGION: 'us-west-2',
  TOKEN_CACHE_REPLICA_REGIONS: 'eu-west-1, ap-southeast-2',
};

function configError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('region settings', () => {
  it('default to one region: no primary, no replicas', () => {
    const settings = resolveSettings({});
    expect(settings.primaryRegion).toBeUndefined();
    expect(settings.replicaRegions).toEqual([]);
  });

  it('read a comma-separated replica list, blanks and empty items ignored', () => {
    const settings = resolveSettings({
      ...MULTI,
      TOKEN_CACHE_REPLICA_REGIONS: ' eu-west-1 ,, ap-southeast-2 ,',
    });
    expect(settings.primaryRegion).toBe('us-west-2');
    expect(settings.replicaRegions).toEqual(['eu-west-1', 'ap-southeast-2']);
    expect(resolveSettings({ TOKEN_CACHE_REPLICA_REGIONS: ' , ' }).replicaRegions).toEqual([]);
  });

  it('take options over the environment', () => {
    const settings = resolveSettings(MULTI, {
      region: 'ca-central-1',
      primaryRegion: 'us-east-1',
      replicaRegions: ['ca-central-1'],
    });
    expect(settings).toMatchObject({
      region: 'ca-central-1',
      primaryRegion: 'us-east-1',
      replicaRegions: ['ca-central-1'],
    });
  });
});

describe('region errors name the variable and what was expected', () => {
  it.each([
    [
      { ...MULTI, TOKEN_CACHE_REPLICA_REGIONS: 'eu-west-1,Frankfurt' },
      ENV.replicaRegions,
      /comma-separated list of AWS regions.*got "eu-west-1,Frankfurt"/,
    ],
    [
      { ...MULTI, TOKEN_CACHE_REPLICA_REGIONS: 'eu-west-1,eu-west-1' },
      ENV.replicaRegions,
      /without duplicates/,
    ],
    [{ ...MULTI, TOKEN_CACHE_PRIMARY_REGION: 'oregon' }, ENV.primaryRegion, /AWS region such as/],
    [
      { AWS_REGION: 'eu-west-1', TOKEN_CACHE_REPLICA_REGIONS: 'eu-west-1' },
      ENV.primaryRegion,
      /set when TOKEN_CACHE_REPLICA_REGIONS is set/,
    ],
    [
      { ...MULTI, TOKEN_CACHE_REPLICA_REGIONS: 'eu-west-1,us-west-2' },
      ENV.replicaRegions,
      /without the primary region us-west-2/,
    ],
    [
      { ...MULTI, AWS_REGION: 'us-east-1' },
      ENV.region,
      /the primary region or a replica region \(us-west-2, eu-west-1, ap-southeast-2\).*got "us-east-1"/,
    ],
    [
      {
        ...MULTI,
        TOKEN_CACHE_KMS_KEY_ID:
          'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      ENV.kmsKeyId,
      /alias name .* or a multi-Region key/,
    ],
  ])('%j → %s', (env, variable, expected) => {
    const error = configError(() => resolveSettings(env));
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} must be `)).toBe(true);
    expect(error.message).toMatch(expected);
  });

  it.each([
    [{ primaryRegion: 'Oregon' }, 'primaryRegion'],
    [{ replicaRegions: ['eu-west-1', 'nowhere'] }, 'replicaRegions'],
    [{ replicaRegions: ['eu-west-1', 'eu-west-1'] }, 'replicaRegions'],
    [{ region: 'us west 2' }, 'region'],
  ])('option %j → %s', (overrides, variable) => {
    expect(configError(() => resolveSettings({}, overrides)).variable).toBe(variable);
  });

  it('accepts keys that exist in every region: an alias name or a multi-Region key', () => {
    for (const key of [
      'alias/token-cache',
      'mrk-1234abcd12ab34cd56ef1234567890ab',
      'arn:aws:kms:us-west-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    ]) {
      expect(resolveSettings({ ...MULTI, TOKEN_CACHE_KMS_KEY_ID: key }).kmsKeyId).toBe(key);
    }
  });

  it('are not raised with the shared tier off (the rollback switch always works)', () => {
    expect(() =>
      createTokenCacheFromEnv(
        { ...CREDENTIALS, ...MULTI, AWS_REGION: 'us-east-1', TOKEN_CACHE_SHARED: 'off' },
        { onEvent: false },
      ),
    ).not.toThrow();
  });
});

describe('the store built from region settings', () => {
  it('is a MultiRegionStore reading AWS_REGION first, with the same parameter in every region', () => {
    const regions: string[] = [];
    const store = buildStore(resolveSettings(MULTI), {
      ssmClientFor: (region) => {
        regions.push(region);
        return undefined;
      },
    });
    expect(store).toBeInstanceOf(MultiRegionStore);
    expect((store as MultiRegionStore).localRegion).toBe('eu-west-1');
    expect(store?.description).toBe(
      'multi-region(primary us-west-2=ssm:/vwc/dev/auth0-token-cache; replicas eu-west-1=ssm:/vwc/dev/auth0-token-cache, ap-southeast-2=ssm:/vwc/dev/auth0-token-cache; local eu-west-1)',
    );
    expect(regions).toEqual(['us-west-2', 'eu-west-1', 'ap-southeast-2']);
  });

  it('is the primary region’s plain store with a primary and no replicas', () => {
    const store = buildStore(
      resolveSettings({ AWS_REGION: 'eu-west-1', TOKEN_CACHE_PRIMARY_REGION: 'us-west-2' }),
    );
    expect(store).toBeInstanceOf(SsmStore);
  });

  it('re-points a multi-Region key ARN at each region, and leaves aliases and ids alone', () => {
    const arn = 'arn:aws:kms:us-west-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    expect(kmsKeyForRegion(arn, 'eu-west-1')).toBe(
      'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    );
    expect(kmsKeyForRegion('alias/token-cache', 'eu-west-1')).toBe('alias/token-cache');
    const single = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(kmsKeyForRegion(single, 'eu-west-1')).toBe(single);
  });
});
