/**
 * The DynamoDB store's table as data: attribute names, key prefix, value limit, default
 * timeout, and the checks on names. No AWS SDK import, so configuration can check a DynamoDB
 * setup (and describe the store) before the optional `@aws-sdk/client-dynamodb` is loaded.
 */
import { DEFAULTS } from '../defaults.js';
import { ConfigError } from '../errors.js';

/** Per-call timeout when none is given. DynamoDB answers in milliseconds; 2 s covers a cold TLS handshake. */
export const DEFAULT_DYNAMODB_TIMEOUT_MS = DEFAULTS.storeTimeoutMs;

/** Partition-key prefix when none is given. */
export const DEFAULT_DYNAMODB_ITEM_KEY = 'auth0-token-cache';

/**
 * DynamoDB's item limit is 400 KB, counting attribute names and values (Developer Guide,
 * "Service, account, and table quotas"); 1 KB is left for the key and the other attributes.
 */
export const DYNAMODB_MAX_VALUE_BYTES = 400 * 1024 - 1024;

/**
 * The item's attribute names; `infra/dynamodb.tf` declares the same key and TTL attribute.
 *
 * @example
 * ```ts
 * DYNAMODB_ITEM_ATTRIBUTES.ttl; // 'ttl' (the table's TTL attribute)
 * ```
 */
export const DYNAMODB_ITEM_ATTRIBUTES = {
  partitionKey: 'pk',
  value: 'value',
  version: 'version',
  ttl: 'ttl',
  expiresAt: 'expiresAt',
} as const;

/**
 * `tableName` if it is a DynamoDB table name (3-255 characters of `[a-zA-Z0-9_.-]`, API
 * reference, CreateTable); otherwise a `ConfigError` naming `tableName`.
 *
 * @example
 * ```ts
 * requireTableName('vwc-dev-token-cache'); // 'vwc-dev-token-cache'
 * ```
 */
export function requireTableName(tableName: unknown): string {
  if (typeof tableName !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(tableName)) {
    throw new ConfigError('tableName', 'a DynamoDB table name of 3-255 characters [a-zA-Z0-9_.-]');
  }
  return tableName;
}

/**
 * `itemKey` if it can prefix the partition keys (`<itemKey>#token`): 1-1000 characters
 * without `#`; otherwise a `ConfigError` naming `itemKey`.
 *
 * @example
 * ```ts
 * requireItemKey('auth0'); // 'auth0'
 * ```
 */
export function requireItemKey(itemKey: string): string {
  if (itemKey.length === 0 || itemKey.length > 1000 || itemKey.includes('#')) {
    throw new ConfigError('itemKey', 'a non-empty string of at most 1000 characters without "#"');
  }
  return itemKey;
}
