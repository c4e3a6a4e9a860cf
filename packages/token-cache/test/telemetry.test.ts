import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { METRIC_NAMES, type TokenCacheEvent } from '../src/events.js';
import { tokenCacheMiddleware } from '../src/integrations/middy-middleware.js';
import { powertoolsTelemetry } from '../src/telemetry/powertools-telemetry.js';
import { redactCredentials } from '../src/telemetry/redact.js';
import type { TelemetryLogger } from '../src/telemetry/telemetry-logger.js';
import { flushTokenCacheMetrics } from '../src/telemetry/telemetry-settings.js';
import { capturePowertoolsOutput } from './powertools-output.js';

/** Everything written to stdout/stderr while a test runs: Powertools prints EMF and logs there. */
const output = capturePowertoolsOutput();

interface EmfDocument {
  _aws: {
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [key: string]: unknown;
}

function printedJson(): Array<Record<string, unknown>> {
  return output.chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function emfDocuments(): EmfDocument[] {
  return printedJson().filter((line): line is EmfDocument => '_aws' in line);
}

function logLines(): Array<Record<string, unknown>> {
  return printedJson().filter((line) => !('_aws' in line));
}

/** A logger that records calls, for assertions on levels and attributes. */
function recordingLogger(): TelemetryLogger & {
  lines: Array<{ level: string; message: string; attrs: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; message: string; attrs: Record<string, unknown> }> = [];
  const record = (level: string) => (message: string, attrs?: unknown) => {
    lines.push({ level, message, attrs: (attrs ?? {}) as Record<string, unknown> });
  };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

describe('powertoolsTelemetry metrics', () => {
  const cases: Array<{ event: TokenCacheEvent; metric: string; unit: string; value: number }> = [
    {
      event: { type: 'hit', tier: 'memory' },
      metric: METRIC_NAMES.memoryHit,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'hit', tier: 'store' },
      metric: METRIC_NAMES.storeHit,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'miss', tier: 'store', reason: 'absent' },
      metric: METRIC_NAMES.storeMiss,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'endpoint-error', durationMs: 12, status: 429, error: 'too_many_requests' },
      metric: METRIC_NAMES.endpointError,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'store-read', durationMs: 7, key: 'token' },
      metric: METRIC_NAMES.storeReadLatency,
      unit: 'Milliseconds',
      value: 7,
    },
    {
      event: { type: 'store-write', durationMs: 9, key: 'token' },
      metric: METRIC_NAMES.storeWriteLatency,
      unit: 'Milliseconds',
      value: 9,
    },
    {
      event: { type: 'store-throttle', operation: 'GetParameter', attempt: 1 },
      metric: METRIC_NAMES.storeThrottle,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'lease-wait', durationMs: 300, outcome: 'token-appeared' },
      metric: METRIC_NAMES.leaseWait,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'lease-acquired', takeover: true },
      metric: METRIC_NAMES.leaseTakeover,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'lease-renewed' },
      metric: METRIC_NAMES.leaseRenewal,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'stale-serve', remainingMs: 60_000, reason: 'endpoint failed' },
      metric: METRIC_NAMES.staleServe,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'deadline-fallback', reason: 'store slow' },
      metric: METRIC_NAMES.deadlineFallback,
      unit: 'Count',
      value: 1,
    },
    {
      event: { type: 'client-rotated', fromClientId: 'old', toClientId: 'new' },
      metric: METRIC_NAMES.clientRotation,
      unit: 'Count',
      value: 1,
    },
  ];

  it.each(cases)('records $metric for a $event.type event', ({ event, metric, unit, value }) => {
    const telemetry = powertoolsTelemetry({
      cacheName: 'vwc',
      environment: 'test',
      logger: false,
      env: {},
    });
    telemetry(event);
    telemetry.flush();

    const [document, ...rest] = emfDocuments();
    expect(rest).toEqual([]);
    const directive = document?._aws.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe('TokenCache');
    expect(directive?.Dimensions).toEqual([['CacheName', 'Environment']]);
    expect(directive?.Metrics).toEqual([{ Name: metric, Unit: unit }]);
    expect(document?.[metric]).toBe(value);
    expect(document?.CacheName).toBe('vwc');
    expect(document?.Environment).toBe('test');
    expect(document).not.toHaveProperty('service');
  });

  it('records a fetch as a count and its latency', () => {
    const telemetry = powertoolsTelemetry({ logger: false, env: {} });
    telemetry({ type: 'endpoint-fetch', durationMs: 84, clientId: 'client-a' });
    telemetry.flush();

    const [document] = emfDocuments();
    expect(document?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: 'EndpointFetch', Unit: 'Count' },
      { Name: 'EndpointFetchLatency', Unit: 'Milliseconds' },
    ]);
    expect(document?.EndpointFetch).toBe(1);
    expect(document?.EndpointFetchLatency).toBe(84);
    expect(document?.CacheName).toBe('default');
    expect(document?.Environment).toBe('default');
  });

  it('buffers repeated hits into one document until flushed', () => {
    const telemetry = powertoolsTelemetry({ logger: false, env: {} });
    for (let i = 0; i < 3; i += 1) telemetry({ type: 'hit', tier: 'memory' });
    expect(emfDocuments()).toEqual([]);

    telemetry.flush();
    expect(emfDocuments().map((doc) => doc.MemoryHit)).toEqual([[1, 1, 1]]);
  });

  it('emits a store error at once, in total and by kind', () => {
    const telemetry = powertoolsTelemetry({
      cacheName: 'vwc',
      environment: 'prod',
      logger: false,
      env: {},
    });
    telemetry({ type: 'store-error', kind: 'access-denied', operation: 'PutParameter' });

    const [document, ...rest] = emfDocuments();
    expect(rest).toEqual([]);
    expect(document?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      ['CacheName', 'Environment'],
      ['CacheName', 'Environment', 'Kind'],
    ]);
    expect(document?.StoreError).toBe(1);
    expect(document?.Kind).toBe('access-denied');
    expect(document?.Environment).toBe('prod');
  });

  it('records nothing for routine events without a metric', () => {
    const telemetry = powertoolsTelemetry({ logger: false, env: {} });
    telemetry({ type: 'miss', tier: 'memory', reason: 'empty' });
    telemetry({ type: 'lease-acquired', takeover: false });
    telemetry({ type: 'lease-released' });
    telemetry({ type: 'cleared' });
    telemetry.flush();
    expect(output.chunks).toEqual([]);
  });

  it('takes the Environment dimension from TOKEN_CACHE_ENVIRONMENT', () => {
    const telemetry = powertoolsTelemetry({
      logger: false,
      env: { TOKEN_CACHE_ENVIRONMENT: 'staging' },
    });
    telemetry({ type: 'hit', tier: 'store' });
    telemetry.flush();
    expect(emfDocuments()[0]?.Environment).toBe('staging');
  });

  it('is silenced by TOKEN_CACHE_METRICS=off while logs continue', () => {
    const logger = recordingLogger();
    const telemetry = powertoolsTelemetry({ logger, env: { TOKEN_CACHE_METRICS: 'off' } });
    telemetry({ type: 'endpoint-fetch', durationMs: 5, clientId: 'c' });
    telemetry({ type: 'store-error', kind: 'throttled', operation: 'GetParameter' });
    telemetry.flush();

    expect(output.chunks).toEqual([]);
    expect(telemetry.metrics).toBeUndefined();
    expect(logger.lines.map((line) => line.attrs.tokenCacheEvent)).toEqual([
      'endpoint-fetch',
      'store-error',
    ]);
  });

  it('is silenced by metrics: false', () => {
    const telemetry = powertoolsTelemetry({ metrics: false, logger: false, env: {} });
    telemetry({ type: 'store-error', kind: 'throttled', operation: 'GetParameter' });
    telemetry({ type: 'hit', tier: 'memory' });
    telemetry.flush();
    expect(output.chunks).toEqual([]);
  });

  it('rejects an unknown TOKEN_CACHE_METRICS value, naming the variable', () => {
    expect(() => powertoolsTelemetry({ env: { TOKEN_CACHE_METRICS: 'maybe' } })).toThrow(
      ConfigError,
    );
    expect(() => powertoolsTelemetry({ env: { TOKEN_CACHE_METRICS: 'maybe' } })).toThrow(
      /TOKEN_CACHE_METRICS must be "on" or "off"/,
    );
  });

  it('records into a Metrics instance the caller already flushes', () => {
    const metrics = new Metrics({ namespace: 'App', serviceName: 'orders' });
    const telemetry = powertoolsTelemetry({
      metrics,
      cacheName: 'vwc',
      environment: 'dev',
      logger: false,
    });
    telemetry({ type: 'hit', tier: 'memory' });
    metrics.publishStoredMetrics();

    const [document] = emfDocuments();
    expect(document?._aws.CloudWatchMetrics[0]?.Namespace).toBe('App');
    expect(document?.MemoryHit).toBe(1);
    expect(document?.CacheName).toBe('vwc');
    expect(document?.service).toBe('orders');
  });
});

