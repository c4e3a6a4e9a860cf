/**
 * The time budgets of one request, all from one place. Store calls retry throttling only
 * within their budget; a lease holder works on its lease's time, not its caller's.
 */
import type { HeldLease, StoreCall } from '../../lease/strategy.js';
import type { Token } from '../../token.js';
import { storeCall } from '../store-access.js';
import type { TierContext, TierRequest } from '../tier.js';

/**
 * The clock skew between containers the protocol tolerates: `maxClockSkewMs`, or a sixth of
 * the lease if that is less (a compressed benchmark lease still leaves its holder two thirds).
 */
export function toleratedSkewMs(context: Pick<TierContext, 'leaseMs' | 'tuning'>): number {
  return Math.min(context.tuning.maxClockSkewMs, Math.floor(context.leaseMs / 6));
}

/**
 * How long a store write may take to land (`maxStoreLatencyMs`, at most a quarter lease): a
 * holder's last write is sent that long before its working time ends.
 */
export function storeLatencyMs(context: Pick<TierContext, 'leaseMs' | 'tuning'>): number {
  return Math.min(context.tuning.maxStoreLatencyMs, Math.floor(context.leaseMs / 4));
}

/**
 * What a holder leaves unworked at the end of its lease: two skews (a follower's clock may run
 * that far ahead) and one write's latency (its last write must land before then).
 */
export function workMarginMs(context: Pick<TierContext, 'leaseMs' | 'tuning'>): number {
  return 2 * toleratedSkewMs(context) + storeLatencyMs(context);
}

/** The budgets of one request (instants by the injected clock). */
export interface Budgets {
  /** Store reads: throttling retried until `storeUntil`. */
  readonly call: StoreCall;
  /**
   * One attempt, never retried: a lease claim (a throttled one is answered by reading), a
   * follower's poll (the next poll is its retry), the lease-less publish after a refused lock.
   */
  readonly onceCall: StoreCall;
  /** When throttled store calls stop retrying. */
  readonly storeUntil: number;
  /** When waiting (for a holder, or for a throttled store) stops: the deadline's store share. */
  readonly waitUntil: number;
  /** When a holder stops fetching and publishing: its lease end less two skews and a write. */
  workUntil(lease: HeldLease): number;
  /**
   * The holder's own store calls: throttling retried until `until` and never sent after it,
   * outliving the caller.
   */
  holderCall(until: number): StoreCall;
  /**
   * The holder's re-read before it fetches: the caller waits for it, so it stays within the
   * store's share of the deadline as well as within `until`.
   */
  holderRead(until: number): StoreCall;
  /** Whether any store call of this request was throttled. */
  readonly throttled: () => boolean;
}

/**
 * Budgets for `request`. A caller that already holds a usable token and does not insist on a
 * refresh gets only a few quick retries from a throttled store: serving that token now costs
 * the fleet nothing, while long retries spend the account's quota (and could outlast it).
 * Everyone else has the store's share of the deadline (the rest is kept for the endpoint).
 */
export function budgetsFor(
  request: TierRequest,
  context: TierContext,
  held: Token | undefined,
): Budgets {
  const { clock, leaseMs, policy, tuning } = context;
  const { deadline } = request;
  const now = clock();
  const holdingEnd = now + Math.min(tuning.holdingRetryMs, Math.floor(leaseMs / 4));
  // Only a token still usable when the quick retries end is worth serving instead of waiting.
  const holding =
    held !== undefined &&
    request.intent.kind !== 'ensure' &&
    held.expiresAt - policy.minRemainingMs > holdingEnd
      ? holdingEnd
      : undefined;
  const storeUntil = holding ?? deadline.storeExpiresAt;
  let throttled = false;
  const sawThrottle = () => {
    throttled = true;
  };
  return {
    call: storeCall(context, storeUntil, deadline.storeSignal, sawThrottle),
    onceCall: storeCall(context, now, deadline.storeSignal, sawThrottle),
    throttled: () => throttled,
    storeUntil,
    waitUntil: deadline.storeExpiresAt,
    workUntil: (lease) => lease.record.leaseExpiresAt - workMarginMs(context),
    holderRead: (until) =>
      storeCall(context, Math.min(until, storeUntil), deadline.storeSignal, sawThrottle),
    holderCall: (until) => {
      const end = Math.max(clock(), until);
      // A real-time guard in case the injected clock stands still; it outlasts the budget a
      // little, so that the last retry can complete.
      const guard = AbortSignal.timeout(Math.max(1_000, end - clock() + 1_000));
      // Strict: a retry never goes out after `until`, even from a pause that ran late.
      return storeCall(context, end, guard, sawThrottle, true);
    },
  };
}
