/**
 * `@token-cache/core/internal`: everything the workspace's own tools (the `token-cache` CLI,
 * the fleet benchmark) use, the public entry points included. UNSTABLE: any name here may
 * change or disappear in any release, a patch included; applications import the root entry
 * and the named subpaths (`/ssm`, `/dynamodb`, `/multi-region`, `/telemetry`, `/middy`,
 * `/fetch`) instead.
 *
 * The public entry points are re-exported whole (`export *`), so this list names only what
 * none of them exports and cannot drift from them.
 */

export { STORE_RETRY_BACKOFF } from '../backoff.js';
export { DEFAULT_DEADLINE_MS, DEFAULT_LEASE_MS } from '../cache.js';
export type { AwsClientEnvSettings, AwsService } from '../config/aws-clients.js';
export {
  AWS_ENDPOINT_VARIABLES,
  awsClientEnvSettings,
  secretRegion,
  ssmClientFromEnv,
} from '../config/aws-clients.js';
export { kmsKeyForRegion } from '../config/build-store.js';
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
export { Deadline, defaultEndpointReserveMs, realSleep } from '../deadline.js';
export type { DecodedValue, EnvelopeMissReason } from '../envelope.js';
export {
  decodeEnvelope,
  ENVELOPE_VERSION,
  encodeEnvelope,
  PLACEHOLDER_VALUE,
} from '../envelope.js';
export type { Freshness, FreshnessPolicy } from '../freshness.js';
export {
  DEFAULT_MIN_REMAINING_MS,
  DEFAULT_REFRESH_WINDOW_MS,
  freshnessOf,
  freshnessPolicy,
  isUsable,
} from '../freshness.js';
export * from '../index.js';
export type { LeaseRecord } from '../lease/record.js';
export { decodeLease } from '../lease/record.js';
export { auth0BaseUrl } from '../sources/auth0.js';
export type { ClientCredentialsParts } from '../sources/client-credentials.js';
export { DEFAULT_ENDPOINT_TIMEOUT_MS } from '../sources/client-credentials.js';
export { basicAuthorization } from '../sources/oauth2.js';
export type { TokenRequest } from '../sources/post-token-request.js';
export { retryAtFromHeaders } from '../sources/retry-at.js';
export { isRejectedCredentials } from '../sources/rotating.js';
export { CLIENT_LIST_VARIABLE, readClientCredentialsList } from '../sources/rotating-clients.js';
export { MAX_EXPIRES_IN_SECONDS, parseTokenResponse } from '../sources/token-response.js';
export { toStoreError as dynamoDbStoreError } from '../stores/dynamodb-errors.js';
export {
  DEFAULT_FALLBACK_TTL_MS,
  DEFAULT_TTL_MARGIN_MS,
  ttlEpochSeconds,
  valueExpiresAt,
} from '../stores/dynamodb-ttl.js';
export type { MemoryStoreOperation } from '../stores/memory-store.js';
export { ssmErrorKind } from '../stores/ssm-errors.js';
export { systemClock } from '../token.js';
export * from './dynamodb.js';
export * from './fetch.js';
export * from './middy.js';
export * from './multi-region.js';
export * from './ssm.js';
export * from './telemetry.js';
