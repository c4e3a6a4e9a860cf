/**
 * Turns the notable cache events into one structured log line each (Powertools Logger prints
 * them as JSON, which CloudWatch Logs Insights queries by field). Routine events (hits, reads,
 * writes) are not logged: at one line per invocation they would cost more than the cache saves.
 */
import type { TokenCacheEvent, TokenCacheListener } from '../events.js';
import { redactCredentials } from './redact.js';
import type { TelemetryLogger } from './telemetry-logger.js';

type Level = 'debug' | 'info' | 'warn';

interface LogLine {
  readonly level: Level;
  readonly message: string;
}

/** The line each notable event produces; events absent here are not logged. */
function describe(event: TokenCacheEvent): LogLine | undefined {
  switch (event.type) {
    case 'endpoint-fetch':
      return { level: 'info', message: 'token refreshed from the token endpoint' };
    case 'endpoint-error':
      return { level: 'warn', message: 'token endpoint request failed' };
    case 'lease-acquired':
      return {
        level: 'info',
        message: event.takeover
          ? 'refresh lease taken over from a stale holder'
          : 'refresh lease taken',
      };
    case 'lease-renewed':
      return {
        level: 'info',
        message: 'refresh lease renewed: the refresh outlasted its working time',
      };
    case 'lease-wait':
      return { level: 'info', message: 'waited for another container to refresh' };
    case 'store-error':
      return { level: 'warn', message: 'shared store call failed' };
    case 'store-throttle':
      return { level: 'warn', message: 'shared store throttled the call; retrying with backoff' };
    case 'stale-serve':
      return { level: 'warn', message: 'serving a still-usable token because refreshing failed' };
    case 'deadline-fallback':
      return { level: 'warn', message: 'deadline reached; fell back to the best token available' };
    case 'backoff':
      return { level: 'warn', message: 'token endpoint backing off' };
    case 'store-disabled':
      return { level: 'warn', message: 'shared store disabled; caching in memory only' };
    case 'client-rotated':
      return { level: 'info', message: 'client credentials rotated' };
    case 'cleared':
      return { level: 'info', message: 'token cache cleared' };
    case 'miss':
      return { level: 'debug', message: `${event.tier} tier miss` };
    default:
      return undefined;
  }
}

/**
 * The event's fields as log attributes, under the event's own names. Strings pass through
 * {@link redactCredentials}; `untilMs` is also given as an ISO date for humans.
 */
function attributes(event: TokenCacheEvent): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type') continue;
    result[key] = typeof value === 'string' ? redactCredentials(value) : value;
  }
  if (event.type === 'backoff') result.until = new Date(event.untilMs).toISOString();
  return { tokenCacheEvent: event.type, ...result };
}

/**
 * A listener writing one structured log line per notable event: refreshes, endpoint errors,
 * leases taken or waited for, store failures and throttles, stale serves, deadline fallbacks,
 * back-offs, a disabled store, client rotations and clears (store misses at `debug`).
 * Each line carries `tokenCacheEvent` (the event type) and the event's fields; never a token.
 *
 * @example
 * ```ts
 * const onEvent = structuredLogListener(new Logger({ serviceName: 'token-cache' }));
 * onEvent({ type: 'store-error', kind: 'throttled', operation: 'GetParameter' });
 * // {"level":"WARN","message":"shared store call failed","tokenCacheEvent":"store-error","kind":"throttled",...}
 * ```
 */
export function structuredLogListener(logger: TelemetryLogger): TokenCacheListener {
  return (event: TokenCacheEvent): void => {
    const line = describe(event);
    if (line) logger[line.level](line.message, attributes(event));
  };
}
