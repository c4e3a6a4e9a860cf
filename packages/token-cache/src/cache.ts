/**
 * The token cache: memory → shared store → token endpoint, each tier a decorator over the next
 * (Go's `ReuseTokenSource`, smithy's `memoize(chain(...))`). This file only validates options
 * and composes the tiers; the protocol lives in `tiers/`.
 */
import { randomUUID } from 'node:crypto';
import { Deadline, realSleep, type Sleep } from './deadline.js';
import { DEFAULTS } from './defaults.js';
import { requireDuration } from './duration.js';
import { PLACEHOLDER_VALUE } from './envelope.js';
import { ConfigError } from './errors.js';
import type { TokenCacheEvent, TokenCacheListener } from './events.js';
import { freshnessPolicy, isUsable } from './freshness.js';
import { requireUsableLifetime } from './sources/min-lifetime.js';
import type { SharedStore } from './store.js';
import { BackoffState } from './tiers/backoff-state.js';
import { MemoryTier } from './tiers/memory-tier.js';
import { RefreshSchedule } from './tiers/refresh-schedule.js';
import { DEFAULT_TUNING, type ProtocolTuning } from './tiers/shared/tuning.js';
import { SharedTier } from './tiers/shared-tier.js';
import { SourceTier } from './tiers/source-tier.js';
import { storeCall } from './tiers/store-access.js';
import type { Tier, TierContext } from './tiers/tier.js';
import {
  type Clock,
  type GetTokenOptions,
  systemClock,
  type Token,
  type TokenIdentity,
  type TokenSource,
} from './token.js';

/** Default overall `getToken()` deadline. */
export const DEFAULT_DEADLINE_MS = DEFAULTS.deadlineMs;
/** Default refresh lease period: longer than one endpoint call with its timeout. */
export const DEFAULT_LEASE_MS = DEFAULTS.leaseMs;
/** Default cap on every back-off: five minutes. */
export const DEFAULT_MAX_BACKOFF_MS = DEFAULTS.maxBackoffMs;
/** Default fleet-wide back-off after a configuration failure of the endpoint: one minute. */
export const DEFAULT_ERROR_BACKOFF_MS = DEFAULTS.errorBackoffMs;

/** Options of {@link createTokenCache}. */
export interface TokenCacheOptions {
  /** Last tier: the token endpoint. Its identity validates every stored value. */
  readonly source: TokenSource & { readonly identity: TokenIdentity };
  /** Shared tier; omitted = memory only (TOKEN_CACHE_SHARED=off). */
  readonly store?: SharedStore;
  /** Default 300_000 (the seed's 5-minute buffer): fresh until expiresAt − refreshWindowMs. */
  readonly refreshWindowMs?: number;
  /** Default 30_000: usable until expiresAt − minRemainingMs, then unusable. */
  readonly minRemainingMs?: number;
  /** Default 10_000: overall getToken() deadline. */
  readonly deadlineMs?: number;
  /**
   * Default 15_000: refresh lease period. It must comfortably cover the holder's work (one
   * endpoint call and about six store round trips), or a slow holder's lease is taken over.
   */
  readonly leaseMs?: number;
  /**
   * Default 300_000: cap on every back-off. A `retry-after` far in the future, or a stored
   * record naming an instant beyond now + this + the lease period, must not stop the fleet.
   */
  readonly maxBackoffMs?: number;
  /**
   * Default 60_000, at most `maxBackoffMs`: how long the fleet backs off after a configuration
   * failure of the endpoint (400/401/403, or a 200 that is not a token).
   */
  readonly errorBackoffMs?: number;
  /**
   * Default false: a store that answers "throttled" is busy, not down, so nobody calls the
   * endpoint without the lease. True spends tokens rather than failing.
   */
  readonly throttleFallback?: boolean;
  /** The refresh protocol's constants (`docs/protocol.md`); the benchmark compresses them. */
  readonly tuning?: Partial<ProtocolTuning>;
  /** Default Date.now. */
  readonly clock?: Clock;
  /** Default Math.random (jitter), injectable for tests. */
  readonly random?: () => number;
  /** Every wait goes through this (default: a real timer); tests inject virtual time. */
  readonly sleep?: Sleep;
  /** Telemetry sink (events.ts); must not throw. */
  readonly onEvent?: TokenCacheListener;
  /** Lease owner id; default random per instance. */
  readonly ownerId?: string;
  /** Cache name for metrics/logs; default 'default'. */
  readonly name?: string;
}

