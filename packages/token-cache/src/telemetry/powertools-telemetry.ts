/**
 * The default telemetry: EMF metrics and structured JSON logs through Powertools for AWS Lambda,
 * assembled from the two listeners and the environment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { requireDuration } from '../duration.js';
import { ConfigError } from '../errors.js';
import {
  DEFAULT_METRICS_NAMESPACE,
  type TokenCacheEvent,
  type TokenCacheListener,
} from '../events.js';
import { type Clock, systemClock } from '../token.js';
import { createCacheMetrics, emfMetricsListener, type MetricDimensions } from './emf-metrics.js';
import { structuredLogListener } from './structured-logs.js';
import type { TelemetryLogger } from './telemetry-logger.js';
import {
  DEFAULT_CACHE_NAME,
  DEFAULT_ENVIRONMENT,
  DEFAULT_FLUSH_INTERVAL_MS,
  ENVIRONMENT_VARIABLE,
  METRICS_SWITCH_VARIABLE,
  metricsSwitchedOn,
  registerMetricsBuffer,
} from './telemetry-settings.js';

/**
 * Options of {@link powertoolsTelemetry}. Every field has a default.
 *
 * @example
 * ```ts
 * const options: PowertoolsTelemetryOptions = { cacheName: 'vwc', environment: 'prod', logger: false };
 * ```
 */
export interface PowertoolsTelemetryOptions {
  /** CloudWatch namespace; default `TokenCache`. */
  readonly namespace?: string;
  /** `CacheName` dimension and log key; default `default` (use the cache's `name`). */
  readonly cacheName?: string;
  /** `Environment` dimension and log key; default `$TOKEN_CACHE_ENVIRONMENT`, else `default`. */
  readonly environment?: string;
  /**
   * `false` switches metrics off; a Powertools `Metrics` instance records into it (its default
   * dimensions gain `CacheName` and `Environment`), e.g. the one your handler already flushes
   * with `logMetrics`. Default: a new instance, unless `TOKEN_CACHE_METRICS=off`.
   */
  readonly metrics?: boolean | Metrics;
  /** `false` switches logs off; default a Powertools `Logger` (service `token-cache`). */
  readonly logger?: false | TelemetryLogger;
  /** Where `TOKEN_CACHE_METRICS` and `TOKEN_CACHE_ENVIRONMENT` are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Buffered metrics are published with the first event at least this long after the last
   * publication; default 60,000 ms, `0` publishes after every event. A safety net for callers
   * that never flush: Lambda freezes the process between invocations, so no timer is used.
   */
  readonly flushIntervalMs?: number;
  /** Clock for `flushIntervalMs`; default `Date.now`. */
  readonly clock?: Clock;
}

/**
 * A listener for `TokenCacheOptions.onEvent`, with the Powertools objects behind it.
 *
 * @example
 * ```ts
 * const telemetry: PowertoolsTelemetry = powertoolsTelemetry();
 * export const handler = middy(work).use(logMetrics(telemetry.metrics!)); // or telemetry.flush()
 * ```
 */
export interface PowertoolsTelemetry extends TokenCacheListener {
  /** The metrics buffer, `undefined` when metrics are off. Flush it with `logMetrics(...)`. */
  readonly metrics: Metrics | undefined;
  /** The logger, `undefined` when logs are off. */
  readonly logger: TelemetryLogger | undefined;
  /** Publishes buffered metrics now: call it before a short-lived process exits. */
  flush(): void;
}

/**
 * Builds the default telemetry listener: EMF metrics (namespace `TokenCache`, dimensions
 * `CacheName` and `Environment`, names from `METRIC_NAMES`) and one structured log line per
 * notable event. It never throws into the cache: a failing metric or log is dropped.
 *
 * Metrics are buffered. In a Lambda handler, flush them once per invocation with Powertools'
 * `logMetrics(telemetry.metrics)` middleware or `telemetry.flush()` in a `finally`; a script
 * calls `telemetry.flush()` before exiting.
 *
 * @example
 * ```ts
 * const telemetry = powertoolsTelemetry({ cacheName: 'vwc', environment: 'prod' });
 * const cache = createTokenCache({ source, store, name: 'vwc', onEvent: telemetry });
 * export const handler = async () => {
 *   try { return await callApi(await cache.getToken()); } finally { telemetry.flush(); }
 * };
 * ```
 */
export function powertoolsTelemetry(options: PowertoolsTelemetryOptions = {}): PowertoolsTelemetry {
  const env = options.env ?? process.env;
  const namespace = options.namespace ?? DEFAULT_METRICS_NAMESPACE;
  const dimensions: MetricDimensions = {
    CacheName: nonEmpty(options.cacheName, 'cacheName') ?? DEFAULT_CACHE_NAME,
    Environment:
      nonEmpty(options.environment, 'environment') ??
      // An empty variable counts as unset, as the AWS SDK treats its own variables.
      (env[ENVIRONMENT_VARIABLE]?.trim() || undefined) ??
      DEFAULT_ENVIRONMENT,
  };

  const logger =
    options.logger === false
      ? undefined
      : (options.logger ??
        new Logger({
          serviceName: 'token-cache',
          persistentKeys: { cacheName: dimensions.CacheName, environment: dimensions.Environment },
        }));

  const metrics = resolveMetrics(options.metrics, env, namespace, dimensions, logger);

  const listeners: TokenCacheListener[] = [];
  if (metrics) {
    listeners.push(
      emfMetricsListener({ metrics, namespace, dimensions, ...(logger ? { logger } : {}) }),
    );
  }
  if (logger) listeners.push(structuredLogListener(logger));

  const clock = options.clock ?? systemClock;
  const flushIntervalMs = requireDuration(
    'flushIntervalMs',
    options.flushIntervalMs,
    DEFAULT_FLUSH_INTERVAL_MS,
  );
  let lastFlushAt = clock();
  const flush = (): void => {
    lastFlushAt = clock();
    // Publishing an empty buffer makes Powertools print a warning; skip it.
    if (metrics?.hasStoredMetrics()) metrics.publishStoredMetrics();
  };

  const listener = (event: TokenCacheEvent): void => {
    for (const each of listeners) {
      try {
        each(event);
      } catch {
        // The listener contract (events.ts) forbids throwing into the cache: telemetry is
        // best effort and must never fail a getToken().
      }
    }
    try {
      if (metrics && clock() - lastFlushAt >= flushIntervalMs) flush();
    } catch {
      // Same contract: a failing publication never reaches the cache.
    }
  };
  const telemetry: PowertoolsTelemetry = Object.assign(listener, { metrics, logger, flush });
  // A caller's own Metrics instance is flushed by the caller (e.g. its logMetrics middleware).
  if (metrics && typeof options.metrics !== 'object') registerMetricsBuffer(telemetry);
  return telemetry;
}

function resolveMetrics(
  option: boolean | Metrics | undefined,
  env: Readonly<Record<string, string | undefined>>,
  namespace: string,
  dimensions: MetricDimensions,
  logger: TelemetryLogger | undefined,
): Metrics | undefined {
  if (option === false) return undefined;
  if (typeof option === 'object') {
    option.setDefaultDimensions({ ...dimensions });
    return option;
  }
  if (option === undefined && !metricsSwitchedOn(env[METRICS_SWITCH_VARIABLE])) return undefined;
  return createCacheMetrics(namespace, dimensions, logger ? { logger } : {});
}

function nonEmpty(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') throw new ConfigError(name, 'a non-empty string');
  return trimmed;
}
