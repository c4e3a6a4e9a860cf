/**
 * `@token-cache/core/internal`: everything the workspace's own tools (the `token-cache` CLI,
 * the fleet benchmark) use, the public entry points included. UNSTABLE: any name here may
 * change or disappear in any release, a patch included; applications import the root entry
 * and the named subpaths (`/ssm`, `/dynamodb`, `/multi-region`, `/telemetry`, `/middy`,
 * `/fetch`) instead.
 */

// Cache core
export type { RefreshResult, TokenCache, TokenCacheOptions } from '../cache.js';
export { createTokenCache, DEFAULT_DEADLINE_MS, DEFAULT_LEASE_MS } from '../cache.js';
export type { AwsClientEnvSettings, AwsService } from '../config/aws-clients.js';
export {
  AWS_ENDPOINT_VARIABLES,
  awsClientEnvSettings,
  dynamoDbClientFromEnv,
  secretRegion,
  ssmClientFromEnv,
} from '../config/aws-clients.js';
export { kmsKeyForRegion } from '../config/build-store.js';
export type { EnvTokenCache, TokenCacheFromEnvOverrides } from '../config/from-env.js';
export { createTokenCacheFromEnv } from '../config/from-env.js';
export type { TokenCacheSettings, TokenCacheSettingsOverrides } from '../config/settings.js';
export { resolveSettings } from '../config/settings.js';
export type { VariableDoc } from '../config/variables.js';
export {
  CONFIG_VARIABLES,
  DEFAULTS as CONFIG_DEFAULTS,
  ENV as ENV_VARIABLES,
  renderConfigTable,
} from '../config/variables.js';
export type { CredentialValues, ReadCredentialSecretOptions } from '../credentials.js';
export {
  CREDENTIAL_KEYS,
  credentialsFromEnv,
  DEFAULT_SECRET_TIMEOUT_MS,
  mergeCredentialValues,
  readCredentialSecret,
} from '../credentials.js';
export type { DeadlineOptions, Sleep } from '../deadline.js';
export { Deadline, realSleep } from '../deadline.js';
export type { DecodedValue, EnvelopeMissReason } from '../envelope.js';
export {
  decodeEnvelope,
  ENVELOPE_VERSION,
  encodeEnvelope,
  PLACEHOLDER_VALUE,
} from '../envelope.js';
export type { TokenCacheErrorCode } from '../errors.js';
export {
  ConfigError,
  SecretContentError,
  StoreError,
  StoreThrottledError,
  TokenCacheError,
  TokenEndpointError,
  TokenLifetimeError,
  TokenUnavailableError,
} from '../errors.js';
export type { CacheTier, StoreErrorKind, TokenCacheEvent, TokenCacheListener } from '../events.js';
export { DEFAULT_METRICS_NAMESPACE, METRIC_NAMES } from '../events.js';
export type { Freshness, FreshnessPolicy } from '../freshness.js';
export {
  DEFAULT_MIN_REMAINING_MS,
  DEFAULT_REFRESH_WINDOW_MS,
  freshnessOf,
  freshnessPolicy,
  isUsable,
} from '../freshness.js';
export type { AuthorizedFetchOptions } from '../integrations/authorized-fetch.js';
export { authorizedFetch } from '../integrations/authorized-fetch.js';
export type {
  MiddyRequestLike,
  TokenCacheContext,
  TokenCacheMiddleware,
  TokenCacheMiddlewareOptions,
} from '../integrations/middy-middleware.js';
export { tokenCacheMiddleware } from '../integrations/middy-middleware.js';
export type { LeaseRecord } from '../lease/record.js';
export { decodeLease } from '../lease/record.js';
// Edges: client-credentials sources, SSM store, configuration, credentials
export type { Auth0ClientCredentialsOptions } from '../sources/auth0.js';
export { auth0BaseUrl, auth0ClientCredentials } from '../sources/auth0.js';
export type {
  ClientCredentialsCommonOptions,
  ClientCredentialsParts,
  ClientCredentialsSource,
} from '../sources/client-credentials.js';
export {
  createClientCredentialsSource,
  DEFAULT_ENDPOINT_TIMEOUT_MS,
} from '../sources/client-credentials.js';
export { isLoopbackHost, requireSecureUrl } from '../sources/endpoint-url.js';
export type { ClientAuthMethod, OAuth2ClientCredentialsOptions } from '../sources/oauth2.js';
export { basicAuthorization, oauth2ClientCredentials } from '../sources/oauth2.js';
export type { FetchFunction, TokenRequest } from '../sources/post-token-request.js';
export { retryAtFromHeaders } from '../sources/retry-at.js';
export type { RotatingClientCredentialsOptions } from '../sources/rotating.js';
export { isRejectedCredentials, rotatingClientCredentials } from '../sources/rotating.js';
export type { ClientCredentials } from '../sources/rotating-clients.js';
export { CLIENT_LIST_VARIABLE, readClientCredentialsList } from '../sources/rotating-clients.js';
export { MAX_EXPIRES_IN_SECONDS, parseTokenResponse } from '../sources/token-response.js';
export type {
  SharedStore,
  StoreCallOptions,
  StoredValue,
  StoreKey,
  StorePutOptions,
} from '../store.js';
export { toStoreError as dynamoDbStoreError } from '../stores/dynamodb-errors.js';
// Beyond one store and one region: DynamoDB store, multi-region store, client rotation
export type { DynamoDbStoreOptions } from '../stores/dynamodb-store.js';
export {
  DEFAULT_DYNAMODB_ITEM_KEY,
  DEFAULT_DYNAMODB_TIMEOUT_MS,
  DYNAMODB_ITEM_ATTRIBUTES,
  DYNAMODB_MAX_VALUE_BYTES,
  DynamoDbStore,
} from '../stores/dynamodb-store.js';
export {
  DEFAULT_FALLBACK_TTL_MS,
  DEFAULT_TTL_MARGIN_MS,
  ttlEpochSeconds,
  valueExpiresAt,
} from '../stores/dynamodb-ttl.js';
export type { MemoryStoreOperation, MemoryStoreOptions } from '../stores/memory-store.js';
export { MemoryStore } from '../stores/memory-store.js';
export type { MultiRegionStoreForOptions } from '../stores/multi-region-config.js';
export {
  MULTI_REGION_VARIABLES,
  multiRegionStoreFor,
  parseRegionList,
  REGION_PATTERN,
} from '../stores/multi-region-config.js';
export type { MultiRegionStoreOptions, RegionalStore } from '../stores/multi-region-store.js';
export { DEFAULT_PRIMARY_CHECK_WITHIN_MS, MultiRegionStore } from '../stores/multi-region-store.js';
export { ssmErrorKind } from '../stores/ssm-errors.js';
export {
  LOCK_PARAMETER_SUFFIX,
  lockParameterName,
  validateParameterName,
} from '../stores/ssm-names.js';
export type { SsmStoreOptions, SsmTier } from '../stores/ssm-store.js';
export {
  DEFAULT_SSM_TIMEOUT_MS,
  SSM_TIER_MAX_VALUE_LENGTH,
  SsmStore,
} from '../stores/ssm-store.js';
// Telemetry (EMF metrics, structured logs) and integrations (fetch, middy)
export type {
  EmfMetricsListenerOptions,
  MetricDimensions,
} from '../telemetry/emf-metrics.js';
export {
  createCacheMetrics,
  emfMetricsListener,
  STORE_ERROR_KIND_DIMENSION,
} from '../telemetry/emf-metrics.js';
export type {
  PowertoolsTelemetry,
  PowertoolsTelemetryOptions,
} from '../telemetry/powertools-telemetry.js';
export {
  DEFAULT_CACHE_NAME,
  DEFAULT_ENVIRONMENT,
  DEFAULT_FLUSH_INTERVAL_MS,
  ENVIRONMENT_VARIABLE,
  flushTokenCacheMetrics,
  METRICS_SWITCH_VARIABLE,
  powertoolsTelemetry,
} from '../telemetry/powertools-telemetry.js';
export { REDACTED, redactCredentials } from '../telemetry/redact.js';
export { structuredLogListener } from '../telemetry/structured-logs.js';
export type { TelemetryLogger } from '../telemetry/telemetry-logger.js';
// Contracts
export type { Clock, GetTokenOptions, Token, TokenIdentity, TokenSource } from '../token.js';
export { systemClock } from '../token.js';
