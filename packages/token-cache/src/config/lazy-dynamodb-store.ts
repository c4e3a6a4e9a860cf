/**
 * The DynamoDB store as configuration builds it: checked and described now, loaded on its first
 * call. `@aws-sdk/client-dynamodb` is an optional peer dependency, and a bundle that keeps it
 * behind a dynamic `import()` pays for it only in the functions configured to use it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requireDuration } from '../duration.js';
import { ConfigError } from '../errors.js';
import type { SharedStore, StoreKey } from '../store.js';
import type { DynamoDbStoreOptions } from '../stores/dynamodb-store.js';
import {
  DEFAULT_DYNAMODB_ITEM_KEY,
  DYNAMODB_MAX_VALUE_BYTES,
  requireItemKey,
  requireTableName,
} from '../stores/dynamodb-table.js';
import type { AwsClientEnvSettings } from './aws-clients.js';
import { ENV } from './variables.js';

/** Options of {@link lazyDynamoDbStore}: the store's, and how to build its client. */
export interface LazyDynamoDbStoreOptions extends DynamoDbStoreOptions {
  /**
   * Endpoint and credentials for the client the store builds (from an explicit env object);
   * ignored when `client` is given. Default: the SDK resolves them from `process.env`.
   */
  readonly clientSettings?: AwsClientEnvSettings;
}

/**
 * A `SharedStore` that behaves as a `DynamoDbStore` with `options`, whose module and client are
 * loaded by its first call. The names and durations are checked now, with the store's own
 * errors, so a bad table name still fails at start-up; what the lease strategy reads (compare-and-set) is known
 * without the module.
 *
 * @example
 * ```ts
 * const store = lazyDynamoDbStore({ tableName: 'vwc-dev-token-cache', region: 'us-west-2' });
 * store.supportsCompareAndSet; // true, before anything is loaded
 * ```
 */
export function lazyDynamoDbStore(options: LazyDynamoDbStoreOptions): SharedStore {
  const tableName = requireTableName(options.tableName);
  const itemKey = requireItemKey(options.itemKey ?? DEFAULT_DYNAMODB_ITEM_KEY);
  // The store's own duration checks, done now rather than by the first call.
  requireDuration('timeoutMs', options.timeoutMs, 1, 1);
  requireDuration('ttlMarginMs', options.ttlMarginMs, 0);
  requireDuration('fallbackTtlMs', options.fallbackTtlMs, 1, 1);
  let loaded: Promise<SharedStore> | undefined;
  const store = (): Promise<SharedStore> => {
    if (loaded === undefined) {
      const loading = load(options);
      // A failed load (say, the package missing) is not kept: the next call tries again.
      loading.catch(() => {
        if (loaded === loading) loaded = undefined;
      });
      loaded = loading;
    }
    return loaded;
  };
  return {
    description: `dynamodb:${tableName}/${itemKey}`,
    maxValueLength: DYNAMODB_MAX_VALUE_BYTES,
    supportsCompareAndSet: true,
    get: async (key: StoreKey, callOptions) => (await store()).get(key, callOptions),
    create: async (key, value, callOptions) => (await store()).create(key, value, callOptions),
    put: async (key, value, callOptions) => (await store()).put(key, value, callOptions),
    delete: async (key, callOptions) => (await store()).delete(key, callOptions),
  };
}

async function load(options: LazyDynamoDbStoreOptions): Promise<SharedStore> {
  try {
    const { DynamoDbStore } = await import('../stores/dynamodb-store.js');
    const { clientSettings, ...storeOptions } = options;
    const client = options.client ?? (clientSettings && (await clientFor(options, clientSettings)));
    return new DynamoDbStore({ ...storeOptions, ...(client ? { client } : {}) });
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new ConfigError(
      ENV.store,
      `a store the installed packages can reach: "dynamodb" needs @aws-sdk/client-dynamodb (npm install @aws-sdk/client-dynamodb)`,
      { cause: error },
    );
  }
}

/** The client `DynamoDbStore` would build itself (two attempts), with an env's endpoint and keys. */
async function clientFor(
  options: LazyDynamoDbStoreOptions,
  settings: AwsClientEnvSettings,
): Promise<DynamoDBClient> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  return new DynamoDBClient({
    ...(options.region ? { region: options.region } : {}),
    ...settings,
    maxAttempts: 2,
  });
}
