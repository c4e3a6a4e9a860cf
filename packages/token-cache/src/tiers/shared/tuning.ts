/**
 * Every constant of the refresh protocol, in one object, each with the reason for its value.
 * The defaults suit production (24-h tokens, a 15-s lease); the fleet benchmark, which
 * compresses a day into seconds, injects its own.
 */
import type { BackoffPolicy } from '../../backoff.js';

/** The protocol's constants (see `docs/protocol.md`). */
export interface ProtocolTuning {
  /**
   * The largest disagreement between two containers' clocks the protocol tolerates. A holder
   * stops fetching and publishing two of these before its lease ends, so a follower whose clock
   * runs ahead never takes over a lease that is still being worked.
   */
  readonly maxClockSkewMs: number;
  /**
   * How long a container that already holds a usable token retries a throttled store in one
   * request before serving that token: a few quick retries, far less than a deadline, because
   * waiting longer only spends the account's read quota.
   */
  readonly holdingRetryMs: number;
  /**
   * How long a store write may take to land after it is sent: the store call timeout
   * (`TOKEN_CACHE_STORE_TIMEOUT_MS`'s default). A record that hides the lease holder (two claims
   * at once on SSM) is respected for one lease plus this after it was written.
   */
  readonly maxStoreLatencyMs: number;
  /** Polling a holder: it usually publishes within one endpoint round trip, so fast, then easing off. */
  readonly holderPoll: BackoffPolicy;
  /**
   * How far a follower whose polls the store throttles eases off: each throttled poll doubles
   * its pause, up to this. 150 followers pausing a second on average read 150 times a second
   * rather than the 600 of retries every 250 ms: still over SSM's 40 reads/s, but the quota's
   * throttles are answered, and the holder's own calls get through them.
   */
  readonly throttledPollCapMs: number;
  /**
   * Back-off after a transient endpoint failure that names no retry time (429 without headers,
   * 5xx, no answer): long enough that a failing endpoint sees about one call per pause from the
   * whole fleet, short enough that a blip costs little.
   */
  readonly transientBackoff: { readonly minMs: number; readonly maxMs: number };
  /**
   * Containers that come back when a lease or back-off ends are spread over this share of a
   * lease, so they do not all reach the store at the same instant.
   */
  readonly recheckSpreadShare: number;
}

/** Production defaults. */
export const DEFAULT_TUNING: ProtocolTuning = Object.freeze({
  maxClockSkewMs: 2_000,
  holdingRetryMs: 500,
  maxStoreLatencyMs: 2_000,
  holderPoll: Object.freeze({ baseMs: 50, capMs: 1_000 }),
  throttledPollCapMs: 2_000,
  transientBackoff: Object.freeze({ minMs: 1_000, maxMs: 5_000 }),
  recheckSpreadShare: 0.5,
});