describe('publishing buffered metrics', () => {
  it('publishes by itself once the flush interval has passed, on the next event', () => {
    let now = 1_000_000;
    const telemetry = powertoolsTelemetry({
      logger: false,
      env: {},
      flushIntervalMs: 60_000,
      clock: () => now,
    });
    telemetry({ type: 'hit', tier: 'memory' });
    now += 59_999;
    telemetry({ type: 'hit', tier: 'memory' });
    expect(emfDocuments()).toEqual([]);

    now += 1;
    telemetry({ type: 'hit', tier: 'store' });
    const [document, ...rest] = emfDocuments();
    expect(rest).toEqual([]);
    expect(document?.MemoryHit).toEqual([1, 1]);
    expect(document?.StoreHit).toBe(1);
  });

  it('publishes after every event with flushIntervalMs: 0', () => {
    const telemetry = powertoolsTelemetry({ logger: false, env: {}, flushIntervalMs: 0 });
    telemetry({ type: 'hit', tier: 'memory' });
    telemetry({ type: 'hit', tier: 'memory' });
    expect(emfDocuments().map((document) => document.MemoryHit)).toEqual([1, 1]);
  });

  it('flushTokenCacheMetrics publishes every telemetry without a handle', () => {
    const a = powertoolsTelemetry({ cacheName: 'a', logger: false, env: {} });
    const b = powertoolsTelemetry({ cacheName: 'b', logger: false, env: {} });
    a({ type: 'hit', tier: 'memory' });
    b({ type: 'hit', tier: 'store' });

    flushTokenCacheMetrics();
    expect(
      emfDocuments()
        .map((document) => document.CacheName)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('the middy middleware publishes after the handler', async () => {
    const telemetry = powertoolsTelemetry({ logger: false, env: {} });
    const cache = {
      getToken: async () => {
        telemetry({ type: 'hit', tier: 'memory' });
        return {
          accessToken: 'opaque',
          expiresAt: Date.now() + 60_000,
          tokenType: 'Bearer' as const,
        };
      },
    };
    const middleware = tokenCacheMiddleware(cache);
    await middleware.before({ context: {} });
    expect(emfDocuments()).toEqual([]);
    middleware.after?.();
    expect(emfDocuments()[0]?.MemoryHit).toBe(1);
  });
});

describe('powertoolsTelemetry logs', () => {
  it('prints one JSON line per notable event through the Powertools Logger', () => {
    const telemetry = powertoolsTelemetry({
      cacheName: 'vwc',
      environment: 'dev',
      metrics: false,
      env: {},
    });
    telemetry({ type: 'hit', tier: 'memory' });
    telemetry({ type: 'store-read', durationMs: 3, key: 'token' });
    telemetry({ type: 'endpoint-fetch', durationMs: 40, clientId: 'client-a' });
    telemetry({ type: 'lease-acquired', takeover: false });
    telemetry({ type: 'lease-renewed' });
    telemetry({ type: 'store-error', kind: 'unavailable', operation: 'GetParameter' });
    telemetry({ type: 'deadline-fallback', reason: 'store timed out' });
    telemetry({ type: 'backoff', untilMs: Date.UTC(2030, 0, 1), reason: 'rate limited' });
    telemetry({ type: 'client-rotated', fromClientId: 'old', toClientId: 'new' });

    const lines = logLines();
    expect(lines.map((line) => [line.level, line.tokenCacheEvent])).toEqual([
      ['INFO', 'endpoint-fetch'],
      ['INFO', 'lease-acquired'],
      ['INFO', 'lease-renewed'],
      ['WARN', 'store-error'],
      ['WARN', 'deadline-fallback'],
      ['WARN', 'backoff'],
      ['INFO', 'client-rotated'],
    ]);
    expect(lines[0]).toMatchObject({
      message: 'token refreshed from the token endpoint',
      service: 'token-cache',
      cacheName: 'vwc',
      environment: 'dev',
      durationMs: 40,
      clientId: 'client-a',
    });
    expect(lines[2]).toMatchObject({ message: expect.stringContaining('lease renewed') });
    expect(lines[3]).toMatchObject({ kind: 'unavailable', operation: 'GetParameter' });
    expect(lines[5]).toMatchObject({ until: '2030-01-01T00:00:00.000Z' });
  });

  it('redacts anything shaped like a token in free-text fields', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJlLWJ5dGVz';
    const logger = recordingLogger();
    const telemetry = powertoolsTelemetry({ logger, metrics: false, env: {} });
    telemetry({ type: 'stale-serve', remainingMs: 1000, reason: `endpoint rejected ${jwt}` });
    telemetry({ type: 'deadline-fallback', reason: `header was Bearer opaque-token-value` });

    const printed = JSON.stringify(logger.lines);
    expect(printed).not.toContain(jwt);
    expect(printed).not.toContain('opaque-token-value');
    expect(logger.lines[0]?.attrs.reason).toBe('endpoint rejected [redacted]');
  });

  it('never throws into the cache when a sink fails', () => {
    const throwing: TelemetryLogger = {
      debug: () => undefined,
      info: () => {
        throw new Error('log sink down');
      },
      warn: () => {
        throw new Error('log sink down');
      },
      error: () => undefined,
    };
    const telemetry = powertoolsTelemetry({ logger: throwing, env: {} });
    expect(() => telemetry({ type: 'endpoint-fetch', durationMs: 1, clientId: 'c' })).not.toThrow();
    telemetry.flush();
    // The metric half still worked although the log half threw.
    expect(emfDocuments()[0]?.EndpointFetch).toBe(1);
  });
});

describe('redactCredentials', () => {
  it.each([
    ['a JWT', 'x eyJhbGciOi.eyJzdWIiOi.c2ln y', 'x [redacted] y'],
    ['a bearer header', 'Authorization: Bearer abc.def', 'Authorization: Bearer [redacted]'],
    ['plain text', 'GetParameter throttled', 'GetParameter throttled'],
  ])('handles %s', (_name, input, expected) => {
    expect(redactCredentials(input)).toBe(expected);
  });
});
