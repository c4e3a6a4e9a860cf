/**
 * What a lease record means to the container reading it, now. Every instant in a record comes
 * from another container's clock and may be wrong or hostile, so each is bounded: a lease
 * ending later than one lease period from now, or a back-off ending later than the back-off cap
 * plus a lease, is not obeyed; the lease is free.
 */
import type { LeaseRecord } from './record.js';

/** The caps a reader applies to someone else's record. */
export interface LeaseBounds {
  readonly leaseMs: number;
  readonly maxBackoffMs: number;
  readonly maxClockSkewMs: number;
}

/** Why a lease counts as free. */
export type FreeReason =
  | 'absent'
  | 'released'
  | 'expired'
  | 'corrupt'
  | 'out-of-bounds'
  /** Our own claim, which landed although its write timed out, and which nobody works under. */
  | 'orphaned';

/**
 * A lease as seen now. `version` is the store version of the record read (0 when absent): a
 * claim is made against it.
 */
export type LeaseView =
  | {
      readonly kind: 'free';
      readonly version: number;
      readonly why: FreeReason;
      /**
       * For an expired lease: from this instant (reader's clock) no write of its holder can
       * still land, so a token read sent since then shows all it published.
       */
      readonly quietSince?: number;
      /**
       * When the read that found it free was sent (its last attempt, reader's clock): a claim
       * goes out at most one write latency later, or it could land over what was written since.
       */
      readonly readSentAt?: number;
    }
  | {
      readonly kind: 'held';
      readonly version: number;
      /** The holder's record; `undefined` when two writes collided and who won is unknown. */
      readonly holder: LeaseRecord | undefined;
      /** When the lease ends unless renewed (reader's clock). */
      readonly until: number;
    }
  | {
      readonly kind: 'backoff';
      readonly version: number;
      readonly until: number;
      readonly reason: string;
    };

/**
 * A record at `version` that does not count (on a store without compare-and-set: a losing
 * claim, a late release) hides who holds the lease. Any real holder it hides claimed before it
 * landed, so its lease ends at the latest one lease after that: one lease after the record was
 * sent plus the time a write may take to land, or one lease after this container first saw it
 * (`firstSeenAt`), whichever is sooner; plus the skew between two clocks.
 *
 * @example
 * ```ts
 * hiddenHolderView(7, losingClaim, now, firstSeenAt, identity).kind; // 'held' until it is 'free'
 * ```
 */
export function hiddenHolderView(
  version: number,
  record: LeaseRecord,
  now: number,
  firstSeenAt: number,
  bounds: LeaseBounds & { readonly maxStoreLatencyMs: number },
): LeaseView {
  const { leaseMs, maxClockSkewMs, maxStoreLatencyMs } = bounds;
  const bySight = firstSeenAt + leaseMs;
  // A record without `writtenAt` (an earlier release's) is judged by sight alone.
  const sent = record.writtenAt ?? Number.POSITIVE_INFINITY;
  const byRecord = Math.min(sent, now) + leaseMs + maxStoreLatencyMs;
  const until = Math.min(bySight, byRecord) + 2 * maxClockSkewMs;
  if (now >= until) return { kind: 'free', version, why: 'expired', quietSince: until };
  return { kind: 'held', version, holder: undefined, until };
}

/**
 * Interprets a valid record at `version`.
 *
 * @example
 * ```ts
 * viewOf(decodeLease(stored.value), stored.version, Date.now(), bounds).kind; // 'held' | 'free' | 'backoff'
 * ```
 */
export function viewOf(
  record: LeaseRecord | undefined,
  version: number,
  now: number,
  bounds: LeaseBounds,
): LeaseView {
  if (record === undefined) return { kind: 'free', version, why: 'corrupt' };
  if (record.released === true) return { kind: 'free', version, why: 'released' };
  // Two clocks, each up to the tolerated skew off, disagree by up to twice that.
  const skew = 2 * bounds.maxClockSkewMs;
  if (record.backoffUntil !== undefined && now < record.backoffUntil) {
    if (record.backoffUntil > now + bounds.maxBackoffMs + bounds.leaseMs + skew) {
      return { kind: 'free', version, why: 'out-of-bounds' };
    }
    return {
      kind: 'backoff',
      version,
      until: record.backoffUntil,
      reason: record.reason ?? 'error',
    };
  }
  // The holder's last write landed two skews before the end by its clock: by then in ours.
  if (now >= record.leaseExpiresAt) {
    return { kind: 'free', version, why: 'expired', quietSince: record.leaseExpiresAt };
  }
  if (record.leaseExpiresAt > now + bounds.leaseMs + skew) {
    return { kind: 'free', version, why: 'out-of-bounds' };
  }
  return { kind: 'held', version, holder: record, until: record.leaseExpiresAt };
}
