/**
 * The fleet-wide refresh lease (issue 4, design guarantee 4). One record under the store key
 * `lease` (on SSM: the lock parameter `<name>-lock`, created with `Overwrite=false`):
 *
 * ```json
 * {"v":1,"owner":"<ownerId>","leaseExpiresAt":<epoch ms>,"backoffUntil":<epoch ms>?,"reason":"429"?}
 * ```
 *
 * - Acquire = read, then create-if-absent only when the read found no live record, so exactly
 *   one container wins a free lease and a held lease costs its contenders reads, not writes
 *   (SSM allows about 3 writes/s per account, 40 reads/s). A throttled lease write is never
 *   retried: it is answered by reading who holds the lease.
 * - Release = delete, only after re-reading that the record is still the one we wrote.
 * - A record past `leaseExpiresAt` (its holder crashed) or unparsable is taken over: with a
 *   compare-and-set store by a versioned put; otherwise (SSM) by delete, then create. The
 *   create is atomic, so two racing takers cannot both create; the residual race is a taker
 *   deleting a lease another taker created between its read and its delete — possible only
 *   when a lease expires unreleased (a crash, the end of a back-off marker), and the token
 *   re-read before each endpoint call narrows it further.
 * - The endpoint back-off marker is the same record with `backoffUntil` (= `leaseExpiresAt`):
 *   nobody calls the endpoint before then, and afterwards it is an expired lease like any other.
 * Lease times come from each container's clock; Lambda hosts are NTP-synchronised, and skew of
 * a second or two only shortens or lengthens one lease.
 */
import { StoreError } from './errors.js';
import type { SharedStore, StoredValue } from './store.js';

/** The lease record. */
export interface LeaseRecord {
  readonly v: 1;
  readonly owner: string;
  readonly leaseExpiresAt: number;
  /** Set when the token endpoint asked the fleet to back off (429/5xx); epoch ms. */
  readonly backoffUntil?: number;
  /** Why the fleet backs off, e.g. `429` or `503`; never a token or secret. */
  readonly reason?: string;
}

/** A lease this container holds: the exact stored text, to recognise it on release. */
export interface HeldLease {
  readonly record: LeaseRecord;
  readonly value: string;
}

/** Result of {@link LeaseClient.acquire}. */
export type LeaseAttempt =
  | { readonly acquired: true; readonly lease: HeldLease; readonly takeover: boolean }
  | { readonly acquired: false; readonly holder: LeaseRecord };

/**
 * Runs one store operation; the shared tier supplies throttle retries, the deadline's signal,
 * timing and events. `operation` names it for events (`create`, `get`, `put`, `delete`).
 */
export type StoreCall = <T>(
  operation: string,
  key: 'token' | 'lease',
  run: (signal?: AbortSignal) => Promise<T>,
) => Promise<T>;

// A write the store throttled counts as lost: someone else is writing, most likely the winner.
async function throttledAsLost(write: Promise<boolean>): Promise<boolean> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'throttled') return false;
    throw error;
  }
}

/**
 * Parses a lease record; `undefined` for anything unparsable (treated as stale).
 *
 * @example
 * ```ts
 * const holder = decodeLease('{"v":1,"owner":"a","leaseExpiresAt":1}'); // { v: 1, owner: 'a', ... }
 * ```
 */
export function decodeLease(value: string): LeaseRecord | undefined {
  try {
    const r = JSON.parse(value) as Partial<LeaseRecord> | null;
    if (r?.v !== 1 || typeof r.owner !== 'string' || typeof r.leaseExpiresAt !== 'number') {
      return undefined;
    }
    return r as LeaseRecord;
  } catch {
    return undefined;
  }
}

/**
 * Acquires, releases and marks the refresh lease for one container.
 *
 * @example
 * ```ts
 * const leases = new LeaseClient(store, 'container-1', 15_000, Date.now);
 * const call: StoreCall = (_op, _key, run) => run();
 * const attempt = await leases.acquire(call);
 * if (attempt.acquired) try { await refresh(); } finally { await leases.release(attempt.lease, call); }
 * ```
 */
export class LeaseClient {
  constructor(
    private readonly store: SharedStore,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly clock: () => number,
  ) {}

