/**
 * One defaults module and one duration check: the defaults the code applies are the ones the
 * configuration documents, and every duration, from a variable or an option, is refused the
 * same way with the same bounds.
 */
import { describe, expect, it } from 'vitest';
import { createTokenCache, DEFAULT_DEADLINE_MS, DEFAULT_LEASE_MS } from '../src/cache.js';
import { resolveSettings } from '../src/config/settings.js';
import { DEFAULTS as CONFIG_DEFAULTS, CONFIG_VARIABLES, ENV } from '../src/config/variables.js';
import { DEFAULT_SECRET_TIMEOUT_MS } from '../src/credentials.js';
import { DEFAULTS } from '../src/defaults.js';
import { MAX_DURATION_MS, requireDuration } from '../src/duration.js';
import { ConfigError } from '../src/errors.js';
import { DEFAULT_MIN_REMAINING_MS, DEFAULT_REFRESH_WINDOW_MS } from '../src/freshness.js';
import { auth0ClientCredentials } from '../src/sources/auth0.js';
import { DEFAULT_ENDPOINT_TIMEOUT_MS } from '../src/sources/client-credentials.js';
import { DynamoDbStore } from '../src/stores/dynamodb-store.js';
import { DEFAULT_DYNAMODB_TIMEOUT_MS } from '../src/stores/dynamodb-table.js';
import { MemoryStore } from '../src/stores/memory-store.js';
import {
  DEFAULT_PRIMARY_CHECK_WITHIN_MS,
  MultiRegionStore,
} from '../src/stores/multi-region-store.js';
import { DEFAULT_SSM_TIMEOUT_MS, SsmStore } from '../src/stores/ssm-store.js';
import { powertoolsTelemetry } from '../src/telemetry/powertools-telemetry.js';

describe('the defaults', () => {
  it('the code applies are the ones configuration resolves and CONFIG.md shows', () => {
    expect(CONFIG_DEFAULTS).toBe(DEFAULTS);
    const settings = resolveSettings({});
    const code = {
      deadlineMs: DEFAULT_DEADLINE_MS,
      leaseMs: DEFAULT_LEASE_MS,
      refreshWindowMs: DEFAULT_REFRESH_WINDOW_MS,
      minRemainingMs: DEFAULT_MIN_REMAINING_MS,
      endpointTimeoutMs: DEFAULT_ENDPOINT_TIMEOUT_MS,
      storeTimeoutMs: DEFAULT_SSM_TIMEOUT_MS,
    };
    for (const [key, value] of Object.entries(code)) {
      expect(settings[key as keyof typeof code], key).toBe(value);
      const variable = ENV[key as keyof typeof code];
      expect(CONFIG_VARIABLES.find((row) => row.name === variable)?.default, variable).toBe(
        String(value),
      );
    }
    // Same setting, several places: one value.
    expect(DEFAULT_DYNAMODB_TIMEOUT_MS).toBe(settings.storeTimeoutMs);
    expect(DEFAULT_SECRET_TIMEOUT_MS).toBe(settings.endpointTimeoutMs);
    expect(DEFAULT_PRIMARY_CHECK_WITHIN_MS).toBe(settings.refreshWindowMs);
    expect(settings.maxBackoffMs).toBe(DEFAULTS.maxBackoffMs);
    expect(settings.errorBackoffMs).toBe(DEFAULTS.errorBackoffMs);
    expect(settings.name).toBe(DEFAULTS.name);
  });
});

describe('requireDuration, the one duration check', () => {
  it('accepts whole milliseconds from the minimum to one year, and the fallback for undefined', () => {
    expect(requireDuration('x', undefined, 7, 1)).toBe(7);
    expect(requireDuration('x', 0, 7)).toBe(0);
    expect(requireDuration('x', MAX_DURATION_MS, 7, 1)).toBe(MAX_DURATION_MS);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_DURATION_MS + 1]) {
      expect(() => requireDuration('x', bad, 7, 1), String(bad)).toThrow(ConfigError);
    }
  });

  const source = auth0ClientCredentials({
    domain: 'tenant.us.auth0.com',
    clientId: 'c',
    clientSecret: 's',
    audience: 'https://api.example.test',
  });
  const tenYears = 10 * MAX_DURATION_MS;

  it.each([
    ['deadlineMs (cache)', () => createTokenCache({ source, deadlineMs: tenYears })],
    ['leaseMs (option)', () => resolveSettings({}, { leaseMs: tenYears })],
    [ENV.leaseMs, () => resolveSettings({ [ENV.leaseMs]: String(tenYears) })],
    [
      'timeoutMs (source)',
      () =>
        auth0ClientCredentials({
          domain: 'tenant.us.auth0.com',
          clientId: 'c',
          clientSecret: 's',
          audience: 'a',
          timeoutMs: 1.5,
        }),
    ],
    [
      'timeoutMs (SSM)',
      () => new SsmStore({ parameterName: '/p', region: 'us-west-2', timeoutMs: tenYears }),
    ],
    [
      'ttlMarginMs (DynamoDB)',
      () => new DynamoDbStore({ tableName: 'table', region: 'us-west-2', ttlMarginMs: 0.5 }),
    ],
    [
      'primaryCheckWithinMs (multi-region)',
      () =>
        new MultiRegionStore({
          primary: { region: 'us-west-2', store: new MemoryStore() },
          replicas: [{ region: 'eu-west-1', store: new MemoryStore() }],
          localRegion: 'eu-west-1',
          primaryCheckWithinMs: -1,
        }),
    ],
    [
      'flushIntervalMs (telemetry)',
      () => powertoolsTelemetry({ env: {}, logger: false, flushIntervalMs: tenYears }),
    ],
  ])('%s is refused with the same message', (_, build) => {
    expect(build).toThrow(
      /must be an integer number of milliseconds from [01] to 31536000000 \(one year\)/,
    );
  });
});
