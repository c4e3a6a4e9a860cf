/**
 * What every command works with: the effective configuration, AWS clients pointed where the
 * environment says, the cache built exactly as the Lambda functions build it, and the printer.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  type CredentialValues,
  createTokenCacheFromEnv,
  credentialsFromEnv,
  DynamoDbStore,
  type EnvTokenCache,
  mergeCredentialValues,
  powertoolsTelemetry,
  readCredentialSecret,
  resolveSettings,
  type TelemetryLogger,
  type TokenCacheSettings,
  validateParameterName,
} from '@token-cache/core/internal';
import type { EffectiveEnv } from './flags.js';
import type { Output } from './output.js';

/** Options shared by every command (commander's global options). */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly showToken?: boolean;
}

/**
 * The per-run context. Everything is built lazily: `dev` needs no configuration, and a command
 * only fails on the settings it actually uses.
 *
 * @example
 * ```ts
 * const context = new CliContext(effectiveEnv(process.env, opts), output, opts);
 * const token = await context.cache().getToken();
 * ```
 */
export class CliContext {
  readonly out: Output;
  readonly options: GlobalOptions;
  readonly #effective: EffectiveEnv;
  #settings: TokenCacheSettings | undefined;
  #ssm: SSMClient | undefined;
  #secretsManager: SecretsManagerClient | undefined;
  #dynamoDb: DynamoDBClient | undefined;
  #cache: EnvTokenCache | undefined;
  #credentials: Promise<CredentialValues> | undefined;

  constructor(effective: EffectiveEnv, out: Output, options: GlobalOptions) {
    this.#effective = effective;
    this.out = out;
    this.options = options;
    // The client secret may be in the environment: never print it, whatever happens.
    const secret = effective.env.AUTH0_M2M_CLIENT_SECRET;
    if (secret) out.addSecret(secret);
  }

  get env(): Readonly<Record<string, string | undefined>> {
    return this.#effective.env;
  }

  flagFor(variable: string): string | undefined {
    return this.#effective.flagFor(variable);
  }

  /** The resolved settings; throws a `ConfigError` naming the variable at fault. */
  settings(): TokenCacheSettings {
    if (this.#settings) return this.#settings;
    const settings = resolveSettings(this.env);
    // inspect and doctor call SSM directly: check names as the store would, before any request.
    if (settings.shared && settings.storeKind === 'ssm') {
      validateParameterName(settings.parameterName, 'AUTH0_TOKEN_PARAMETER_NAME', settings.region);
      if (settings.lockParameterName !== undefined) {
        validateParameterName(
          settings.lockParameterName,
          'TOKEN_CACHE_LOCK_PARAMETER_NAME',
          settings.region,
        );
      }
    }
    this.#settings = settings;
    return settings;
  }

  /** An SSM client for the configured region and endpoint (`AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL`). */
  ssm(): SSMClient {
    const settings = this.settings();
    this.#ssm ??= new SSMClient({
      region: settings.region,
      ...endpointFor(this.env, 'SSM'),
      // No SDK retry: the cache retries throttling itself, and a lease write the SDK resent
      // after a lost answer would land twice, which the lease on SSM cannot tell apart.
      maxAttempts: 1,
      requestHandler: {
        connectionTimeout: settings.storeTimeoutMs,
        requestTimeout: settings.storeTimeoutMs,
      },
    });
    return this.#ssm;
  }

  /** The cache, built from the environment exactly as `backend/src/lib/auth0.ts` builds it. */
  cache(): EnvTokenCache {
    if (this.#cache) return this.#cache;
    const settings = this.settings();
    this.#cache = createTokenCacheFromEnv(this.env, {
      ...(settings.storeKind === 'dynamodb'
        ? { dynamoDbClient: this.dynamoDb() }
        : { ssmClient: this.ssm() }),
      secretsManagerClient: this.secretsManager(),
      onEvent: powertoolsTelemetry({
        cacheName: settings.name,
        env: this.env,
        // EMF only means something on stdout inside Lambda; here stdout carries results.
        metrics: false,
        logger: this.options.verbose ? stderrLogger(this.out) : false,
      }),
    });
    return this.#cache;
  }

  /** The credential values (secret over environment), read once; the secret is registered for redaction. */
  credentials(): Promise<CredentialValues> {
    this.#credentials ??= (async () => {
      const settings = this.settings();
      const fromEnv = credentialsFromEnv(this.env);
      const fromSecret =
        settings.secretId === undefined
          ? undefined
          : await readCredentialSecret(settings.secretId, {
              client: this.secretsManager(),
              timeoutMs: settings.endpointTimeoutMs,
            });
      const values = mergeCredentialValues(fromSecret, fromEnv);
      const secret = values.AUTH0_M2M_CLIENT_SECRET;
      if (typeof secret === 'string') this.out.addSecret(secret);
      return values;
    })();
    return this.#credentials;
  }

  /** A DynamoDB client for the configured region and endpoint (`AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL`). */
  dynamoDb(): DynamoDBClient {
    const settings = this.settings();
    this.#dynamoDb ??= new DynamoDBClient({
      region: settings.region,
      ...endpointFor(this.env, 'DYNAMODB'),
      maxAttempts: 2,
      requestHandler: {
        connectionTimeout: settings.storeTimeoutMs,
        requestTimeout: settings.storeTimeoutMs,
      },
    });
    return this.#dynamoDb;
  }

  /** The DynamoDB store as the fleet builds it, for `inspect` and `doctor`. */
  dynamoDbStore(): DynamoDbStore {
    const settings = this.settings();
    return new DynamoDbStore({
      tableName: settings.dynamoDbTable ?? '',
      region: settings.region,
      timeoutMs: settings.storeTimeoutMs,
      client: this.dynamoDb(),
      ...(settings.dynamoDbItemKey === undefined ? {} : { itemKey: settings.dynamoDbItemKey }),
    });
  }

  secretsManager(): SecretsManagerClient {
    this.#secretsManager ??= new SecretsManagerClient({
      region: this.settings().region,
      ...endpointFor(this.env, 'SECRETS_MANAGER'),
      maxAttempts: 2,
    });
    return this.#secretsManager;
  }

  /** Releases sockets so the process can exit promptly. */
  close(): void {
    this.#ssm?.destroy();
    this.#secretsManager?.destroy();
    this.#dynamoDb?.destroy();
  }
}

/**
 * The endpoint the AWS SDK would use from the environment (service-specific variable first,
 * AWS SDKs and Tools reference, "Service-specific endpoints"); passed explicitly because the
 * flags overlay the environment in this process only.
 */
function endpointFor(
  env: Readonly<Record<string, string | undefined>>,
  service: 'SSM' | 'SECRETS_MANAGER' | 'DYNAMODB',
): { endpoint?: string } {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  return endpoint ? { endpoint } : {};
}

/** `--verbose`: the cache's structured log lines as JSON on stderr (stdout carries results). */
function stderrLogger(out: Output): TelemetryLogger {
  const line =
    (level: string) =>
    (message: string, attributes?: unknown): void => {
      const extra = typeof attributes === 'object' && attributes !== null ? attributes : {};
      out.note(JSON.stringify({ level, message, ...extra }));
    };
  return { debug: line('DEBUG'), info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
}
