import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../src/config/env-schema.js';
import { createTokenCacheFromEnv } from '../src/config/from-env.js';
import { resolveSettings } from '../src/config/settings.js';
import { CONFIG_VARIABLES, DEFAULTS, ENV, renderConfigTable } from '../src/config/variables.js';
import { ConfigError } from '../src/errors.js';
import { SsmStore } from '../src/stores/ssm-store.js';

const SECRET = 'config-test-secret-value';
const CREDENTIALS = {
  AUTH0_DOMAIN: 'tenant.us.auth0.com',
  AUTH0_M2M_CLIENT_ID: 'client-1',
  AUTH0_M2M_CLIENT_SECRET: SECRET,
  AUTH0_AUDIENCE: 'https://api.example.test',
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

describe('defaults', () => {
  it("match the seed's names and the design's numbers", () => {
    const settings = resolveSettings({});
    expect(settings).toMatchObject({
      provider: 'auth0',
      shared: true,
      storeKind: 'ssm',
      parameterName: '/vwc/dev/auth0-token-cache',
      parameterType: 'SecureString',
      region: 'us-west-2',
      refreshWindowMs: 300_000,
      minRemainingMs: 30_000,
      deadlineMs: 10_000,
      leaseMs: 15_000,
      endpointTimeoutMs: 5_000,
      storeTimeoutMs: 2_000,
      maxBackoffMs: 300_000,
      errorBackoffMs: 60_000,
      throttleFallback: false,
      name: 'default',
    });
    expect(settings.secretId).toBeUndefined();
    expect(settings.parameterTier).toBeUndefined();
  });
});

describe('precedence: option > environment > default', () => {
  it.each([
    ['parameterName', ENV.parameterName, '/from/env', '/from/option'],
    ['region', ENV.region, 'eu-west-1', 'ap-southeast-2'],
    ['name', ENV.name, 'env-name', 'option-name'],
  ] as const)('%s', (key, variable, fromEnv, fromOption) => {
    expect(resolveSettings({})[key]).toBe(DEFAULTS[key]);
    expect(resolveSettings({ [variable]: fromEnv })[key]).toBe(fromEnv);
    expect(resolveSettings({ [variable]: fromEnv }, { [key]: fromOption })[key]).toBe(fromOption);
  });

  it('reads every duration in milliseconds from its *_MS variable', () => {
    const settings = resolveSettings({
      TOKEN_CACHE_REFRESH_WINDOW_MS: '600000',
      TOKEN_CACHE_MIN_REMAINING_MS: '60000',
      TOKEN_CACHE_DEADLINE_MS: '4000',
      TOKEN_CACHE_LEASE_MS: '9000',
      TOKEN_CACHE_ENDPOINT_TIMEOUT_MS: '3000',
      TOKEN_CACHE_STORE_TIMEOUT_MS: '700',
      TOKEN_CACHE_MAX_BACKOFF_MS: '120000',
      TOKEN_CACHE_ERROR_BACKOFF_MS: '45000',
    });
    expect(settings).toMatchObject({
      refreshWindowMs: 600_000,
      minRemainingMs: 60_000,
      deadlineMs: 4_000,
      leaseMs: 9_000,
      endpointTimeoutMs: 3_000,
      storeTimeoutMs: 700,
      maxBackoffMs: 120_000,
      errorBackoffMs: 45_000,
    });
  });

  it.each([
    ['on', true],
    ['TRUE', true],
    ['off', false],
    ['0', false],
  ])('TOKEN_CACHE_THROTTLE_FALLBACK=%j → throttleFallback %s', (value, fallback) => {
    expect(resolveSettings({ TOKEN_CACHE_THROTTLE_FALLBACK: value }).throttleFallback).toBe(
      fallback,
    );
    expect(
      resolveSettings({ TOKEN_CACHE_THROTTLE_FALLBACK: value }, { throttleFallback: !fallback })
        .throttleFallback,
    ).toBe(!fallback);
  });

  it.each([
    ['off', false],
    ['OFF', false],
    ['false', false],
    ['0', false],
    ['on', true],
    ['true', true],
    ['', true], // empty = unset = default
  ])('TOKEN_CACHE_SHARED=%j → shared %s', (value, shared) => {
    expect(resolveSettings({ TOKEN_CACHE_SHARED: value }).shared).toBe(shared);
  });
});

describe('errors name the variable and what was expected', () => {
  it.each([
    [{ TOKEN_CACHE_DEADLINE_MS: '10s' }, ENV.deadlineMs, /whole number of milliseconds.*got "10s"/],
    [
      { TOKEN_CACHE_LEASE_MS: '0' },
      ENV.leaseMs,
      /integer number of milliseconds from 1 to 31536000000/,
    ],
    [{ TOKEN_CACHE_REFRESH_WINDOW_MS: '-5' }, ENV.refreshWindowMs, /whole number/],
    [{ TOKEN_CACHE_SHARED: 'maybe' }, ENV.shared, /"on" or "off"/],
    [{ TOKEN_CACHE_STORE: 'redis' }, ENV.store, /"ssm", "dynamodb"/],
    [{ TOKEN_CACHE_PARAMETER_TYPE: 'StringList' }, ENV.parameterType, /"SecureString", "String"/],
    [{ TOKEN_CACHE_PARAMETER_TIER: 'Gold' }, ENV.parameterTier, /"Standard"/],
    [{ TOKEN_CACHE_PROVIDER: 'okta' }, ENV.provider, /"auth0", "oauth2"/],
    [{ TOKEN_CACHE_AUTH_METHOD: 'private_key_jwt' }, ENV.authMethod, /client_secret_basic/],
    [{ AWS_REGION: 'mars-1a' }, ENV.region, /AWS region such as "us-west-2"/],
    [{ TOKEN_CACHE_NAME: 'has spaces' }, ENV.name, /letters, digits/],
    [
      { TOKEN_CACHE_MAX_BACKOFF_MS: '0' },
      ENV.maxBackoffMs,
      /integer number of milliseconds from 1 to 31536000000/,
    ],
    [{ TOKEN_CACHE_ERROR_BACKOFF_MS: '1m' }, ENV.errorBackoffMs, /whole number/],
    [{ TOKEN_CACHE_THROTTLE_FALLBACK: 'sometimes' }, ENV.throttleFallback, /"on" or "off"/],
    [
      { TOKEN_CACHE_ERROR_BACKOFF_MS: '300001' },
      ENV.errorBackoffMs,
      /at most the maximum back-off TOKEN_CACHE_MAX_BACKOFF_MS \(300000 ms\), got 300001/,
    ],
    [
      { TOKEN_CACHE_MAX_BACKOFF_MS: '30000' },
      ENV.errorBackoffMs,
      /at most the maximum back-off TOKEN_CACHE_MAX_BACKOFF_MS \(30000 ms\), got 60000/,
    ],
    [
      { TOKEN_CACHE_REFRESH_WINDOW_MS: '10000', TOKEN_CACHE_MIN_REMAINING_MS: '20000' },
      ENV.minRemainingMs,
      /smaller than the refresh window \(10000 ms\)/,
    ],
    [
      { TOKEN_CACHE_REFRESH_WINDOW_MS: '10000', TOKEN_CACHE_MIN_REMAINING_MS: '10000' },
      ENV.minRemainingMs,
      /smaller than the refresh window \(10000 ms\), got 10000/,
    ],
    [
      { TOKEN_CACHE_REFRESH_WINDOW_MS: '0' },
      ENV.refreshWindowMs,
      /integer number of milliseconds from 1 to 31536000000/,
    ],
    [
      { TOKEN_CACHE_LEASE_MS: '1' },
      ENV.leaseMs,
      /at least 15000 ms, so that its working time \(the lease less twice the clock-skew tolerance and one TOKEN_CACHE_STORE_TIMEOUT_MS, which may be at most a quarter of the lease\) holds TOKEN_CACHE_ENDPOINT_TIMEOUT_MS \+ 2 × TOKEN_CACHE_STORE_TIMEOUT_MS \(5000 \+ 2 × 2000 = 9000 ms.*\), got 1$/,
    ],
    // One endpoint call and two store round trips (9 s) no longer fit in 9 s: the holder stops
    // two skews and a write's latency before its lease ends.
    [{ TOKEN_CACHE_LEASE_MS: '9000' }, ENV.leaseMs, /at least 15000 ms.*= 9000 ms.*got 9000$/],
    [{ TOKEN_CACHE_LEASE_MS: '14999' }, ENV.leaseMs, /at least 15000 ms.*got 14999$/],
    // Below 12 s the skew is a floored sixth of the lease, so 7499 fits and 7500 does not:
    // the minimum named is the one from which every lease fits.
    [
      {
        TOKEN_CACHE_LEASE_MS: '7000',
        TOKEN_CACHE_ENDPOINT_TIMEOUT_MS: '2001',
        TOKEN_CACHE_STORE_TIMEOUT_MS: '1000',
      },
      ENV.leaseMs,
      /at least 7501 ms.*got 7000$/,
    ],
    // A store timeout past a quarter of the lease breaks the protocol's latency margin.
    [
      { TOKEN_CACHE_STORE_TIMEOUT_MS: '4000', TOKEN_CACHE_ENDPOINT_TIMEOUT_MS: '1000' },
      ENV.leaseMs,
      /at least 17000 ms.*\(1000 \+ 2 × 4000 = 9000 ms.*got 15000$/,
    ],
    [
      { TOKEN_CACHE_ENDPOINT_TIMEOUT_MS: '12000' },
      ENV.leaseMs,
      /at least 22000 ms.*\(12000 \+ 2 × 2000 = 16000 ms.*got 15000$/,
    ],
    [
      { TOKEN_CACHE_DEADLINE_MS: '2000' },
      ENV.deadlineMs,
      /longer than TOKEN_CACHE_STORE_TIMEOUT_MS \(2000 ms, one store request\), got 2000$/,
    ],
    [
      {
        TOKEN_CACHE_DEADLINE_MS: '3000',
        TOKEN_CACHE_STORE_TIMEOUT_MS: '3000',
        TOKEN_CACHE_LEASE_MS: '30000',
      },
      ENV.deadlineMs,
      /longer than TOKEN_CACHE_STORE_TIMEOUT_MS \(3000 ms/,
    ],
    [{ TOKEN_CACHE_PROVIDER: 'oauth2' }, ENV.tokenEndpoint, /set when TOKEN_CACHE_PROVIDER=oauth2/],
    [{ TOKEN_CACHE_STORE: 'dynamodb' }, ENV.dynamoDbTable, /set when TOKEN_CACHE_STORE=dynamodb/],
    [
      { TOKEN_CACHE_PARAMETER_TYPE: 'String', TOKEN_CACHE_KMS_KEY_ID: 'alias/k' },
      ENV.kmsKeyId,
      /only encrypts SecureString/,
    ],
  ])('%j → %s', (env, variable, expected) => {
    const error = configError(() => resolveSettings(env));
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} must be `)).toBe(true);
    expect(error.message).toMatch(expected);
  });

  it('names the option instead when the bad value came from an option', () => {
    const error = configError(() =>
      resolveSettings({ TOKEN_CACHE_REFRESH_WINDOW_MS: '1000' }, { minRemainingMs: 5000 }),
    );
    expect(error.variable).toBe('minRemainingMs');
    expect(configError(() => resolveSettings({}, { deadlineMs: 1.5 })).variable).toBe('deadlineMs');
    expect(configError(() => resolveSettings({}, { leaseMs: 1000 })).variable).toBe('leaseMs');
    expect(configError(() => resolveSettings({}, { deadlineMs: 2000 })).variable).toBe(
      'deadlineMs',
    );
  });

  it('accepts the default lease: its working time holds one endpoint call and two store round trips', () => {
    expect(resolveSettings({ TOKEN_CACHE_LEASE_MS: '15000' }).leaseMs).toBe(15000);
    expect(resolveSettings({ TOKEN_CACHE_DEADLINE_MS: '2001' }).deadlineMs).toBe(2001);
  });

  it.each([
    [{ AUTH0_TOKEN_PARAMETER_NAME: 'vwc dev' }, ENV.parameterName, /only letters/],
    [{ AUTH0_TOKEN_PARAMETER_NAME: '/aws/cache' }, ENV.parameterName, /"aws" or "ssm"/],
    [{ TOKEN_CACHE_LOCK_PARAMETER_NAME: 'no//good' }, ENV.lockParameterName, /must start with/],
    [
      { AUTH0_DOMAIN: 'http://idp.example.com' },
      ENV.domain,
      /https:\/\/ URL \(http:\/\/ is allowed only for loopback/,
    ],
    [{ AUTH0_DOMAIN: 'not a domain' }, ENV.domain, /bare domain/],
    [{ AUTH0_AUDIENCE: '' }, ENV.audience, /set in the environment/],
    [
      { AUTH0_M2M_CLIENT_ID: '', AUTH0_M2M_CLIENT_SECRET: '' },
      ENV.clientId,
      /set in the environment/,
    ],
    [{ AUTH0_M2M_CLIENT_SECRET: '' }, 'AUTH0_M2M_CLIENT_SECRET', /non-empty client secret/],
  ])('createTokenCacheFromEnv(%j) → %s', (env, variable, expected) => {
    const error = configError(() =>
      createTokenCacheFromEnv({ ...CREDENTIALS, ...env }, { onEvent: false }),
    );
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain(SECRET);
  });

  it('reads only its own variables, and treats empty ones as unset', () => {
    expect(
      parseEnv({ PATH: '/bin', TOKEN_CACHE_DEADLINE_MS: '', TOKEN_CACHE_LEASE_MS: ' 900 ' }),
    ).toEqual({
      TOKEN_CACHE_LEASE_MS: 900,
    });
  });

  it('ignores store settings when the shared tier is off (the rollback switch always works)', () => {
    expect(() =>
      createTokenCacheFromEnv(
        {
          ...CREDENTIALS,
          TOKEN_CACHE_SHARED: 'off',
          AUTH0_TOKEN_PARAMETER_NAME: 'not valid!',
          TOKEN_CACHE_LEASE_MS: '1',
          TOKEN_CACHE_DEADLINE_MS: '100',
        },
        { onEvent: false },
      ),
    ).not.toThrow();
  });
});

describe('what createTokenCacheFromEnv builds', () => {
  it('an SSM store with the configured names, type, tier and timeout', () => {
    const settings = resolveSettings({
      AUTH0_TOKEN_PARAMETER_NAME: '/vwc/prod/auth0-token-cache',
      TOKEN_CACHE_PARAMETER_TIER: 'Advanced',
    });
    expect(settings.parameterTier).toBe('Advanced');
    const store = new SsmStore({ parameterName: settings.parameterName, tier: 'Advanced' });
    expect(store.leaseParameterName).toBe('/vwc/prod/auth0-token-cache-lock');
    expect(store.maxValueLength).toBe(8192);
    expect(store.description).toBe('ssm:/vwc/prod/auth0-token-cache');
  });

  it('a cache named after TOKEN_CACHE_NAME', () => {
    const cache = createTokenCacheFromEnv(
      { ...CREDENTIALS, TOKEN_CACHE_NAME: 'vwc' },
      { onEvent: false },
    );
    expect(cache.name).toBe('vwc');
    expect(JSON.stringify(cache)).not.toContain(SECRET);
  });
});

describe('documentation', () => {
  it('CONFIG.md holds the table generated from CONFIG_VARIABLES', () => {
    const path = fileURLToPath(new URL('../CONFIG.md', import.meta.url));
    // Compared cell by cell: the formatter may re-align the Markdown table's columns.
    expect(tableCells(readFileSync(path, 'utf8'))).toEqual(tableCells(renderConfigTable()));
  });

  it('documents every variable the parser reads', () => {
    const documented = CONFIG_VARIABLES.map((row) => row.name).join(' ');
    for (const variable of Object.values(ENV)) expect(documented).toContain(variable);
  });
});

/** The cells of every Markdown table row (separator rows dropped), trimmed. */
function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}
