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
  readCredentialSecret,
} from '../credentials.js';
import type { Sleep } from '../deadline.js';
import type { TokenCacheListener } from '../events.js';
import type { ClientCredentialsSource } from '../sources/client-credentials.js';
import type { FetchFunction } from '../sources/post-token-request.js';
import type { SharedStore } from '../store.js';
import { powertoolsTelemetry } from '../telemetry/powertools-telemetry.js';
import type { Clock } from '../token.js';
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
  readonly ssmClient?: SSMClient;
  readonly dynamoDbClient?: DynamoDBClient;
  readonly secretsManagerClient?: SecretsManagerClient;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly sleep?: Sleep;
  /** Telemetry sink; default Powertools EMF metrics + structured logs; `false` for none. */
  readonly onEvent?: TokenCacheListener | false;
  readonly ownerId?: string;
}

/** The cache `createTokenCacheFromEnv()` returns: a `TokenCache` that can flush its metrics. */
export interface EnvTokenCache extends TokenCache {
  /**
   * Publishes the EMF metrics the default telemetry buffered (one log line). Call it once per
   * Lambda invocation, or before a script exits; a no-op with a custom `onEvent` or with
   * `TOKEN_CACHE_METRICS=off`.
   */
  flushMetrics(): void;
}

/**
 * Builds a `TokenCache` from the environment (see `CONFIG.md` for every variable); options win
 * over variables, variables over defaults. Everything that can be checked without I/O is
 * checked here, synchronously, with a `ConfigError` naming the variable.
 *
 * With `AWS_SECRET_ID` set, the credentials are read from Secrets Manager on the first call
 * (once per cache, i.e. once per container; a failed read is retried on the next call).
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
  const store =
    settings.shared && overrides.store !== undefined
      ? overrides.store
      : buildStore(settings, {
          ...(overrides.ssmClient ? { ssmClient: overrides.ssmClient } : {}),
          ...(overrides.dynamoDbClient ? { dynamoDbClient: overrides.dynamoDbClient } : {}),
          ...(overrides.clock ? { clock: overrides.clock } : {}),
        });
  const telemetry =
    overrides.onEvent === undefined
      ? powertoolsTelemetry({ cacheName: settings.name, env })
      : undefined;
  const onEvent = overrides.onEvent === false ? undefined : (overrides.onEvent ?? telemetry);
  const withFlush = (cache: TokenCache): EnvTokenCache =>
    Object.assign(cache, { flushMetrics: () => telemetry?.flush() });

  const assemble = (source: ClientCredentialsSource): TokenCache =>
    createTokenCache({
      source,
      ...(store ? { store } : {}),
      refreshWindowMs: settings.refreshWindowMs,
      minRemainingMs: settings.minRemainingMs,
      deadlineMs: settings.deadlineMs,
      leaseMs: settings.leaseMs,
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
    deferredTokenCache(settings.name, async () => {
      const fromSecret = await readCredentialSecret(secretId, secretOptions(settings, overrides));
      // Explicit credential options still win over the secret.
      const values = mergeCredentialValues(
        overrides.credentials,
        mergeCredentialValues(fromSecret, fromEnv),
      );
      return assemble(sourceFrom(values));
    }),
  );
}

function secretOptions(settings: TokenCacheSettings, overrides: TokenCacheFromEnvOverrides) {
  return {
    region: settings.region,
    timeoutMs: settings.endpointTimeoutMs,
    ...(overrides.secretsManagerClient ? { client: overrides.secretsManagerClient } : {}),
  };
}
