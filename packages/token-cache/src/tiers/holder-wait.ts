/**
 * Waiting for another container's refresh (issue 4): a container with no usable token polls
 * the store with jittered, growing pauses until the lease holder's token appears, the lease
 * ends (released, or stale: the caller then takes it over, so a crashed holder costs at most one
 * lease period), the holder turns the lease into a back-off marker, or the request's wait budget
 * (inside its deadline) runs out.
 */
import { type BackoffPolicy, jitteredDelayMs } from '../backoff.js';
import type { LeaseClient, LeaseRecord, StoreCall } from '../lease.js';
import type { SharedStore } from '../store.js';
import type { Token } from '../token.js';
import { readToken } from './store-access.js';
import type { TierContext } from './tier.js';

/** A holder usually writes within one endpoint round trip: poll fast first, then ease off. */
export const HOLDER_POLL_BACKOFF: BackoffPolicy = { baseMs: 50, capMs: 1_000 };

/** What the waiter needs. */
export interface HolderWait {
  readonly store: SharedStore;
  readonly leases: LeaseClient;
  readonly context: TierContext;
  readonly call: StoreCall;
  readonly holder: LeaseRecord;
  /** Stop waiting at this instant (injected clock): the request's store-wait budget. */
  readonly waitLimit: number;
  readonly signal?: AbortSignal;
  /** Whether a token that appears ends the wait. */
  readonly accept: (token: Token, now: number) => boolean;
  /** Filters out unusable and revoked tokens. */
  readonly servable: (token?: Token) => Token | undefined;
}

/** How the wait ended. */
export type HolderWaitOutcome =
  | { readonly kind: 'token'; readonly token: Token }
  | { readonly kind: 'retry' }
  | { readonly kind: 'backoff'; readonly holder: LeaseRecord }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'store-failed'; readonly error: unknown };

/**
 * Polls until the holder delivers or the wait must end.
 *
 * @example
 * ```ts
 * const outcome = await waitForHolder({ store, leases, context, call, holder, waitLimit, accept, servable });
 * if (outcome.kind === 'token') return outcome.token;
 * ```
 */
export async function waitForHolder(wait: HolderWait): Promise<HolderWaitOutcome> {
  const { clock, emit, random, sleep } = wait.context;
  const started = clock();
  let leaseEndsAt = wait.holder.leaseExpiresAt;
  for (let poll = 0; ; poll++) {
    const now = clock();
    if (now >= wait.waitLimit) return { kind: 'timeout' };
    // Wake no later than the wait limit, and right when the holder's lease ends, so a crashed
    // holder delays us by at most its one lease.
    let delay = Math.min(jitteredDelayMs(poll, HOLDER_POLL_BACKOFF, random), wait.waitLimit - now);
    if (leaseEndsAt > now) delay = Math.min(delay, leaseEndsAt - now);
    await sleep(delay, wait.signal);
    try {
      const { token } = await readToken(wait.store, wait.call, wait.context, false);
      const servable = wait.servable(token);
      if (servable && wait.accept(servable, clock())) {
        emit({ type: 'lease-wait', durationMs: clock() - started, outcome: 'token-written' });
        return { kind: 'token', token: servable };
      }
      // The lease is read every other poll (reads are the scarce SSM quota), and always once
      // the known holder's lease should have ended.
      if (poll % 2 === 1 || clock() >= leaseEndsAt) {
        const holder = await wait.leases.read(wait.call);
        const now = clock();
        if (holder === undefined || now >= holder.leaseExpiresAt) {
          emit({ type: 'lease-wait', durationMs: now - started, outcome: 'lease-ended' });
          return { kind: 'retry' };
        }
        if (holder.backoffUntil !== undefined && now < holder.backoffUntil) {
          emit({ type: 'lease-wait', durationMs: now - started, outcome: 'backoff' });
          return { kind: 'backoff', holder };
        }
        leaseEndsAt = holder.leaseExpiresAt;
      }
    } catch (error) {
      return { kind: 'store-failed', error };
    }
  }
}
