/**
 * The telemetry `createTokenCacheFromEnv()` uses when given none: `powertoolsTelemetry()`,
 * loaded with its Powertools packages (optional peer dependencies) on the first event rather
 * than with the cache. Events raised while it loads are kept and handed over in order, so the
 * logs and EMF metrics are the ones `powertoolsTelemetry()` would have written.
 */
import type { TokenCacheEvent, TokenCacheListener } from '../events.js';
import {
  METRICS_SWITCH_VARIABLE,
  metricsSwitchedOn,
  registerMetricsBuffer,
} from './telemetry-settings.js';

/** Options of {@link defaultTelemetry}: the two `powertoolsTelemetry()` takes from configuration. */
export interface DefaultTelemetryOptions {
  readonly cacheName: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the one warning goes when Powertools cannot be loaded; default `process.stderr`. */
  readonly warn?: (line: string) => void;
}

/** A listener whose `flush()` resolves once the buffered metrics are published. */
export interface DefaultTelemetry extends TokenCacheListener {
  /**
   * Publishes the buffered metrics: at once when Powertools is loaded, else as soon as it is
   * (the promise says when). Never rejects.
   */
  flush(): Promise<void>;
}

/**
 * Events kept while Powertools loads. A cold start's first request raises a handful; the cap
 * only bounds memory if loading never finishes.
 */
const MAX_PENDING_EVENTS = 1_000;

/**
 * The packages `powertoolsTelemetry()` needs, named in the warning when they are missing.
 *
 * @example
 * ```ts
 * POWERTOOLS_PACKAGES.join(' '); // '@aws-lambda-powertools/logger @aws-lambda-powertools/metrics'
 * ```
 */
export const POWERTOOLS_PACKAGES = [
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/metrics',
] as const;

/**
 * Powertools EMF metrics and structured logs, as `powertoolsTelemetry({ cacheName, env })`,
 * with Powertools loaded on the first event. Configuration errors (`TOKEN_CACHE_METRICS`) are
 * thrown now, as `powertoolsTelemetry()` would. Without the Powertools packages installed the
 * telemetry is off, with one warning naming them; it never throws into the cache.
 *
 * @example
 * ```ts
 * const telemetry = defaultTelemetry({ cacheName: 'auth0', env: process.env });
 * const cache = createTokenCache({ source, onEvent: telemetry });
 * await cache.getToken();
 * await telemetry.flush(); // one EMF line
 * ```
 */
export function defaultTelemetry(options: DefaultTelemetryOptions): DefaultTelemetry {
  // Checked before any event, so a bad value fails where the cache is built.
  metricsSwitchedOn(options.env[METRICS_SWITCH_VARIABLE]);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const report = (line: string): void => {
    try {
      warn(line);
    } catch {
      // Nowhere to say it: the telemetry is off either way, and the cache must not notice.
    }
  };
  let delegate: (TokenCacheListener & { flush(): void }) | undefined;
  let loading: Promise<void> | undefined;
  let pending: TokenCacheEvent[] = [];

  const start = async (): Promise<void> => {
    try {
      const { powertoolsTelemetry } = await import('./powertools-telemetry.js');
      const loaded = powertoolsTelemetry({ cacheName: options.cacheName, env: options.env });
      for (const event of pending) loaded(event);
      delegate = loaded;
    } catch (error) {
      const code = (error as { code?: unknown } | undefined)?.code;
      const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
      report(
        missing
          ? `token-cache: telemetry off: the default telemetry needs ${POWERTOOLS_PACKAGES.join(' and ')} (npm install ${POWERTOOLS_PACKAGES.join(' ')}), or pass onEvent to createTokenCacheFromEnv`
          : `token-cache: telemetry off: loading Powertools failed (${error instanceof Error ? error.name : 'error'})`,
      );
    } finally {
      pending = [];
    }
  };
  // Started once; it settles either way (start() catches everything), so awaiting it is safe.
  const load = (): Promise<void> => {
    loading ??= start();
    return loading;
  };

  const listener = (event: TokenCacheEvent): void => {
    if (delegate) {
      delegate(event);
      return;
    }
    if (pending.length < MAX_PENDING_EVENTS) pending.push(event);
    void load();
  };
  const flush = async (): Promise<void> => {
    if (!delegate && loading === undefined) return; // no event yet: nothing buffered
    if (!delegate) await loading;
    try {
      delegate?.flush();
    } catch {
      // Telemetry is best effort (the listener contract): a failing publication is dropped.
    }
  };
  const telemetry: DefaultTelemetry = Object.assign(listener, { flush });
  // Registered here so flushTokenCacheMetrics() reaches events still waiting for Powertools;
  // the loaded telemetry registers itself too, and a second publication of an emptied buffer
  // writes nothing.
  registerMetricsBuffer(telemetry);
  return telemetry;
}
