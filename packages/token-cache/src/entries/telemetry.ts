/**
 * `@token-cache/core/telemetry`: what the cache does as CloudWatch metrics (EMF) and structured
 * JSON logs, through Powertools for AWS Lambda (`@aws-lambda-powertools/logger` and `/metrics`).
 */

export { DEFAULT_METRICS_NAMESPACE, METRIC_NAMES } from '../events.js';
export type { EmfMetricsListenerOptions, MetricDimensions } from '../telemetry/emf-metrics.js';
export {
  createCacheMetrics,
  emfMetricsListener,
  STORE_ERROR_KIND_DIMENSION,
} from '../telemetry/emf-metrics.js';
export type {
  PowertoolsTelemetry,
  PowertoolsTelemetryOptions,
} from '../telemetry/powertools-telemetry.js';
export { powertoolsTelemetry } from '../telemetry/powertools-telemetry.js';
export { REDACTED, redactCredentials } from '../telemetry/redact.js';
export { structuredLogListener } from '../telemetry/structured-logs.js';
export type { TelemetryLogger } from '../telemetry/telemetry-logger.js';
// The variables, defaults and the flush registry live where Powertools is not imported: the
// default telemetry reads them before it loads Powertools.
export {
  DEFAULT_CACHE_NAME,
  DEFAULT_ENVIRONMENT,
  DEFAULT_FLUSH_INTERVAL_MS,
  ENVIRONMENT_VARIABLE,
  flushTokenCacheMetrics,
  METRICS_SWITCH_VARIABLE,
} from '../telemetry/telemetry-settings.js';
