/**
 * Turns cache events into CloudWatch metrics in the Embedded Metric Format (EMF), through
 * Powertools Metrics: the Lambda runtime ships stdout to CloudWatch Logs, which extracts the
 * metrics asynchronously, so recording one costs no API call on the hot path
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format.html).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMES, type TokenCacheEvent, type TokenCacheListener } from '../events.js';
import type { TelemetryLogger } from './telemetry-logger.js';

/**
 * The dimensions every metric carries; `infra/` alarms select on exactly these two.
 *
 * @example
 * ```ts
 * const dimensions: MetricDimensions = { CacheName: 'default', Environment: 'prod' };
 * ```
 */
export interface MetricDimensions {
  /** The cache's `name` (several caches may share one function). */
  readonly CacheName: string;
  /** The deployment environment, e.g. `dev` or `prod`. */
  readonly Environment: string;
}

/**
 * The extra dimension that splits `StoreError` by failure kind (`throttled`, `access-denied`, ...).
 *
 * @example
 * ```ts
 * // CloudWatch: StoreError with dimensions CacheName, Environment and Kind=access-denied
 * const dimension = STORE_ERROR_KIND_DIMENSION; // 'Kind'
 * ```
 */
export const STORE_ERROR_KIND_DIMENSION = 'Kind';

/**
 * Creates a Powertools `Metrics` instance whose only dimensions are `CacheName` and
 * `Environment`. Powertools adds a `service` dimension by default; it is removed so that an
 * alarm on `{CacheName, Environment}` matches (CloudWatch matches dimension sets exactly).
 *
 * @example
 * ```ts
 * const metrics = createCacheMetrics('TokenCache', { CacheName: 'default', Environment: 'dev' });
 * ```
 */
export function createCacheMetrics(
  namespace: string,
  dimensions: MetricDimensions,
  options: { readonly singleMetric?: boolean; readonly logger?: TelemetryLogger } = {},
): Metrics {
  const metrics = new Metrics({
    namespace,
    singleMetric: options.singleMetric ?? false,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ ...dimensions });
  return metrics;
}

/**
 * Options of {@link emfMetricsListener}.
 *
 * @example
 * ```ts
 * const options: EmfMetricsListenerOptions = { metrics, namespace: 'TokenCache', dimensions };
 * ```
 */
export interface EmfMetricsListenerOptions {
  /** Where buffered metrics go; flushed by `publishStoredMetrics()` or Powertools' `logMetrics`. */
  readonly metrics: Metrics;
  /** Namespace and dimensions for the store-error documents, which are emitted immediately. */
  readonly namespace: string;
  readonly dimensions: MetricDimensions;
  /** Receives Powertools' own warnings. */
  readonly logger?: TelemetryLogger;
}

/**
 * A listener recording one metric per event (names from `METRIC_NAMES`):
 * memory/store hits, store misses, endpoint fetches with their latency, endpoint errors, store
 * read/write latency, store errors (total and by `Kind`), throttles, lease waits and takeovers,
 * stale serves, deadline fallbacks and client rotations. Other events record nothing.
 *
 * @example
 * ```ts
 * const dimensions = { CacheName: 'default', Environment: 'dev' };
 * const metrics = createCacheMetrics('TokenCache', dimensions);
 * const onEvent = emfMetricsListener({ metrics, namespace: 'TokenCache', dimensions });
 * onEvent({ type: 'hit', tier: 'memory' });
 * metrics.publishStoredMetrics(); // one EMF line with MemoryHit = 1
 * ```
 */
export function emfMetricsListener(options: EmfMetricsListenerOptions): TokenCacheListener {
  const { metrics } = options;
  const count = (name: string): void => {
    metrics.addMetric(name, MetricUnit.Count, 1);
  };
  const milliseconds = (name: string, value: number): void => {
    metrics.addMetric(name, MetricUnit.Milliseconds, Math.max(0, value));
  };

  return (event: TokenCacheEvent): void => {
    switch (event.type) {
      case 'hit':
        count(event.tier === 'memory' ? METRIC_NAMES.memoryHit : METRIC_NAMES.storeHit);
        return;
      case 'miss':
        // A memory miss is every cold start's first call: the store hit/miss that follows
        // says everything an operator needs, so only the store tier's miss is a metric.
        if (event.tier === 'store') count(METRIC_NAMES.storeMiss);
        return;
      case 'endpoint-fetch':
        count(METRIC_NAMES.endpointFetch);
        milliseconds(METRIC_NAMES.endpointFetchLatency, event.durationMs);
        return;
      case 'endpoint-error':
        count(METRIC_NAMES.endpointError);
        return;
      case 'store-read':
        milliseconds(METRIC_NAMES.storeReadLatency, event.durationMs);
        return;
      case 'store-write':
        milliseconds(METRIC_NAMES.storeWriteLatency, event.durationMs);
        return;
      case 'store-error':
        emitStoreError(options, event.kind);
        return;
      case 'store-throttle':
        count(METRIC_NAMES.storeThrottle);
        return;
      case 'lease-wait':
        count(METRIC_NAMES.leaseWait);
        return;
      case 'lease-acquired':
        if (event.takeover) count(METRIC_NAMES.leaseTakeover);
        return;
      case 'lease-renewed':
        count(METRIC_NAMES.leaseRenewal);
        return;
      case 'stale-serve':
        count(METRIC_NAMES.staleServe);
        return;
      case 'deadline-fallback':
        count(METRIC_NAMES.deadlineFallback);
        return;
      case 'client-rotated':
        count(METRIC_NAMES.clientRotation);
        return;
      default:
        return;
    }
  };
}

/**
 * A store error is written at once as its own EMF document with two dimension sets,
 * `{CacheName, Environment}` (what the alarm watches) and `{CacheName, Environment, Kind}`
 * (the breakdown): in EMF a dimension applies to every metric of its document, so a per-kind
 * dimension cannot share the buffered document (EMF spec, "Dimensions").
 */
function emitStoreError(options: EmfMetricsListenerOptions, kind: string): void {
  const single = createCacheMetrics(options.namespace, options.dimensions, {
    singleMetric: true,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  // An empty set contributes the default dimensions alone: {CacheName, Environment}.
  single.addDimensions({});
  single.addDimensions({ [STORE_ERROR_KIND_DIMENSION]: kind });
  single.addMetric(METRIC_NAMES.storeError, MetricUnit.Count, 1);
}
