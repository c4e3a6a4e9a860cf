/**
 * One shared token for a fleet spread over several AWS regions (issue 7, part 3): a
 * `SharedStore` decorator over one store per region (an SSM parameter of the same name in each).
 *
 * - **Reads** of the token go to the local region's store (low latency, no cross-region
 *   dependency). They fall back to the primary region's store when the local read fails, and
 *   also on a local miss: a replica can lag (a replica write failed, or the region was just
 *   added), and one cross-region read is far cheaper than a token-endpoint call. The same
 *   goes for a local value without an expiry (the `not-initialized` placeholder Terraform
 *   creates each replica with). A local token that is expired or about to be (within `primaryCheckWithinMs`, default the cache's 5-minute
 *   refresh window) is compared with the primary's and the later-expiring one wins, so a replica
 *   that missed the last refresh does not send its region to the token endpoint.
 * - **Writes** of the token go to the primary first, then to every replica in parallel. A
 *   replica failure is reported (`store-error` event) but not fatal; the next refresh repairs
 *   it. A primary failure does not stop the replicas either (they keep the fleet sharing while
 *   the primary region is impaired), and is then thrown.
 * - **The lease** lives in the primary only: one refresher for the whole fleet, every region.
 *
 * Versions are per store, so a version read from a replica means nothing to the primary:
 * compare-and-set is offered only when the local region *is* the primary (and its store offers
 * it). Elsewhere `expectedVersion` on token writes is ignored, as the contract allows; lease
 * calls always carry it to the primary.
 */
import { DEFAULTS } from '../defaults.js';
import { requireDuration } from '../duration.js';
import { ConfigError, StoreError } from '../errors.js';
import type { TokenCacheListener } from '../events.js';
import type {
  SharedStore,
  StoreCallOptions,
  StoredValue,
  StoreKey,
  StorePutOptions,
} from '../store.js';
import { type Clock, systemClock } from '../token.js';
import { valueExpiresAt } from './dynamodb-ttl.js';

/** Default for {@link MultiRegionStoreOptions.primaryCheckWithinMs}: the cache's refresh window. */
export const DEFAULT_PRIMARY_CHECK_WITHIN_MS = DEFAULTS.refreshWindowMs;

/** A store and the region it lives in. */
export interface RegionalStore {
  /** AWS region, e.g. `us-west-2`. */
  readonly region: string;
  readonly store: SharedStore;
}

/** Options of {@link MultiRegionStore}. */
export interface MultiRegionStoreOptions {
  /** The authoritative region: written first, holds the lease, the read fallback. */
  readonly primary: RegionalStore;
  /** The other regions, written after the primary. */
  readonly replicas: readonly RegionalStore[];
  /** The region this process runs in (`AWS_REGION`); must be the primary or a replica. */
  readonly localRegion: string;
  /** Receives `store-error` events for local-read fallbacks and replica failures. Must not throw. */
  readonly onEvent?: TokenCacheListener;
  /** A local token expiring within this many ms is checked against the primary's. Default 5 min. */
  readonly primaryCheckWithinMs?: number;
  /** Clock for that check (default `Date.now`). */
  readonly clock?: Clock;
}

/**
 * A `SharedStore` spanning regions: local reads with primary fallback, primary-first writes
 * replicated to every region, lease in the primary.
 *
 * @example
 * ```ts
 * const store = new MultiRegionStore({
 *   primary: { region: 'us-west-2', store: new SsmStore({ parameterName, region: 'us-west-2' }) },
 *   replicas: [{ region: 'eu-west-1', store: new SsmStore({ parameterName, region: 'eu-west-1' }) }],
 *   localRegion: process.env.AWS_REGION ?? 'us-west-2',
 * });
 * ```
 */
export class MultiRegionStore implements SharedStore {
  readonly description: string;
  readonly maxValueLength: number;
  readonly supportsCompareAndSet: boolean;
  readonly leaseSupportsCompareAndSet: boolean;

  readonly #primary: RegionalStore;
  readonly #replicas: readonly RegionalStore[];
  readonly #local: RegionalStore;
  readonly #onEvent: TokenCacheListener;
  readonly #primaryCheckWithinMs: number;
  readonly #clock: Clock;

