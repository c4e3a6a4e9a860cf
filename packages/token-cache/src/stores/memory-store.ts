/**
 * An in-process {@link SharedStore} for unit and property tests only: it lets many cache
 * instances in one process share a "store" with exact call counts, optional compare-and-set
 * and injectable faults and latency. Production code uses the SSM or DynamoDB store.
 */
import { StoreError } from '../errors.js';
import type {
  SharedStore,
  StoreCallOptions,
  StoredValue,
  StoreKey,
  StorePutOptions,
} from '../store.js';

/** The store operations, as counted in {@link MemoryStore.calls}. */
export type MemoryStoreOperation = 'get' | 'create' | 'put' | 'delete';

/** Options for {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Enforce `expectedVersion` (DynamoDB-like) or ignore it (SSM-like). Default true. */
  readonly supportsCompareAndSet?: boolean;
  /** Largest value accepted; bigger puts throw `StoreError('too-large')` before any change. */
  readonly maxValueLength?: number;
  /**
   * Runs before every call; may wait (virtual latency) or throw a `StoreError` (a fault).
   * Receives the abort signal so a test can model a hung call.
   */
  readonly beforeCall?: (
    operation: MemoryStoreOperation,
    key: StoreKey,
    signal?: AbortSignal,
  ) => Promise<void> | void;
}

/**
 * A `SharedStore` held in a `Map`.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const a = createTokenCache({ source, store });
 * const b = createTokenCache({ source, store }); // a second "container" sharing the store
 * ```
 */
export class MemoryStore implements SharedStore {
  readonly description = 'memory';
  readonly maxValueLength: number;
  readonly supportsCompareAndSet: boolean;
  /** Calls per operation and key, e.g. `calls['get:token']`. */
  readonly calls: Record<string, number> = {};
  readonly #records = new Map<StoreKey, StoredValue>();
  readonly #beforeCall: MemoryStoreOptions['beforeCall'];
  // With compare-and-set, versions never repeat, even across delete/create, so a stale
  // compare-and-set always fails. Without (SSM-like), each key counts its own writes from 1,
  // as SSM numbers a parameter's versions, and a delete starts it again.
  readonly #lastVersion = new Map<StoreKey, number>();

  constructor(options: MemoryStoreOptions = {}) {
    this.supportsCompareAndSet = options.supportsCompareAndSet ?? true;
    this.maxValueLength = options.maxValueLength ?? 4_096;
    this.#beforeCall = options.beforeCall;
  }

  /** The current record, without counting a call (for assertions). */
  peek(key: StoreKey): StoredValue | undefined {
    return this.#records.get(key);
  }

  /** Sets a record directly, without counting a call (for test setup). */
  seed(key: StoreKey, value: string): number {
    const version = (this.#lastVersion.get(key) ?? 0) + 1;
    this.#lastVersion.set(key, version);
    this.#records.set(key, { value, version });
    return version;
  }

  async get(key: StoreKey, options?: StoreCallOptions): Promise<StoredValue | undefined> {
    await this.#enter('get', key, options?.signal);
    return this.#records.get(key);
  }

  async create(key: StoreKey, value: string, options?: StoreCallOptions): Promise<boolean> {
    this.#checkSize('create', value);
    await this.#enter('create', key, options?.signal);
    if (this.#records.has(key)) return false;
    this.seed(key, value);
    return true;
  }

  async put(key: StoreKey, value: string, options?: StorePutOptions): Promise<boolean> {
    this.#checkSize('put', value);
    await this.#enter('put', key, options?.signal);
    if (!this.#versionMatches(key, options?.expectedVersion)) return false;
    this.seed(key, value);
    return true;
  }

  async overwrite(key: StoreKey, value: string, options?: StoreCallOptions): Promise<number> {
    this.#checkSize('put', value);
    await this.#enter('put', key, options?.signal);
    return this.seed(key, value);
  }

  async delete(key: StoreKey, options?: StorePutOptions): Promise<boolean> {
    await this.#enter('delete', key, options?.signal);
    if (!this.#versionMatches(key, options?.expectedVersion)) return false;
    this.#records.delete(key);
    if (!this.supportsCompareAndSet) this.#lastVersion.delete(key);
    return true;
  }

  async #enter(operation: MemoryStoreOperation, key: StoreKey, signal?: AbortSignal) {
    const name = `${operation}:${key}`;
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    await this.#beforeCall?.(operation, key, signal);
    signal?.throwIfAborted();
  }

  #checkSize(operation: MemoryStoreOperation, value: string) {
    if (value.length > this.maxValueLength) {
      throw new StoreError(
        'too-large',
        operation,
        `value of ${value.length} characters exceeds the store limit of ${this.maxValueLength}`,
      );
    }
  }

  #versionMatches(key: StoreKey, expected: number | undefined): boolean {
    if (!this.supportsCompareAndSet || expected === undefined) return true;
    return (this.#records.get(key)?.version ?? 0) === expected;
  }
}
