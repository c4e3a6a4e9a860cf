/**
 * `createTokenCacheFromEnv()`: the whole cache (endpoint source, shared store, telemetry) from
 * the environment, with options taking precedence. What the backend facade and the CLI use.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { createTokenCache, type TokenCache } from '../cache.js';
import {
  type CredentialValues,
  credentialsFromEnv,
  mergeCredentialValues,
  missingCredentialKeys,
  type ReadCredentialSecretOptions,
  readCredentialSecret,
} from '../credentials.js';
import type { Sleep } from '../deadline.js';
import { SecretContentError } from '../errors.js';
import type { TokenCacheListener } from '../events.js';
import type { ClientCredentialsSource } from '../sources/client-credentials.js';
import type { FetchFunction } from '../sources/post-token-request.js';
import type { SharedStore } from '../store.js';
import { defaultTelemetry } from '../telemetry/default-telemetry.js';
import type { Clock } from '../token.js';
import {
  type AwsClientEnvSettings,
  awsClientEnvSettings,
  secretRegion,
  ssmClientFromEnv,
} from './aws-clients.js';
import { buildSource } from './build-source.js';
import { buildStore } from './build-store.js';
import { deferredTokenCache } from './deferred-cache.js';
import {
  resolveSettings,
  type TokenCacheSettings,
  type TokenCacheSettingsOverrides,
} from './settings.js';

/** Options of {@link createTokenCacheFromEnv}: settings (over the environment) and injected edges. */
export interface TokenCacheFromEnvOverrides extends TokenCacheSettingsOverrides {
  /** Credential values (`AUTH0_*` keys) that win over the secret and the environment. */
  readonly credentials?: CredentialValues;
  /** Use this endpoint source instead of building one from credentials. */
  readonly source?: ClientCredentialsSource;
  /** Use this store instead of building one (still none when the shared tier is off). */
  readonly store?: SharedStore;
  /**
   * SSM client of the store in `AWS_REGION` (with a single store: that store's, whatever its
   * region). Default: built by the store, or from `env` when `env` is not `process.env`.
   */
  readonly ssmClient?: SSMClient;
  /**
   * SSM client per region, for multi-region (`TOKEN_CACHE_REPLICA_REGIONS`): the SDK's endpoint
   * variables apply to every region alike, so this is how each region gets its own endpoint
   * (e.g. one local stack per region). `undefined` for a region = the default. Wins over `ssmClient`.
   */
  readonly ssmClientFor?: (region: string) => SSMClient | undefined;
  /** DynamoDB client of the store in `AWS_REGION`; as `ssmClient`. */
  readonly dynamoDbClient?: DynamoDBClient;
  /** DynamoDB client per region; as `ssmClientFor`. */
  readonly dynamoDbClientFor?: (region: string) => DynamoDBClient | undefined;
  /** Default: one for the secret's region, from `env` when `env` is not `process.env`. */
  readonly secretsManagerClient?: SecretsManagerClient;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly sleep?: Sleep;
  /**
   * Telemetry sink; default Powertools EMF metrics + structured logs (the optional Powertools
   * packages are loaded by the first event; without them telemetry is off, with one warning);
   * `false` for none.
   */
  readonly onEvent?: TokenCacheListener | false;
  readonly ownerId?: string;
}

/** The cache `createTokenCacheFromEnv()` returns: a `TokenCache` that can flush its metrics. */
export interface EnvTokenCache extends TokenCache {
  /**
   * Publishes the EMF metrics the default telemetry buffered (one log line). Call it once per
   * Lambda invocation, or before a script exits; a no-op with a custom `onEvent` or with
   * `TOKEN_CACHE_METRICS=off`. Resolves once they are written: at once, unless the first
   * events are still waiting for Powertools to load, so `await` it before a Lambda handler
   * returns. Never rejects.
   */
  flushMetrics(): Promise<void>;
}

/**
 * Builds a `TokenCache` from the environment (see `CONFIG.md` for every variable); options win
 * over variables, variables over defaults. Everything that can be checked without I/O is
 * checked here, synchronously, with a `ConfigError` naming the variable.
 *
 * With `AWS_SECRET_ID` set, the credentials are read from Secrets Manager on the first call
 * (once per cache, i.e. once per container), within that call's deadline. A transient failure
 * is retried on the next call; an unusable secret only after `TOKEN_CACHE_ERROR_BACKOFF_MS`.
 *
 * @example
 * ```ts
 * // AUTH0_DOMAIN, AUTH0_M2M_CLIENT_ID, AUTH0_M2M_CLIENT_SECRET, AUTH0_AUDIENCE or AWS_SECRET_ID set
 * const cache = createTokenCacheFromEnv();
 * const { accessToken } = await cache.getToken();
 * ```
 */
