/**
 * Counts the shared cache's events across a whole simulated fleet (every container's
 * `onEvent`), so the report can say *why* an endpoint call happened: a lease-wait timeout, a
 * store failure, a stale serve.
 */
import type { TokenCacheEvent, TokenCacheListener } from '@token-cache/core';

/** A fleet-wide event counter. */
export interface EventTally {
  readonly listener: TokenCacheListener;
  /** Counts by `type`, and by `type:reason` / `type:outcome` / `store-error:kind:operation`. */
  snapshot(): Record<string, number>;
  reset(): void;
}

/**
 * Creates an empty tally.
 *
 * @example
 * ```ts
 * const tally = createEventTally();
 * createTokenCache({ source, store, onEvent: tally.listener });
 * tally.snapshot()['deadline-fallback'];
 * ```
 */
export function createEventTally(): EventTally {
  let counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  return {
    listener(event: TokenCacheEvent) {
      bump(event.type);
      const detail =
        event.type === 'store-error'
          ? `${event.kind}:${event.operation}`
          : event.type === 'store-throttle'
            ? event.operation
            : 'reason' in event
              ? event.reason
              : 'outcome' in event
                ? event.outcome
                : undefined;
      if (detail !== undefined && event.type !== 'miss') bump(`${event.type}:${detail}`);
    },
    snapshot() {
      return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    },
    reset() {
      counts = new Map();
    },
  };
}
