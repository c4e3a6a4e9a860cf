/**
 * The internal contract between the cache's tiers. Each tier is a `TokenSource` decorator
 * (Go's `ReuseTokenSource`); internally they pass a richer request so that serve-still-valid,
 * revocation and the overall deadline cross tier boundaries.
 */
import type { Deadline, Sleep } from '../deadline.js';
import type { TokenCacheEvent } from '../events.js';
import type { FreshnessPolicy } from '../freshness.js';
import type { Clock, Token, TokenIdentity } from '../token.js';
import type { RefreshSchedule } from './refresh-schedule.js';

/** One request down the tiers. */
export interface TierRequest {
  /** Overall deadline of the `getToken()` that caused this request. */
  readonly deadline: Deadline;
  /** A still-usable token the caller already holds; may be served while another refreshes. */
  readonly held?: Token;
  /** An access token the caller knows is bad (`forceRefresh`): never return it. */
  readonly revoked?: string;
  /** Whether a stored token is good enough to return without a refresh; default: the schedule. */
  readonly accept?: (token: Token, now: number) => boolean;
  /**
   * Refresh even if the stored token is fresh: only a token other than the one first read is
   * accepted (the scheduled refresher's and the CLI's `refresh --force`).
   */
  readonly force?: boolean;
  /** Wait for another container's refresh instead of serving `held` (the scheduled refresher). */
  readonly waitForRefresh?: boolean;
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
  readonly identity: TokenIdentity;
  /** Never throws (the cache wraps the listener). */
  readonly emit: (event: TokenCacheEvent) => void;
}
