/**
 * AWS SDK client settings from an explicit environment object. Still needed, and kept to the
 * minimum: the SDK resolves endpoints and credentials from `process.env` only, so when
 * `createTokenCacheFromEnv(env)` is given another object (two caches for two accounts in one
 * process, the CLI's flags, a test's local stack) its `AWS_ENDPOINT_URL*` and key pair would
 * otherwise be silently ignored and the calls would go to the account `process.env` names.
 * With `env === process.env` nothing here is used and the SDK resolves as usual. Only the
 * endpoint and a static key pair are read; everything else (profiles, SSO, IMDS, retries) stays
 * the SDK's own resolution.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '../errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The services the library talks to, with the SDK's service-specific endpoint variable.
 *
 * @example
 * ```ts
 * process.env[AWS_ENDPOINT_VARIABLES.ssm]; // the SSM endpoint override, if any
 * ```
 */
export const AWS_ENDPOINT_VARIABLES = {
  // "Service-specific endpoints" in the AWS SDKs and Tools Reference Guide: the variable is
  // AWS_ENDPOINT_URL_ + the service id, upper-cased, spaces → underscores.
  ssm: 'AWS_ENDPOINT_URL_SSM',
  secretsManager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  dynamoDb: 'AWS_ENDPOINT_URL_DYNAMODB',
} as const;

/** A service of {@link AWS_ENDPOINT_VARIABLES}. */
export type AwsService = keyof typeof AWS_ENDPOINT_VARIABLES;

/** What a client takes from the environment besides its region. */
export interface AwsClientEnvSettings {
  readonly endpoint?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/**
 * The endpoint and static credentials `env` gives a client of `service`, the way the SDK
 * would read them from `process.env`: the service's endpoint variable, else `AWS_ENDPOINT_URL`
 * (both ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`); the key pair when both halves
 * are set. Throws a `ConfigError` naming the variable for a malformed URL or half a key pair;
 * a secret value is never quoted.
 *
 * @example
 * ```ts
 * awsClientEnvSettings({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, 'ssm');
 * // { endpoint: 'http://127.0.0.1:4566' }
 * ```
 */
export function awsClientEnvSettings(env: Env, service: AwsService): AwsClientEnvSettings {
  return { ...endpointFrom(env, service), ...credentialsFrom(env) };
}

function endpointFrom(env: Env, service: AwsService): { endpoint?: string } {
  if (value(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')?.toLowerCase() === 'true') return {};
  for (const variable of [AWS_ENDPOINT_VARIABLES[service], 'AWS_ENDPOINT_URL']) {
    const url = value(env, variable);
    if (url === undefined) continue;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new ConfigError(
        variable,
        `an http(s) URL such as "http://127.0.0.1:4566", got "${url}"`,
      );
    }
    return { endpoint: url };
  }
  return {};
}

function credentialsFrom(env: Env): Pick<AwsClientEnvSettings, 'credentials'> {
  const accessKeyId = value(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = value(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId === undefined && secretAccessKey === undefined) return {};
  // Half a key pair is a mistake the SDK would silently skip (falling through to another
  // credential source, perhaps another account's); say so instead.
  if (accessKeyId === undefined) {
    throw new ConfigError('AWS_ACCESS_KEY_ID', 'set when AWS_SECRET_ACCESS_KEY is set');
  }
  if (secretAccessKey === undefined) {
    throw new ConfigError('AWS_SECRET_ACCESS_KEY', 'set when AWS_ACCESS_KEY_ID is set');
  }
  const sessionToken = value(env, 'AWS_SESSION_TOKEN');
  return {
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
  };
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

/**
 * An SSM client for `region` configured from `env`, with the settings `SsmStore` gives the
 * client it builds itself: one attempt per call (the cache core retries throttling within its
 * deadline, design guarantee 8) and connection/request timeouts of `timeoutMs`.
 *
 * @example
 * ```ts
 * const client = ssmClientFromEnv({ AWS_ENDPOINT_URL_SSM: stack.url }, 'eu-west-1', 2_000);
 * ```
 */
export function ssmClientFromEnv(env: Env, region: string, timeoutMs: number): SSMClient {
  return new SSMClient({
    region,
    ...awsClientEnvSettings(env, 'ssm'),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
}

/**
 * The region of a Secrets Manager secret ARN, or `undefined` for a name. Secrets Manager is
 * regional (a secret lives behind its own region's endpoint), and a replica region's Lambda may
 * be given the primary region's secret ARN, so an ARN's region wins over `AWS_REGION`.
 *
 * @example
 * ```ts
 * secretRegion('arn:aws:secretsmanager:us-west-2:123456789012:secret:vwc/dev/app-AbCdEf'); // 'us-west-2'
 * secretRegion('vwc/dev/app'); // undefined
 * ```
 */
export function secretRegion(secretId: string): string | undefined {
  return /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(secretId)?.[1];
}