  /**
   * Tries once to take the lease. Reads first: a held lease then costs one read and no write.
   * On SSM a create-if-absent is a `PutParameter` and draws from the account's few writes per
   * second even when it fails with `ParameterAlreadyExists`, so creating first let containers
   * that merely found the lease taken throttle the holder's own token write (issue 4).
   *
   * `writeCall` runs the writes (create, and the delete of a stale record); give it one that
   * does not retry throttling. Many containers finding the lease free at once race on the
   * create, exactly one can win, and a loser retrying a throttled create only spends the writes
   * the winner needs for the token: a throttled write is answered by reading who holds it.
   */
  async acquire(call: StoreCall, writeCall: StoreCall = call): Promise<LeaseAttempt> {
    const current = await call('get', 'lease', (signal) => this.store.get('lease', { signal }));
    const mine = this.#record(this.clock() + this.leaseMs);
    if (current !== undefined) {
      const holder = decodeLease(current.value);
      if (holder !== undefined && this.clock() < holder.leaseExpiresAt) {
        return { acquired: false, holder };
      }
      return this.#takeOver(current, mine, call, writeCall);
    }
    // Absent: the atomic create decides between every container that saw it absent.
    return this.#create(mine, false, call, writeCall);
  }

  /** Reads the current lease record (`undefined` when absent or unparsable). */
  async read(call: StoreCall): Promise<LeaseRecord | undefined> {
    const current = await call('get', 'lease', (signal) => this.store.get('lease', { signal }));
    return current === undefined ? undefined : decodeLease(current.value);
  }

  /** Deletes the lease if it is still the one we wrote (a slow holder may have lost it). */
  async release(lease: HeldLease, call: StoreCall): Promise<boolean> {
    const current = await call('get', 'lease', (signal) => this.store.get('lease', { signal }));
    if (current?.value !== lease.value) return false;
    const expectedVersion = this.store.supportsCompareAndSet ? current.version : undefined;
    await call('delete', 'lease', (signal) =>
      this.store.delete('lease', { signal, expectedVersion }),
    );
    return true;
  }

  /**
   * Turns our lease into the fleet's endpoint back-off marker until `until` (epoch ms), so
   * other containers do not call a rate-limited or failing endpoint (issue 4, part 3).
   */
  async markBackoff(until: number, reason: string, call: StoreCall): Promise<HeldLease> {
    const marker = this.#record(until, { backoffUntil: until, reason });
    await call('put', 'lease', (signal) => this.store.put('lease', marker.value, { signal }));
    return marker;
  }

  async #takeOver(
    stale: StoredValue,
    mine: HeldLease,
    call: StoreCall,
    writeCall: StoreCall,
  ): Promise<LeaseAttempt> {
    if (this.store.supportsCompareAndSet) {
      const ok = await throttledAsLost(
        writeCall('put', 'lease', (signal) =>
          this.store.put('lease', mine.value, { signal, expectedVersion: stale.version }),
        ),
      );
      return ok ? { acquired: true, lease: mine, takeover: true } : this.#lost(call);
    }
    // No atomic compare-and-set (SSM): delete the stale record we have just read, then race
    // every other taker on the atomic create. (No second read first: `acquire` read it a moment
    // ago, and reads are SSM's scarce quota; the race window is the same either way.)
    const deleted = await throttledAsLost(
      writeCall('delete', 'lease', (signal) => this.store.delete('lease', { signal })).then(
        () => true,
      ),
    );
    if (!deleted) return this.#lost(call);
    return this.#create(mine, true, call, writeCall);
  }

  async #create(
    mine: HeldLease,
    takeover: boolean,
    call: StoreCall,
    writeCall: StoreCall,
  ): Promise<LeaseAttempt> {
    const created = await throttledAsLost(
      writeCall('create', 'lease', (signal) => this.store.create('lease', mine.value, { signal })),
    );
    return created ? { acquired: true, lease: mine, takeover } : this.#lost(call);
  }

  async #lost(call: StoreCall, seen?: StoredValue): Promise<LeaseAttempt> {
    const current =
      seen ?? (await call('get', 'lease', (signal) => this.store.get('lease', { signal })));
    const holder = current === undefined ? undefined : decodeLease(current.value);
    // Gone again already: report an expired holder so the caller simply tries again later.
    return {
      acquired: false,
      holder: holder ?? { v: 1, owner: 'unknown', leaseExpiresAt: this.clock() },
    };
  }

  #record(leaseExpiresAt: number, extra: Partial<LeaseRecord> = {}): HeldLease {
    const record: LeaseRecord = { v: 1, owner: this.owner, leaseExpiresAt, ...extra };
    return { record, value: JSON.stringify(record) };
  }
}