  constructor(options: MultiRegionStoreOptions) {
    const all = [options.primary, ...options.replicas];
    const regions = all.map(({ region }) => region);
    const duplicate = regions.find((region, index) => regions.indexOf(region) !== index);
    if (duplicate !== undefined) {
      throw new ConfigError('replicas', `a list of distinct regions (${duplicate} appears twice)`);
    }
    const local = all.find(({ region }) => region === options.localRegion);
    if (local === undefined) {
      throw new ConfigError('localRegion', `one of the configured regions (${regions.join(', ')})`);
    }
    this.#primary = options.primary;
    this.#replicas = options.replicas;
    this.#local = local;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#clock = options.clock ?? systemClock;
    this.#primaryCheckWithinMs = requireDuration(
      'primaryCheckWithinMs',
      options.primaryCheckWithinMs,
      DEFAULT_PRIMARY_CHECK_WITHIN_MS,
    );
    this.maxValueLength = Math.min(...all.map(({ store }) => store.maxValueLength));
    this.supportsCompareAndSet =
      local === options.primary && options.primary.store.supportsCompareAndSet;
    // The lease lives in the primary only, so it is as strong as the primary's store.
    this.leaseSupportsCompareAndSet = options.primary.store.supportsCompareAndSet;
    this.description = `multi-region(primary ${describe(options.primary)}; replicas ${
      options.replicas.map(describe).join(', ') || 'none'
    }; local ${local.region})`;
  }

  /** The region this process reads from first. */
  get localRegion(): string {
    return this.#local.region;
  }

  async get(key: StoreKey, options?: StoreCallOptions): Promise<StoredValue | undefined> {
    if (key === 'lease' || this.#local === this.#primary) {
      return this.#primary.store.get(key, options);
    }
    let local: StoredValue | undefined;
    try {
      local = await this.#local.store.get(key, options);
    } catch (error) {
      this.#report(error, this.#local, 'get');
      if (options?.signal?.aborted) {
        throw error;
      }
      return this.#primary.store.get(key, options);
    }
    const localExpiresAt = local === undefined ? undefined : valueExpiresAt(local.value);
    if (
      local !== undefined &&
      localExpiresAt !== undefined &&
      localExpiresAt - this.#clock() > this.#primaryCheckWithinMs
    ) {
      return local;
    }
    // Absent, the placeholder (Terraform creates each replica with it; clear() writes it), or
    // expiring soon: the primary may hold a better token.
    return this.#betterOf(local, localExpiresAt, options);
  }

  /** The primary's token if it expires later than the local one; the local one otherwise. */
  async #betterOf(
    local: StoredValue | undefined,
    localExpiresAt: number | undefined,
    options: StoreCallOptions | undefined,
  ): Promise<StoredValue | undefined> {
    let primary: StoredValue | undefined;
    try {
      primary = await this.#primary.store.get('token', options);
    } catch (error) {
      if (local === undefined) {
        throw error;
      }
      // The local value is still the best we have; the shared tier decides if it is usable.
      this.#report(error, this.#primary, 'get');
      return local;
    }
    if (primary === undefined || local === undefined) {
      return primary ?? local;
    }
    const primaryExpiresAt = valueExpiresAt(primary.value);
    const later =
      (primaryExpiresAt ?? Number.NEGATIVE_INFINITY) > (localExpiresAt ?? Number.NEGATIVE_INFINITY);
    return later ? primary : local;
  }

  async create(key: StoreKey, value: string, options?: StoreCallOptions): Promise<boolean> {
    const created = await this.#primary.store.create(key, value, options);
    if (created && key === 'token') {
      await this.#replicate((store) => store.put(key, value, options), 'put');
    }
    return created;
  }

  async put(key: StoreKey, value: string, options?: StorePutOptions): Promise<boolean> {
    if (key === 'lease') {
      return this.#primary.store.put(key, value, options);
    }
    const primaryOptions = this.supportsCompareAndSet ? options : withoutVersion(options);
    let written: boolean;
    try {
      written = await this.#primary.store.put(key, value, primaryOptions);
    } catch (error) {
      await this.#replicate((store) => store.put(key, value, withoutVersion(options)), 'put');
      throw error;
    }
    if (written) {
      await this.#replicate((store) => store.put(key, value, withoutVersion(options)), 'put');
    }
    return written;
  }

  async overwrite(key: StoreKey, value: string, options?: StoreCallOptions): Promise<number> {
    const primary = this.#primary.store;
    if (primary.overwrite === undefined) {
      throw new StoreError('invalid', 'overwrite', `${primary.description} cannot overwrite`);
    }
    const version = await primary.overwrite(key, value, options);
    if (key === 'token') {
      await this.#replicate((store) => store.put(key, value, withoutVersion(options)), 'put');
    }
    return version;
  }

  async delete(key: StoreKey, options?: StorePutOptions): Promise<boolean> {
    if (key === 'lease') {
      return this.#primary.store.delete(key, options);
    }
    const primaryOptions = this.supportsCompareAndSet ? options : withoutVersion(options);
    // A conditional delete the primary refused (someone wrote since) deletes no replica either.
    if ((await this.#primary.store.delete(key, primaryOptions)) === false) return false;
    await this.#replicate((store) => store.delete(key, withoutVersion(options)), 'delete');
    return true;
  }

  /** Runs a write on every replica in parallel; failures become events, never exceptions. */
  async #replicate(
    write: (store: SharedStore) => Promise<unknown>,
    operation: string,
  ): Promise<void> {
    await Promise.all(
      this.#replicas.map(async (replica) => {
        try {
          await write(replica.store);
        } catch (error) {
          this.#report(error, replica, operation);
        }
      }),
    );
  }

  #report(error: unknown, regional: RegionalStore, operation: string): void {
    const kind = error instanceof StoreError ? error.kind : 'unavailable';
    const storeOperation = error instanceof StoreError ? error.operation : operation;
    try {
      this.#onEvent({
        type: 'store-error',
        kind,
        operation: `${regional.region}:${storeOperation}`,
      });
    } catch {
      // A listener must not throw; if it does, replication still must not fail because of it.
    }
  }
}

function withoutVersion(options: StorePutOptions | undefined): StoreCallOptions | undefined {
  return options?.signal ? { signal: options.signal } : undefined;
}

function describe({ region, store }: RegionalStore): string {
  return `${region}=${store.description}`;
}
