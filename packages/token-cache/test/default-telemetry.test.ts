/**
 * The telemetry `createTokenCacheFromEnv()` uses by default: Powertools loaded by the first
 * event, every event raised meanwhile handed over in order, and the same EMF metrics and log
 * lines `powertoolsTelemetry()` writes for the same events.
 */
import { describe, expect, it } from 'vitest';
import { createTokenCacheFromEnv } from '../src/config/from-env.js';
import { ConfigError } from '../src/errors.js';
import type { TokenCacheEvent } from '../src/events.js';
import { tokenCacheMiddleware } from '../src/integrations/middy-middleware.js';
import { defaultTelemetry } from '../src/telemetry/default-telemetry.js';
import { powertoolsTelemetry } from '../src/telemetry/powertools-telemetry.js';
import { flushTokenCacheMetrics } from '../src/telemetry/telemetry-settings.js';
import { capturePowertoolsOutput } from './powertools-output.js';

const output = capturePowertoolsOutput();

/** The printed JSON lines without what differs from run to run (the times). */
function lines(): Array<Record<string, unknown>> {
  return output.chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { timestamp: _t, Timestamp: _T, ...rest } = JSON.parse(line) as Record<string, unknown>;
      if (rest._aws) rest._aws = { ...(rest._aws as object), Timestamp: 0 };
      return rest;
    });
}

const EVENTS: TokenCacheEvent[] = [
  { type: 'miss', tier: 'memory', reason: 'absent' },
  { type: 'store-read', durationMs: 3, key: 'token' },
  { type: 'miss', tier: 'store', reason: 'absent' },
  { type: 'lease-acquired', takeover: true },
  { type: 'endpoint-fetch', durationMs: 40, clientId: 'client-a' },
  { type: 'store-error', kind: 'throttled', operation: 'PutParameter' },
  { type: 'store-write', durationMs: 5, key: 'token' },
];

const ENV = { TOKEN_CACHE_ENVIRONMENT: 'dev' };

describe('defaultTelemetry', () => {
  it('writes what powertoolsTelemetry writes, for events raised before Powertools loaded', async () => {
    const eager = powertoolsTelemetry({ cacheName: 'vwc', env: ENV });
    for (const event of EVENTS) eager(event);
    eager.flush();
    const expected = lines();
    output.clear();

    const lazy = defaultTelemetry({ cacheName: 'vwc', env: ENV });
    for (const event of EVENTS) lazy(event);
    // Nothing is written before Powertools is there to write it...
    expect(output.chunks).toEqual([]);
    await lazy.flush();
    // ...then the same lines, in the same order: the EMF document, the logs, the store error.
    expect(expected.length).toBeGreaterThan(3);
    expect(lines()).toEqual(expected);
    expect(lines().find((line) => 'EndpointFetch' in line)).toMatchObject({
      CacheName: 'vwc',
      Environment: 'dev',
      EndpointFetch: 1,
      StoreMiss: 1,
      LeaseTakeover: 1,
    });
  });

  it('after loading, writes as events come; a flush publishes at once', async () => {
    const telemetry = defaultTelemetry({ cacheName: 'warm', env: ENV });
    telemetry({ type: 'hit', tier: 'memory' });
    await telemetry.flush();
    output.clear();
    telemetry({ type: 'endpoint-fetch', durationMs: 7, clientId: 'c' });
    expect(lines().map((line) => line.tokenCacheEvent)).toEqual(['endpoint-fetch']);
    const published = telemetry.flush();
    // Published before the promise settles: the handler's own code after it sees the line.
    expect(lines().filter((line) => '_aws' in line)).toHaveLength(1);
    await published;
  });

  it('flushTokenCacheMetrics and the middy middleware reach events still waiting for Powertools', async () => {
    const telemetry = defaultTelemetry({ cacheName: 'middy', env: ENV });
    const middleware = tokenCacheMiddleware({
      getToken: async () => {
        telemetry({ type: 'hit', tier: 'store' });
        return { accessToken: 'opaque', expiresAt: Date.now() + 60_000, tokenType: 'Bearer' };
      },
    });
    await middleware.before({ context: {} });
    await middleware.after?.();
    expect(lines().find((line) => line.CacheName === 'middy')).toMatchObject({ StoreHit: 1 });
    output.clear();
    telemetry({ type: 'hit', tier: 'memory' });
    await flushTokenCacheMetrics();
    expect(lines().find((line) => line.CacheName === 'middy')).toMatchObject({ MemoryHit: 1 });
  });

  it('loads nothing and writes nothing without an event', async () => {
    const telemetry = defaultTelemetry({ cacheName: 'idle', env: ENV });
    await telemetry.flush();
    expect(output.chunks).toEqual([]);
  });

  it('rejects a bad TOKEN_CACHE_METRICS where the cache is built, naming it', () => {
    expect(() =>
      defaultTelemetry({ cacheName: 'x', env: { TOKEN_CACHE_METRICS: 'maybe' } }),
    ).toThrow(ConfigError);
    expect(() =>
      createTokenCacheFromEnv(
        {
          AUTH0_DOMAIN: 'tenant.us.auth0.com',
          AUTH0_M2M_CLIENT_ID: 'client-1',
          AUTH0_M2M_CLIENT_SECRET: 'client-secret',
          AUTH0_AUDIENCE: 'https://api.example.test',
          TOKEN_CACHE_METRICS: 'maybe',
        },
        {},
      ),
    ).toThrow(/^TOKEN_CACHE_METRICS must be "on" or "off"/);
  });

  it('with TOKEN_CACHE_METRICS=off writes the logs and no EMF', async () => {
    const telemetry = defaultTelemetry({ cacheName: 'quiet', env: { TOKEN_CACHE_METRICS: 'off' } });
    for (const event of EVENTS) telemetry(event);
    await telemetry.flush();
    expect(lines().some((line) => '_aws' in line)).toBe(false);
    expect(lines().map((line) => line.tokenCacheEvent)).toContain('endpoint-fetch');
  });
});
