/**
 * `@token-cache/core`: one OAuth2 client-credentials token shared by a whole serverless fleet.
 * Explicit named re-exports (`export type` for types), one line per export group; each area
 * adds its own lines.
 */

// Cache core
export type { RefreshResult, TokenCache, TokenCacheOptions } from './cache.js';
export { createTokenCache, DEFAULT_DEADLINE_MS, DEFAULT_LEASE_MS } from './cache.js';
export type { Sleep } from './deadline.js';
export { Deadline, realSleep } from './deadline.js';
export type { DecodedValue, EnvelopeMissReason } from './envelope.js';
export { decodeEnvelope, ENVELOPE_VERSION, encodeEnvelope, PLACEHOLDER_VALUE } from './envelope.js';
export type { TokenCacheErrorCode } from './errors.js';
export {
  ConfigError,
  StoreError,
  TokenCacheError,
  TokenEndpointError,
  TokenUnavailableError,
} from './errors.js';
export type { CacheTier, StoreErrorKind, TokenCacheEvent, TokenCacheListener } from './events.js';
export { DEFAULT_METRICS_NAMESPACE, METRIC_NAMES } from './events.js';
export type { Freshness, FreshnessPolicy } from './freshness.js';
export {
  DEFAULT_MIN_REMAINING_MS,
  DEFAULT_REFRESH_WINDOW_MS,
  freshnessOf,
  freshnessPolicy,
  isUsable,
} from './freshness.js';
export type { HeldLease, LeaseRecord } from './lease.js';
export { decodeLease } from './lease.js';
export type {
  SharedStore,
  StoreCallOptions,
  StoredValue,
  StoreKey,
  StorePutOptions,
} from './store.js';
export type { MemoryStoreOperation, MemoryStoreOptions } from './stores/memory-store.js';
export { MemoryStore } from './stores/memory-store.js';
// Contracts
export type { Clock, GetTokenOptions, Token, TokenIdentity, TokenSource } from './token.js';
export { systemClock } from './token.js';
// Beyond one store and one region: DynamoDB store, multi-region store, client rotation
export type { DynamoDbStoreOptions } from './stores/dynamodb-store.js';
export {
  DEFAULT_DYNAMODB_ITEM_KEY,
  DEFAULT_DYNAMODB_TIMEOUT_MS,
  DYNAMODB_ITEM_ATTRIBUTES,
  DYNAMODB_MAX_VALUE_BYTES,
  DynamoDbStore,
} from './stores/dynamodb-store.js';
export { toStoreError as dynamoDbStoreError } from './stores/dynamodb-errors.js';
export {
  DEFAULT_FALLBACK_TTL_MS,
  DEFAULT_TTL_MARGIN_MS,
  ttlEpochSeconds,
  valueExpiresAt,
} from './stores/dynamodb-ttl.js';
export type { MultiRegionStoreOptions, RegionalStore } from './stores/multi-region-store.js';
export { DEFAULT_PRIMARY_CHECK_WITHIN_MS, MultiRegionStore } from './stores/multi-region-store.js';
export type { RotatingClientCredentialsOptions } from './sources/rotating.js';
export { isRejectedCredentials, rotatingClientCredentials } from './sources/rotating.js';
export type { ClientCredentials } from './sources/rotating-clients.js';
export { CLIENT_LIST_VARIABLE, readClientCredentialsList } from './sources/rotating-clients.js';
