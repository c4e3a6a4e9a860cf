/**
 * What the cache tells the outside world. The library emits typed events; adapters turn them
 * into CloudWatch EMF metrics and structured log lines (see `telemetry/`), so the core never
 * depends on how they are reported. No event ever carries a token or a secret.
 */

/** Which tier answered a `getToken()`. */
export type CacheTier = 'memory' | 'store' | 'endpoint';

/** Kinds of store failures, for the `StoreError` metric dimension. */
export type StoreErrorKind =
  | 'throttled'
  | 'access-denied'
  | 'not-found'
  | 'too-large'
  | 'timeout'
  | 'unavailable'
  | 'invalid';

/** Every event the cache emits. Durations are milliseconds. */
export type TokenCacheEvent =
  | { readonly type: 'hit'; readonly tier: 'memory' | 'store' }
  | { readonly type: 'miss'; readonly tier: 'memory' | 'store'; readonly reason: string }
  | { readonly type: 'endpoint-fetch'; readonly durationMs: number; readonly clientId: string }
  | {
      readonly type: 'endpoint-error';
      readonly durationMs: number;
      readonly status?: number;
      readonly error?: string;
    }
  | { readonly type: 'store-read'; readonly durationMs: number; readonly key: string }
  | { readonly type: 'store-write'; readonly durationMs: number; readonly key: string }
  | { readonly type: 'store-error'; readonly kind: StoreErrorKind; readonly operation: string }
  | { readonly type: 'store-throttle'; readonly operation: string; readonly attempt: number }
  | { readonly type: 'lease-acquired'; readonly takeover: boolean }
  | { readonly type: 'lease-wait'; readonly durationMs: number; readonly outcome: string }
  | { readonly type: 'lease-renewed' }
  | { readonly type: 'lease-released' }
  | { readonly type: 'stale-serve'; readonly remainingMs: number; readonly reason: string }
  | { readonly type: 'backoff'; readonly untilMs: number; readonly reason: string }
  | { readonly type: 'deadline-fallback'; readonly reason: string }
  | { readonly type: 'store-disabled'; readonly reason: string }
  | { readonly type: 'client-rotated'; readonly fromClientId: string; readonly toClientId: string }
  | { readonly type: 'cleared' };

/** Receives events. Must not throw and must return quickly: it runs on the hot path. */
export type TokenCacheListener = (event: TokenCacheEvent) => void;

/** Metric names emitted by the EMF adapter; `infra/` alarms refer to these exact names. */
export const METRIC_NAMES = {
  memoryHit: 'MemoryHit',
  storeHit: 'StoreHit',
  storeMiss: 'StoreMiss',
  endpointFetch: 'EndpointFetch',
  endpointFetchLatency: 'EndpointFetchLatency',
  endpointError: 'EndpointError',
  storeReadLatency: 'StoreReadLatency',
  storeWriteLatency: 'StoreWriteLatency',
  storeError: 'StoreError',
  storeThrottle: 'StoreThrottle',
  leaseWait: 'LeaseWait',
  leaseTakeover: 'LeaseTakeover',
  leaseRenewal: 'LeaseRenewal',
  staleServe: 'StaleServe',
  deadlineFallback: 'DeadlineFallback',
  clientRotation: 'ClientRotation',
} as const;

/** The CloudWatch namespace the metrics are published under by default. */
export const DEFAULT_METRICS_NAMESPACE = 'TokenCache';
