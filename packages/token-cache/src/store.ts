/**
 * The shared store behind the shared tier: a tiny key-value contract that SSM Parameter Store
 * and DynamoDB both implement (Powertools' `BaseProvider`/`SSMProvider` split, applied to
 * writes). The shared tier owns envelopes, freshness and leases; a store only moves strings.
 */

/**
 * The logical records the shared tier keeps. `token` holds the token envelope; `lease` holds
 * the refresh lease (and doubles as the endpoint back-off marker). Each store maps them to its
 * own names, e.g. the SSM store keeps the lease in a parameter beside the cache parameter.
 */
export type StoreKey = 'token' | 'lease';

/** A value read from the store, with the version the store assigned to it. */
export interface StoredValue {
  readonly value: string;
  /**
   * Monotonic per key (SSM parameter version, DynamoDB item version). On a store without
   * compare-and-set, every write adds exactly one: the lease protocol relies on that.
   */
  readonly version: number;
}

/** Options for a single store call. */
export interface StoreCallOptions {
  readonly signal?: AbortSignal;
}

/** Options for a write. */
export interface StorePutOptions extends StoreCallOptions {
  /**
   * Compare-and-set: write only if the current version is this one (`0` = only if absent).
   * Stores that cannot enforce it atomically (SSM) report `supportsCompareAndSet: false` and
   * ignore it; the shared tier then re-reads before writing instead.
   */
  readonly expectedVersion?: number;
}

/**
 * A shared key-value store. Every method may throw a `StoreError` (throttled, denied,
 * unavailable, ...); none of them returns a secret in an error message.
 */
export interface SharedStore {
  /** A human-readable name for logs and the CLI, e.g. `ssm:/vwc/dev/auth0-token-cache`. */
  readonly description: string;
  /** The largest value (in characters) a put accepts; bigger values are refused before any I/O. */
  readonly maxValueLength: number;
  /** Whether `expectedVersion` on put/delete is enforced atomically by the store. */
  readonly supportsCompareAndSet: boolean;
  /**
   * Whether writes of the `lease` record are compare-and-set, when that differs from the token
   * record's (a multi-region store keeps the lease in its primary region only). Default:
   * `supportsCompareAndSet`.
   */
  readonly leaseSupportsCompareAndSet?: boolean;
  /** Reads a record; `undefined` when it does not exist. */
  get(key: StoreKey, options?: StoreCallOptions): Promise<StoredValue | undefined>;
  /**
   * Creates a record only if it does not exist yet (SSM `Overwrite=false`, DynamoDB
   * `attribute_not_exists`). Resolves `true` when created, `false` when it already existed.
   */
  create(key: StoreKey, value: string, options?: StoreCallOptions): Promise<boolean>;
  /** Writes a record. Resolves `false` when `expectedVersion` was given and did not match. */
  put(key: StoreKey, value: string, options?: StorePutOptions): Promise<boolean>;
  /**
   * Deletes a record; deleting an absent record is not an error. Resolves `false` when
   * `expectedVersion` was given and did not match (nothing was deleted), else `true`.
   */
  delete(key: StoreKey, options?: StorePutOptions): Promise<boolean>;
  /**
   * Writes a record unconditionally and resolves the version the store gave this write (SSM
   * `PutParameter Overwrite=true` answers it). Required when `supportsCompareAndSet` is false:
   * the lease on such a store is decided by which write got which version.
   */
  overwrite?(key: StoreKey, value: string, options?: StoreCallOptions): Promise<number>;
}