export function createTokenCacheFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: TokenCacheFromEnvOverrides = {},
): EnvTokenCache {
  const settings = resolveSettings(env, overrides);
  // Powertools is loaded by the first event (an optional peer), the output is the same.
  const telemetry =
    overrides.onEvent === undefined
      ? defaultTelemetry({ cacheName: settings.name, env })
      : undefined;
  const onEvent = overrides.onEvent === false ? undefined : (overrides.onEvent ?? telemetry);
  const clients = awsClientsFor(env, settings, overrides);
  const store =
    settings.shared && overrides.store !== undefined
      ? overrides.store
      : buildStore(settings, {
          ssmClientFor: clients.ssm,
          dynamoDbClientFor: clients.dynamoDb,
          ...(clients.dynamoDbSettings ? { dynamoDbClientSettings: clients.dynamoDbSettings } : {}),
          ...(overrides.clock ? { clock: overrides.clock } : {}),
          ...(onEvent ? { onEvent } : {}),
        });
  const withFlush = (cache: TokenCache): EnvTokenCache =>
    Object.assign(cache, { flushMetrics: async () => telemetry?.flush() });

  const assemble = (source: ClientCredentialsSource): TokenCache =>
    createTokenCache({
      source,
      ...(store ? { store } : {}),
      refreshWindowMs: settings.refreshWindowMs,
      minRemainingMs: settings.minRemainingMs,
      deadlineMs: settings.deadlineMs,
      leaseMs: settings.leaseMs,
      // A store write lands within the store's own timeout: the protocol's latency margin.
      tuning: { maxStoreLatencyMs: settings.storeTimeoutMs },
      maxBackoffMs: settings.maxBackoffMs,
      errorBackoffMs: settings.errorBackoffMs,
      throttleFallback: settings.throttleFallback,
      name: settings.name,
      ...(onEvent ? { onEvent } : {}),
      ...(overrides.clock ? { clock: overrides.clock } : {}),
      ...(overrides.random ? { random: overrides.random } : {}),
      ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
      ...(overrides.ownerId ? { ownerId: overrides.ownerId } : {}),
    });
  const sourceFrom = (values: CredentialValues): ClientCredentialsSource =>
    buildSource(settings, values, {
      ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
      ...(overrides.clock ? { clock: overrides.clock } : {}),
      ...(onEvent ? { onEvent } : {}),
    });

  if (overrides.source) return withFlush(assemble(overrides.source));
  const fromEnv = mergeCredentialValues(overrides.credentials, credentialsFromEnv(env));
  if (settings.secretId === undefined) return withFlush(assemble(sourceFrom(fromEnv)));
  const secretId = settings.secretId;
  return withFlush(
    deferredTokenCache(
      settings.name,
      async (deadline) => {
        // The read is part of the first getToken(): the deadline's signal stops it, with the
        // deadline's own error, if the endpoint timeout is longer than what is left.
        const fromSecret = await readCredentialSecret(secretId, {
          ...clients.secretOptions(secretId),
          signal: deadline.signal,
        });
        // Explicit credential options still win over the secret.
        const values = mergeCredentialValues(
          overrides.credentials,
          mergeCredentialValues(fromSecret, fromEnv),
        );
        const missing = missingCredentialKeys(values, settings.provider);
        if (missing.length > 0) {
          throw new SecretContentError(
            `a secret whose JSON holds the credential keys the environment does not set; "${secretId}" lacks ${missing.join(', ')} (and the environment does not set ${missing.length === 1 ? 'it' : 'them'})`,
            missing,
          );
        }
        return assemble(sourceFrom(values));
      },
      {
        deadlineMs: settings.deadlineMs,
        // Reading a secret that is not usable again on every invocation would not fix it.
        failureBackoffMs: settings.errorBackoffMs,
        ...(overrides.clock ? { clock: overrides.clock } : {}),
        ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
      },
    ),
  );
}

/** Which client each AWS call uses: an injected one, else one built from `env`, else the default. */
interface AwsClientChoice {
  ssm(region: string): SSMClient | undefined;
  dynamoDb(region: string): DynamoDBClient | undefined;
  /** For the DynamoDB clients the stores build when loaded (the package is an optional peer). */
  readonly dynamoDbSettings: AwsClientEnvSettings | undefined;
  secretOptions(secretId: string): ReadCredentialSecretOptions;
}

function awsClientsFor(
  env: Readonly<Record<string, string | undefined>>,
  settings: TokenCacheSettings,
  overrides: TokenCacheFromEnvOverrides,
): AwsClientChoice {
  // The SDK reads endpoints and credentials from process.env by itself; any other env object
  // must be handed to it explicitly, or a test's (or a tenant's) env would be silently ignored.
  const explicit = env !== process.env;
  if (explicit) {
    // Checked up front (a half key pair, a malformed URL), like every other setting, for the
    // services this cache will call.
    const store = settings.storeKind === 'ssm' ? 'ssm' : 'dynamoDb';
    if (settings.shared && overrides.store === undefined) awsClientEnvSettings(env, store);
    if (settings.secretId !== undefined) awsClientEnvSettings(env, 'secretsManager');
  }
  const single = settings.replicaRegions.length === 0;
  const forRegion = <T>(
    region: string,
    perRegion: ((region: string) => T | undefined) | undefined,
    local: T | undefined,
    fromEnv: () => T,
  ): T | undefined =>
    perRegion?.(region) ??
    (single || region === settings.region ? local : undefined) ??
    (explicit ? fromEnv() : undefined);
  return {
    ssm: (region) =>
      forRegion(region, overrides.ssmClientFor, overrides.ssmClient, () =>
        ssmClientFromEnv(env, region, settings.storeTimeoutMs),
      ),
    dynamoDb: (region) =>
      forRegion(region, overrides.dynamoDbClientFor, overrides.dynamoDbClient, () => undefined),
    dynamoDbSettings:
      explicit && settings.storeKind === 'dynamodb'
        ? awsClientEnvSettings(env, 'dynamoDb')
        : undefined,
    secretOptions: (secretId) => {
      const region = secretRegion(secretId) ?? settings.region;
      const client = overrides.secretsManagerClient;
      // The client itself is built by readCredentialSecret, which loads the (optional) Secrets
      // Manager package only when a secret is read; an explicit env travels as its settings.
      return {
        region,
        timeoutMs: settings.endpointTimeoutMs,
        ...(client
          ? { client }
          : explicit
            ? { clientSettings: awsClientEnvSettings(env, 'secretsManager') }
            : {}),
      };
    },
  };
}
