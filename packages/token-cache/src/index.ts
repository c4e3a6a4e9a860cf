/**
 * `@token-cache/core`: one OAuth2 client-credentials token shared by a whole serverless fleet.
 * The root entry holds what every application needs: the cache, the client-credentials
 * sources, the store contract with an in-memory store, the errors and the types. Each store,
 * the telemetry and each integration has its own subpath (`/ssm`, `/dynamodb`,
 * `/multi-region`, `/telemetry`, `/middy`, `/fetch`), so an application loads only what it
 * uses; `/internal` serves the workspace's own tools and is not a stable API.
 */

// Cache
export type { RefreshResult, TokenCache, TokenCacheOptions } from './cache.js';
export { createTokenCache } from './cache.js';
export type { EnvTokenCache, TokenCacheFromEnvOverrides } from './config/from-env.js';
export { createTokenCacheFromEnv } from './config/from-env.js';
// Errors
export type { TokenCacheErrorCode } from './errors.js';
export {
  ConfigError,
  SecretContentError,
  StoreError,
  StoreThrottledError,
  TokenCacheError,
  TokenEndpointError,
  TokenLifetimeError,
  TokenUnavailableError,
} from './errors.js';
// Events
export type { CacheTier, StoreErrorKind, TokenCacheEvent, TokenCacheListener } from './events.js';
// Client-credentials sources
export type { Auth0ClientCredentialsOptions } from './sources/auth0.js';
export { auth0ClientCredentials } from './sources/auth0.js';
export type {
  ClientCredentialsCommonOptions,
  ClientCredentialsSource,
} from './sources/client-credentials.js';
export { createClientCredentialsSource } from './sources/client-credentials.js';
export type { ClientAuthMethod, OAuth2ClientCredentialsOptions } from './sources/oauth2.js';
export { oauth2ClientCredentials } from './sources/oauth2.js';
export type { FetchFunction } from './sources/post-token-request.js';
export type { RotatingClientCredentialsOptions } from './sources/rotating.js';
export { rotatingClientCredentials } from './sources/rotating.js';
export type { ClientCredentials } from './sources/rotating-clients.js';
// The store contract, and a store for one process
export type {
  SharedStore,
  StoreCallOptions,
  StoredValue,
  StoreKey,
  StorePutOptions,
} from './store.js';
export type { MemoryStoreOptions } from './stores/memory-store.js';
export { MemoryStore } from './stores/memory-store.js';
// Contracts
export type { Clock, GetTokenOptions, Token, TokenIdentity, TokenSource } from './token.js';
