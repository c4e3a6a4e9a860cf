/**
 * What the default telemetry reads and checks before Powertools is loaded: its variables and
 * defaults, and the registry of metric buffers `flushTokenCacheMetrics()` publishes. No
 * Powertools import here: the middy middleware and `createTokenCacheFromEnv()` use this module,
 * and the Powertools packages are optional peer dependencies.
 */
import { DEFAULTS } from '../defaults.js';
import { ConfigError } from '../errors.js';

/**
 * Environment variable switching metrics on or off (`on` by default).
 *
 * @example
 * ```ts
 * process.env[METRICS_SWITCH_VARIABLE] = 'off'; // TOKEN_CACHE_METRICS=off: no EMF output
 * ```
 */
export const METRICS_SWITCH_VARIABLE = 'TOKEN_CACHE_METRICS';

/**
 * Environment variable giving the `Environment` dimension when the option is absent.
 *
 * @example
 * ```ts
 * powertoolsTelemetry({ env: { [ENVIRONMENT_VARIABLE]: 'prod' } }); // Environment=prod
 * ```
 */
export const ENVIRONMENT_VARIABLE = 'TOKEN_CACHE_ENVIRONMENT';

/**
 * `Environment` dimension when neither the option nor the variable says.
 *
 * @example
 * ```ts
 * powertoolsTelemetry({ env: {} }); // Environment=default
 * ```
 */
export const DEFAULT_ENVIRONMENT = 'default';

/**
 * `CacheName` dimension when no name is given; the same default as the cache's `name`.
 *
 * @example
 * ```ts
 * powertoolsTelemetry(); // CacheName=default
 * ```
 */
export const DEFAULT_CACHE_NAME = DEFAULTS.name;

/**
 * Default for `PowertoolsTelemetryOptions.flushIntervalMs`.
 *
 * @example
 * ```ts
 * powertoolsTelemetry({ flushIntervalMs: DEFAULT_FLUSH_INTERVAL_MS / 2 });
 * ```
 */
export const DEFAULT_FLUSH_INTERVAL_MS = 60_000;

/** `TOKEN_CACHE_METRICS`: `on` (default) or `off`; anything else is a configuration error. */
export function metricsSwitchedOn(value: string | undefined): boolean {
  const normalized = value?.trim().toLowerCase();
  if (normalized === undefined || normalized === '' || normalized === 'on') return true;
  if (normalized === 'off') return false;
  throw new ConfigError(METRICS_SWITCH_VARIABLE, `"on" or "off" (got "${value}")`);
}

/** Something holding buffered metrics it can publish, at once or when it has loaded. */
export interface MetricsBuffer {
  flush(): void | Promise<void>;
}

/**
 * Every telemetry whose metrics buffer this library owns, so {@link flushTokenCacheMetrics} can
 * publish them without a handle (e.g. the cache `createTokenCacheFromEnv()` builds). Weak: a
 * telemetry nobody references any more is not kept alive by the registry.
 */
const ownedBuffers = new Set<WeakRef<MetricsBuffer>>();

/** Adds `buffer` to what {@link flushTokenCacheMetrics} publishes, for as long as it lives. */
export function registerMetricsBuffer(buffer: MetricsBuffer): void {
  ownedBuffers.add(new WeakRef(buffer));
}

/**
 * Publishes the buffered metrics of every telemetry created with its own metrics buffer. Call it
 * at the end of a Lambda invocation (the middy middleware does) or before a script exits.
 * What is loaded is published before it returns; the promise resolves when the rest is (a
 * default telemetry whose first events still wait for Powertools). Never rejects.
 *
 * @example
 * ```ts
 * export const handler = async () => {
 *   try { return await work(); } finally { await flushTokenCacheMetrics(); }
 * };
 * ```
 */
export async function flushTokenCacheMetrics(): Promise<void> {
  const later: Array<void | Promise<void>> = [];
  for (const reference of ownedBuffers) {
    const buffer = reference.deref();
    if (buffer === undefined) ownedBuffers.delete(reference);
    else {
      try {
        later.push(buffer.flush());
      } catch {
        // Telemetry is best effort: one failing buffer does not keep the others from publishing.
      }
    }
  }
  await Promise.allSettled(later);
}
