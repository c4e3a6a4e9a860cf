/**
 * The lease on a store without compare-and-set (SSM Parameter Store). SSM numbers every write
 * of a parameter: version n + 1 is the first write after version n, whoever made it. So every
 * lease write — claim, back-off marker, release — names the version its writer based it on
 * (`basedOn`), and counts only if the store gave it exactly `basedOn + 1`:
 *
 * - Of many containers claiming the same free record, exactly one gets the next version; each
 *   learns from the version `PutParameter` answers whether it won. No delete is ever needed, so
 *   no container can remove a lease someone else has just taken.
 * - A holder marks and releases based on its own version. If losing claims were written after
 *   it, the write does not count and the holder writes again on top of its own, but only while
 *   its lease is live: a holder past its lease can never free or extend a successor's lease.
 * - A record that does not count (a losing claim, a late release) hides who holds the lease.
 *   Such a record is treated as a lease held by an unknown container until any holder it can
 *   hide must be done: that holder claimed before the hiding record landed, so its lease ends
 *   within one lease (plus a write's latency and two clocks' skew) of that record's writing.
 *
 * Versions restart at 1 if the lock parameter is deleted; nothing here deletes it. SSM keeps
 * the last 100 versions and drops older ones by itself.
 */
import { StoreError } from '../errors.js';
import type { SharedStore } from '../store.js';
import { claimRecord, decodeLease, type LeaseRecord } from './record.js';
import type {
  ClaimOptions,
  ClaimOutcome,
  HeldLease,
  LeaseIdentity,
  LeaseStrategy,
  StoreCall,
} from './strategy.js';
import {
  LeaseWriteLapsed,
  overwriteLease,
  readLease,
  type SendWindow,
  sendClaim,
} from './versioned-write.js';
import { hiddenHolderView, type LeaseView, viewOf } from './view.js';

/** See the module comment. */
export class VersionedClaimLease implements LeaseStrategy {
  /** The last record seen that does not count, and when this container first saw it. */
  #hidden: { readonly version: number; readonly firstSeenAt: number } | undefined;
  /** Our last claim whose write timed out and could not be confirmed (its exact text). */
  #unconfirmed: string | undefined;
  readonly #store: SharedStore & Required<Pick<SharedStore, 'overwrite'>>;

  constructor(
    private readonly store: SharedStore,
    private readonly identity: LeaseIdentity,
  ) {
    if (typeof store.overwrite !== 'function') {
      throw new StoreError(
        'invalid',
        'lease',
        `${store.description} has neither compare-and-set nor a versioned overwrite`,
      );
    }
    this.#store = store as SharedStore & Required<Pick<SharedStore, 'overwrite'>>;
  }

  async read(call: StoreCall): Promise<LeaseView> {
    const { stored, sentAt } = await readLease(this.store, call, this.identity.clock);
    const view = this.#interpret(stored);
    return view.kind === 'free' ? { ...view, readSentAt: sentAt } : view;
  }