/** What `refresh()` did. */
export interface RefreshResult {
  /** True when this call obtained a new token from the endpoint. */
  readonly refreshed: boolean;
  readonly token: Token;
}

/** A token cache. */
export interface TokenCache extends TokenSource {
  /** Cache name for metrics/logs. */
  readonly name: string;
  /** memory → store → endpoint. forceRefresh: drop the current token (it may be revoked) and obtain a different one. */
  getToken(options?: GetTokenOptions): Promise<Token>;
  /** Proactive refresh (scheduled refresher, CLI `refresh`): refreshes if forced or if the stored token expires within `ifExpiringWithinMs`; reports what it did. */
  refresh(options?: {
    force?: boolean;
    ifExpiringWithinMs?: number;
    signal?: AbortSignal;
  }): Promise<RefreshResult>;
  /**
   * Reports that the API refused `accessToken` although it was brand new (a refresh did not
   * help): the configuration, not the token, is at fault. The whole fleet then backs off for
   * the error back-off instead of minting a token per cold start.
   */
  reportRefused(accessToken: string): Promise<void>;
  /** Empties memory and the store (the store gets the placeholder `not-initialized`, never an empty value). */
  clear(): Promise<void>;
}

/**
 * Builds a cache. Options are validated here, once; errors name the option.
 *
 * @example
 * ```ts
 * const cache = createTokenCache({
 *   source: auth0ClientCredentials({ domain, clientId, clientSecret, audience }),
 *   store: new SsmStore({ parameterName: '/vwc/dev/auth0-token-cache' }),
 * });
 * const { accessToken } = await cache.getToken();
 * ```
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const context = buildContext(options);
  // A token that would be unusable on arrival is an error here, below the shared tier, so it
  // is never stored for the fleet to read and refuse.
  const source = requireUsableLifetime(
    options.source,
    context.policy.minRemainingMs,
    context.clock,
  );
  const endpoint = new SourceTier(source, context);
  const ownerId = options.ownerId ?? `${options.name ?? DEFAULTS.name}-${randomUUID()}`;
  const shared = options.store
    ? new SharedTier(options.store, endpoint, context, ownerId)
    : undefined;
  const next: Tier = shared ?? endpoint;
  const memory = new MemoryTier(next, context, options.onEvent !== undefined);
  const storeActive = () => shared !== undefined && !shared.disabled;

  return {
    name: options.name ?? DEFAULTS.name,
    getToken: (getOptions) => memory.getToken(getOptions),
    async refresh(refreshOptions = {}) {
      const { force = false, signal } = refreshOptions;
      const threshold = requireDuration(
        'ifExpiringWithinMs',
        refreshOptions.ifExpiringWithinMs,
        context.policy.refreshWindowMs,
      );
      const current = memory.peek();
      const held =
        current && isUsable(current, context.clock(), context.policy) ? current : undefined;
      if (!storeActive() && !force && held && held.expiresAt - context.clock() > threshold) {
        return { refreshed: false, token: held };
      }
      const result = await memory.refreshWith(
        { kind: 'ensure', ...(held ? { held } : {}), validForMs: threshold, force },
        signal,
      );
      return { refreshed: result.fetched, token: result.token };
    },
    async reportRefused(accessToken) {
      memory.revoke(accessToken);
      const until = context.backoff.capped(context.clock() + context.errorBackoffMs);
      context.backoff.remember(until, 'api-refused');
      context.emit({ type: 'backoff', untilMs: until, reason: 'api-refused' });
      if (shared === undefined || !storeActive()) return;
      const deadline = new Deadline(context.clock, context.deadlineMs, { sleep: context.sleep });
      try {
        await shared.reportRefused(until, 'api-refused', deadline);
      } catch {
        // Best effort: this container backs off in any case.
      } finally {
        deadline.dispose();
      }
    },
    async clear() {
      memory.clear();
      // Even a store disabled as too small for the token gets the placeholder.
      if (options.store) {
        const deadline = new Deadline(context.clock, context.deadlineMs, { sleep: context.sleep });
        const call = storeCall(context, deadline.expiresAt, deadline.signal);
        // SSM rejects an empty value (seed defect 2): write the Terraform placeholder instead.
        const store = options.store;
        try {
          await call('put', 'token', (signal) => store.put('token', PLACEHOLDER_VALUE, { signal }));
        } finally {
          deadline.dispose();
        }
      }
      context.emit({ type: 'cleared' });
    },
  };
}

function buildContext(options: TokenCacheOptions): TierContext {
  const source = options.source as Partial<TokenCacheOptions['source']> | undefined;
  if (typeof source?.getToken !== 'function') {
    throw new ConfigError('source', 'a TokenSource with a getToken() method');
  }
  const identity = source.identity;
  if (
    typeof identity?.issuer !== 'string' ||
    typeof identity.audience !== 'string' ||
    !Array.isArray(identity.clientIds) ||
    identity.clientIds.length === 0
  ) {
    throw new ConfigError('source.identity', 'an { issuer, audience, clientIds: [≥ 1 id] } object');
  }
  for (const name of ['clock', 'random', 'sleep', 'onEvent'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new ConfigError(name, 'a function');
    }
  }
  if (options.ownerId !== undefined && (typeof options.ownerId !== 'string' || !options.ownerId)) {
    throw new ConfigError('ownerId', 'a non-empty string');
  }
  const policy = freshnessPolicy(options);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const deadlineMs = requireDuration('deadlineMs', options.deadlineMs, DEFAULT_DEADLINE_MS, 1);
  const leaseMs = requireDuration('leaseMs', options.leaseMs, DEFAULT_LEASE_MS, 1);
  const maxBackoffMs = requireDuration(
    'maxBackoffMs',
    options.maxBackoffMs,
    DEFAULT_MAX_BACKOFF_MS,
    1,
  );
  const errorBackoffMs = requireDuration(
    'errorBackoffMs',
    options.errorBackoffMs,
    Math.min(DEFAULT_ERROR_BACKOFF_MS, maxBackoffMs),
    1,
  );
  if (errorBackoffMs > maxBackoffMs) {
    throw new ConfigError(
      'errorBackoffMs',
      `at most maxBackoffMs (${maxBackoffMs}), got ${errorBackoffMs}`,
    );
  }
  const throttleFallback = options.throttleFallback ?? false;
  if (typeof throttleFallback !== 'boolean') {
    throw new ConfigError('throttleFallback', 'true or false');
  }
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  return {
    clock,
    random,
    tuning,
    backoff: new BackoffState({ clock, random, maxBackoffMs, errorBackoffMs, tuning }),
    sleep: options.sleep ?? realSleep,
    policy,
    deadlineMs,
    leaseMs,
    maxBackoffMs,
    errorBackoffMs,
    throttleFallback,
    identity,
    schedule: new RefreshSchedule(policy, leaseMs, random),
    emit: safeListener(options.onEvent),
  };
}

// A listener that throws must not break getToken() (events.ts: "must not throw").
function safeListener(listener?: TokenCacheListener): (event: TokenCacheEvent) => void {
  if (listener === undefined) return () => {};
  return (event) => {
    try {
      listener(event);
    } catch {
      // Telemetry is best-effort by design.
    }
  };
}
