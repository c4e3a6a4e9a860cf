/**
 * How a store decides who holds the refresh lease. The refresh protocol only asks a strategy
 * to read, claim, mark and release; each store kind brings the strategy its primitives allow,
 * so the protocol never asks what kind of store it has.
 */
import type { SharedStore, StoreKey } from '../store.js';
import { CompareAndSetLease } from './compare-and-set-lease.js';
import type { LeaseRecord } from './record.js';
import { VersionedClaimLease } from './versioned-claim-lease.js';
import type { LeaseBounds, LeaseView } from './view.js';

/**
 * Runs one store operation; the caller supplies throttle retries, the deadline's signal,
 * timing and events. `operation` names it for events (`create`, `get`, `put`, `delete`).
 */
export type StoreCall = <T>(
  operation: string,
  key: StoreKey,
  run: (signal?: AbortSignal) => Promise<T>,
) => Promise<T>;

/** A lease this container holds: the record and the exact text and version it was stored as. */
export interface HeldLease {
  readonly record: LeaseRecord;
  readonly value: string;
  readonly version: number;
}

/** Result of {@link LeaseStrategy.claim}. */
export type ClaimOutcome =
  | { readonly won: true; readonly lease: HeldLease }
  | { readonly won: false; readonly view: LeaseView };

/** What a claim writes besides the owner: a plain lease, or straight away a back-off marker. */
export interface ClaimOptions {
  readonly backoffUntil?: number;
  readonly reason?: string;
}

/** The lease operations of one container. */
export interface LeaseStrategy {
  /** Reads the lease and interprets it now, with every bound applied. */
  read(call: StoreCall): Promise<LeaseView>;
  /** Tries once to take a lease `read` found free; never two winners for one free lease. */
  claim(free: LeaseView, call: StoreCall, options?: ClaimOptions): Promise<ClaimOutcome>;
  /**
   * Turns our lease into the fleet's back-off marker until `until`; `undefined` when the lease
   * is no longer ours (the marker is then not written, or written where it does not count).
   */
  markBackoff(
    lease: HeldLease,
    until: number,
    reason: string,
    call: StoreCall,
  ): Promise<HeldLease | undefined>;
  /**
   * Extends our lease by one lease period from now, even after it has ended, but only if no
   * other container has written the lease since our record: a holder whose fetch outlasted its
   * working time can still publish, and nobody can have taken over in between. `undefined`
   * when someone else wrote first (the lease is then not ours, and the token stays in memory).
   */
  renew(lease: HeldLease, call: StoreCall): Promise<HeldLease | undefined>;
  /** Frees our lease; never frees someone else's. Resolves whether it did. */
  release(lease: HeldLease, call: StoreCall): Promise<boolean>;
}

/** Who the strategy writes as, and the caps it applies when reading others' records. */
export interface LeaseIdentity extends LeaseBounds {
  readonly owner: string;
  readonly clock: () => number;
  /** How long a store write may take to land after it was sent (the store call timeout). */
  readonly maxStoreLatencyMs: number;
}

/**
 * The strategy `store` supports: compare-and-set where the store enforces versions
 * (DynamoDB), versioned claims where it only numbers its writes (SSM).
 *
 * @example
 * ```ts
 * const leases = leaseStrategyFor(store, { owner: 'c1', clock: Date.now, leaseMs: 15_000, maxBackoffMs: 300_000, maxClockSkewMs: 2_000, maxStoreLatencyMs: 2_000 });
 * ```
 */
export function leaseStrategyFor(store: SharedStore, identity: LeaseIdentity): LeaseStrategy {
  return (store.leaseSupportsCompareAndSet ?? store.supportsCompareAndSet)
    ? new CompareAndSetLease(store, identity)
    : new VersionedClaimLease(store, identity);
}
