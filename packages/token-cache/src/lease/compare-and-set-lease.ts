/**
 * The lease on a store with real compare-and-set (DynamoDB conditional writes): a claim is a
 * create-if-absent, or a put conditioned on the version of the free record just read; marking
 * and releasing are conditioned on our own record still being there. The store settles every
 * race, so there is never a second holder and never a release of someone else's lease.
 */
import { StoreError } from '../errors.js';
import type { SharedStore } from '../store.js';
import { claimRecord, decodeLease, encodeLease, type LeaseRecord } from './record.js';
import type {
  ClaimOptions,
  ClaimOutcome,
  HeldLease,
  LeaseIdentity,
  LeaseStrategy,
  StoreCall,
} from './strategy.js';
import { type LeaseView, viewOf } from './view.js';

/** See the module comment. */
export class CompareAndSetLease implements LeaseStrategy {
  /** Our last claim whose write timed out and could not be confirmed (its exact text). */
  #unconfirmed: string | undefined;

  constructor(
    private readonly store: SharedStore,
    private readonly identity: LeaseIdentity,
  ) {}

  async read(call: StoreCall): Promise<LeaseView> {
    const stored = await call('get', 'lease', (signal) => this.store.get('lease', { signal }));
    if (stored === undefined) return { kind: 'free', version: 0, why: 'absent' };
    const record = decodeLease(stored.value);
    // Our own claim landed after all: nobody else can hold it, and nobody here works under it.
    if (stored.value === this.#unconfirmed && record?.backoffUntil === undefined) {
      return { kind: 'free', version: stored.version, why: 'orphaned' };
    }
    return viewOf(record, stored.version, this.identity.clock(), this.identity);
  }

  async claim(free: LeaseView, call: StoreCall, options: ClaimOptions = {}): Promise<ClaimOutcome> {
    const { owner, clock, leaseMs } = this.identity;
    const record = claimRecord(owner, clock() + leaseMs, options);
    const value = encodeLease(record);
    const won = await this.#conditionalWrite(free.version, value, call);
    if (!won) return { won: false, view: await this.read(call) };
    // The version is not needed: marking and releasing compare the stored text.
    return { won: true, lease: { record, value, version: free.version + 1 } };
  }

  markBackoff(
    lease: HeldLease,
    until: number,
    reason: string,
    call: StoreCall,
  ): Promise<HeldLease | undefined> {
    return this.#replaceOurs(
      lease,
      () => ({ ...lease.record, leaseExpiresAt: until, backoffUntil: until, reason }),
      call,
    );
  }

  // Our exact record still stored means nobody has claimed since, even if it has expired.
  renew(lease: HeldLease, call: StoreCall): Promise<HeldLease | undefined> {
    const { clock, leaseMs } = this.identity;
    return this.#replaceOurs(
      lease,
      () => ({ ...lease.record, leaseExpiresAt: clock() + leaseMs }),
      call,
    );
  }

  async release(lease: HeldLease, call: StoreCall): Promise<boolean> {
    const current = await call('get', 'lease', (signal) => this.store.get('lease', { signal }));
    if (current?.value !== lease.value) return false;
    // False when someone wrote the lease between our read and the delete: it was not ours. (A
    // store of one's own whose delete resolves nothing is taken at its word.)
    const deleted = await call('delete', 'lease', (signal) =>
      this.store.delete('lease', { signal, expectedVersion: current.version }),
    );
    return deleted !== false;
  }

  // Creates or replaces the record at `version`. A write that timed out may still have landed:
  // our exact text stored says it did (without this, a won claim would be taken for lost).
  async #conditionalWrite(version: number, value: string, call: StoreCall): Promise<boolean> {
    try {
      this.#unconfirmed = undefined;
      return version === 0
        ? await call('create', 'lease', (signal) => this.store.create('lease', value, { signal }))
        : await call('put', 'lease', (signal) =>
            this.store.put('lease', value, { signal, expectedVersion: version }),
          );
    } catch (error) {
      if (!(error instanceof StoreError) || error.kind !== 'timeout') throw error;
      const stored = await call('get', 'lease', (signal) =>
        this.store.get('lease', { signal }),
      ).catch(() => undefined);
      if (stored?.value === value) return true;
      // Not seen, perhaps not landed yet: a later read that finds it knows it is ours.
      this.#unconfirmed = value;
      throw error;
    }
  }

  // Replaces our record with the one `build` makes, conditioned on ours being the one stored.
  // It is built after the read, so a renewed lease is timed from its write, not the read.
  async #replaceOurs(
    lease: HeldLease,
    build: () => LeaseRecord,
    call: StoreCall,
  ): Promise<HeldLease | undefined> {
    const current = await call('get', 'lease', (signal) => this.store.get('lease', { signal }));
    if (current?.value !== lease.value) return undefined;
    const record = build();
    const value = encodeLease(record);
    const written = await call('put', 'lease', (signal) =>
      this.store.put('lease', value, { signal, expectedVersion: current.version }),
    );
    return written ? { record, value, version: current.version + 1 } : undefined;
  }
}