  #interpret(stored: Awaited<ReturnType<SharedStore['get']>>): LeaseView {
    if (stored === undefined) return { kind: 'free', version: 0, why: 'absent' };
    const record = decodeLease(stored.value);
    const now = this.identity.clock();
    if (record?.basedOn !== undefined && stored.version !== record.basedOn + 1) {
      return this.#hiddenHolder(stored.version, record, now);
    }
    // Our own claim counted after all: nobody else can hold it, and nobody here works under it.
    if (stored.value === this.#unconfirmed && record?.backoffUntil === undefined) {
      return { kind: 'free', version: stored.version, why: 'orphaned' };
    }
    return viewOf(record, stored.version, now, this.identity);
  }

  async claim(free: LeaseView, call: StoreCall, options: ClaimOptions = {}): Promise<ClaimOutcome> {
    const { owner, clock, leaseMs } = this.identity;
    const record = { ...claimRecord(owner, clock() + leaseMs, options), basedOn: free.version };
    const before =
      free.kind === 'free' && free.readSentAt !== undefined
        ? free.readSentAt + this.identity.maxStoreLatencyMs
        : undefined;
    const written = await sendClaim(this.#store, record, call, { clock, before }, (text) => {
      this.#unconfirmed = text;
    });
    if (written.version === free.version + 1) return { won: true, lease: written };
    // Someone else's write came first: ours now hides theirs (see the module comment).
    return { won: false, view: this.#hiddenHolder(written.version, written.record, clock()) };
  }

  async markBackoff(
    lease: HeldLease,
    until: number,
    reason: string,
    call: StoreCall,
  ): Promise<HeldLease | undefined> {
    return this.#writeAsHolder(
      lease,
      () => ({ ...lease.record, leaseExpiresAt: until, backoffUntil: until, reason }),
      call,
    );
  }

  // While the lease is live a holder's write may step over losing claims (like a marker or a
  // release). After that, one write based on our own version: it counts only if nothing was
  // written since ours, not even a losing claim, and one that does not count hides like any.
  async renew(lease: HeldLease, call: StoreCall): Promise<HeldLease | undefined> {
    const { clock, leaseMs } = this.identity;
    // The new lease is timed from just before its write is sent, not before the read below:
    // a slow read must not shorten the renewed working time.
    const renewed = (): LeaseRecord => ({
      v: 2,
      owner: lease.record.owner,
      leaseExpiresAt: clock() + leaseMs,
      basedOn: lease.version,
    });
    if (clock() < this.#liveUntil(lease.record.leaseExpiresAt)) {
      return this.#writeAsHolder(lease, renewed, call);
    }
    // Late, write only over our own record: a write that does not count would hide whatever
    // was written since (a successor's back-off marker, a release) for a whole lease.
    const { stored: current, sentAt } = await readLease(this.store, call, clock);
    if (current?.version !== lease.version || current.value !== lease.value) return undefined;
    // Sent once, and only within a write's latency of the read's sending (a process frozen in
    // between sends nothing): later, it could land over whatever was written since.
    const before = sentAt + this.identity.maxStoreLatencyMs;
    const written = await this.#write(renewed(), call, { clock, once: true, before });
    return written?.version === lease.version + 1 ? written : undefined;
  }

  async release(lease: HeldLease, call: StoreCall): Promise<boolean> {
    const { owner } = lease.record;
    const { clock } = this.identity;
    const released = (): LeaseRecord => ({ v: 2, owner, leaseExpiresAt: clock(), released: true });
    return (await this.#writeAsHolder(lease, released, call)) !== undefined;
  }

  /**
   * A holder's write (`build` makes the record at each send), based on its own last version.
   * If other writes came in between (losing claims), ours does not count and the holder writes
   * again on top of it: while its lease is live no other container can hold the lease, so
   * nothing of anyone else's is overwritten. Nor after: our write that did not count is itself
   * a record hiding the holder, over which nobody claims for a lease after it was sent.
   */
  async #writeAsHolder(
    lease: HeldLease,
    build: () => LeaseRecord,
    call: StoreCall,
  ): Promise<HeldLease | undefined> {
    const { clock, leaseMs } = this.identity;
    let liveUntil = this.#liveUntil(lease.record.leaseExpiresAt);
    let basedOn = lease.version;
    for (let attempt = 0; attempt < 3; attempt++) {
      // Every send, throttled retries too, goes out while the window in force is open (else
      // nothing is sent): so a write of ours that landed without counting can only be over
      // losing claims.
      const written = await this.#write({ ...build(), basedOn }, call, {
        clock,
        before: liveUntil,
      });
      if (written === undefined) return undefined;
      if (written.version === basedOn + 1) return written;
      basedOn = written.version;
      const sent = written.record.writtenAt ?? Number.NEGATIVE_INFINITY;
      liveUntil = Math.max(liveUntil, this.#liveUntil(sent + leaseMs));
    }
    // Past all that the holder writes nothing: the lease lapses by itself.
    return undefined;
  }

  // A write sent before this lands before any other container can see a lease ending at
  // `expiresAt` as over.
  #liveUntil(expiresAt: number): number {
    const { maxClockSkewMs, maxStoreLatencyMs } = this.identity;
    return expiresAt - 2 * maxClockSkewMs - maxStoreLatencyMs;
  }

  // A write sent within `window`; `undefined` if the window closed before a send.
  async #write(
    unstamped: LeaseRecord,
    call: StoreCall,
    window: SendWindow,
  ): Promise<HeldLease | undefined> {
    return overwriteLease(this.#store, unstamped, call, window).catch((error: unknown) => {
      if (error instanceof LeaseWriteLapsed) return undefined;
      throw error;
    });
  }

  #hiddenHolder(version: number, record: LeaseRecord, now: number): LeaseView {
    if (this.#hidden?.version !== version) this.#hidden = { version, firstSeenAt: now };
    return hiddenHolderView(version, record, now, this.#hidden.firstSeenAt, this.identity);
  }
}
