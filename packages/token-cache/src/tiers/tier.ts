/**
 * The internal contract between the cache's tiers. Each tier is a `TokenSource` decorator
 * (Go's `ReuseTokenSource`); internally they pass a richer request so that serve-still-valid,
 * revocation and the overall deadline cross tier boundaries.
 */
import type { Deadline, Sleep } from '../deadline.js';
import type { TokenCacheEvent } from '../events.js';
import type { FreshnessPolicy } from '../freshness.js';
import type { Clock, Token, TokenIdentity } from '../token.js';
import type { BackoffState } from './backoff-state.js';
import type { Intent } from './intent.js';
import type { RefreshSchedule } from './refresh-schedule.js';
import type { ProtocolTuning } from './shared/tuning.js';

/** One request down the tiers. */
export interface TierRequest {
  /** Overall deadline of the `getToken()` that caused this request. */
  readonly deadline: Deadline;
  /** What the caller wants (see `intent.ts`). */
  readonly intent: Intent;
}

/** What a tier answers. */
export interface TierResult {
  readonly token: Token;
  /** Serve `token` from memory without asking again until this instant (epoch ms). */
  readonly recheckAt?: number;
  /** True when this call obtained the token from the token endpoint. */
  readonly fetched: boolean;
}

/** A tier below memory. */
export interface Tier {
  resolve(request: TierRequest): Promise<TierResult>;
}

/** Everything the tiers share within one cache instance. */
export interface TierContext {
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly policy: FreshnessPolicy;
  readonly deadlineMs: number;
  readonly leaseMs: number;
  /** Cap on every back-off, whether the endpoint or a stored record asks for a longer one. */
  readonly maxBackoffMs: number;
  /** Fleet-wide back-off after a configuration failure of the endpoint (≤ `maxBackoffMs`). */
  readonly errorBackoffMs: number;
  /** Whether a throttled (not failing) store may still lead to a lease-less endpoint call. */
  readonly throttleFallback: boolean;
  readonly schedule: RefreshSchedule;
  /** Every constant of the refresh protocol. */
  readonly tuning: ProtocolTuning;
  /** When this container may call the token endpoint again. */
  readonly backoff: BackoffState;
  readonly identity: TokenIdentity;
  /** Never throws (the cache wraps the listener). */
  readonly emit: (event: TokenCacheEvent) => void;
}
