/**
 * Where the M2M client credentials come from: the Secrets Manager secret named by
 * `AWS_SECRET_ID` (the seed's layout: a JSON object with the four `AUTH0_*` keys), or, when it
 * is unset, the environment. The secret's value is never part of an error message.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsClientEnvSettings } from './config/aws-clients.js';
import { DEFAULTS } from './defaults.js';
import { ConfigError, SecretContentError, TokenCacheError } from './errors.js';
import { networkErrorCode } from './network-error.js';
import { CLIENT_LIST_VARIABLE } from './sources/rotating-clients.js';

/** The four settings the seed keeps in its secret, under these exact keys. */
export const CREDENTIAL_KEYS = [
  'AUTH0_DOMAIN',
  'AUTH0_M2M_CLIENT_ID',
  'AUTH0_M2M_CLIENT_SECRET',
  'AUTH0_AUDIENCE',
] as const;

/**
 * Credential settings as found, keyed by variable name: every `AUTH0_*` key (the four above,
 * and the rotation keys `AUTH0_M2M_CLIENTS`, `AUTH0_M2M_CLIENT_ID_2`, ... of issue 7). Values
 * are strings, except `AUTH0_M2M_CLIENTS`, which a secret may hold as a nested JSON array.
 */
export type CredentialValues = Readonly<Record<string, unknown>>;

/** Only these keys are taken from a secret or the environment. */
const CREDENTIAL_KEY = /^AUTH0_[A-Z0-9_]+$/;

/** `AUTH0_TOKEN_PARAMETER_NAME` is configuration, not a credential. */
const NOT_CREDENTIALS = new Set(['AUTH0_TOKEN_PARAMETER_NAME']);

/** Default bound on the Secrets Manager read: the token endpoint's, as configuration uses. */
export const DEFAULT_SECRET_TIMEOUT_MS = DEFAULTS.endpointTimeoutMs;

/** Options of {@link readCredentialSecret}. */
export interface ReadCredentialSecretOptions {
  /** Client to use (default: one for `region`, with the SDK's endpoint resolution). */
  readonly client?: SecretsManagerClient;
  readonly region?: string;
  /** Endpoint and credentials of the client built when none is given (default: the SDK's). */
  readonly clientSettings?: AwsClientEnvSettings;
  /** Bound on the read; pass what is left of the caller's deadline when less. */
  readonly timeoutMs?: number;
  /** Aborts the read; the read then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Picks the credential keys (`AUTH0_*`) out of an environment; unset and empty → absent.
 *
 * @example
 * ```ts
 * credentialsFromEnv(process.env).AUTH0_DOMAIN; // 'tenant.us.auth0.com'
 * ```
 */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, raw] of Object.entries(env)) {
    const value = raw?.trim();
    if (value && CREDENTIAL_KEY.test(key) && !NOT_CREDENTIALS.has(key)) values[key] = value;
  }
  return values;
}

/**
 * Merges credential values: the secret's keys win, the environment fills in the keys the secret
 * does not have (e.g. a non-secret `AUTH0_AUDIENCE` kept in the function's environment).
 *
 * @example
 * ```ts
 * const values = mergeCredentialValues(await readCredentialSecret(id), credentialsFromEnv(process.env));
 * ```
 */
export function mergeCredentialValues(
  fromSecret: CredentialValues | undefined,
  fromEnv: CredentialValues,
): CredentialValues {
  return { ...fromEnv, ...(fromSecret ?? {}) };
}

/**
 * Reads the credential keys (`AUTH0_*`) from a Secrets Manager secret holding a JSON object.
 * Other keys of the secret (the seed's also holds a MongoDB URI) are ignored.
 *
 * Failures: a missing, unreadable or malformed secret is a `ConfigError` naming
 * `AWS_SECRET_ID`; a throttled or unreachable Secrets Manager is a `TokenCacheError`
 * (`TOKEN_UNAVAILABLE`) so a later call may try again.
 *
 * @example
 * ```ts
 * const values = await readCredentialSecret('vwc/dev/secrets', { region: 'us-west-2' });
 * ```
 */
export async function readCredentialSecret(
  secretId: string,
  options: ReadCredentialSecretOptions = {},
): Promise<CredentialValues> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SECRET_TIMEOUT_MS;
  const { GetSecretValueCommand, SecretsManagerClient } = await secretsManagerModule(secretId);
  const client =
    options.client ??
    new SecretsManagerClient({
      ...(options.region === undefined ? {} : { region: options.region }),
      ...options.clientSettings,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
    });
  const timeout = AbortSignal.timeout(timeoutMs);
  const abortSignal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

  let secretString: string | undefined;
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }), {
      abortSignal,
    });
    secretString = output.SecretString;
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw secretReadError(secretId, error);
  }
  // A secret we cannot parse holds none of the keys: the error lists them all.
  const unparsable = (problem: string) =>
    new SecretContentError(
      `a secret holding a JSON object with ${CREDENTIAL_KEYS.join(', ')}; "${secretId}" ${problem}`,
      CREDENTIAL_KEYS,
    );
  if (secretString === undefined) throw unparsable('has no SecretString');
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // No cause: the parser's message would quote part of the secret.
    throw unparsable('is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw unparsable('is not one');
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!CREDENTIAL_KEY.test(key) || NOT_CREDENTIALS.has(key)) continue;
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string') values[key] = value.trim();
    else if (key === 'AUTH0_M2M_CLIENTS') values[key] = value;
    else throw new ConfigError(`${key} (in the secret named by AWS_SECRET_ID)`, 'a string');
  }
  return values;
}

/**
 * The credential keys a cache of `provider` needs that `values` (secret and environment merged)
 * lack: the domain and audience for Auth0, and one client pair unless a client list is given.
 *
 * @example
 * ```ts
 * missingCredentialKeys({ AUTH0_DOMAIN: 'tenant.auth0.com' }, 'auth0');
 * // ['AUTH0_AUDIENCE', 'AUTH0_M2M_CLIENT_ID', 'AUTH0_M2M_CLIENT_SECRET']
 * ```
 */
export function missingCredentialKeys(
  values: CredentialValues,
  provider: 'auth0' | 'oauth2',
): string[] {
  const present = (key: string) => values[key] !== undefined && values[key] !== '';
  const required: string[] = provider === 'auth0' ? ['AUTH0_DOMAIN', 'AUTH0_AUDIENCE'] : [];
  if (!present(CLIENT_LIST_VARIABLE))
    required.push('AUTH0_M2M_CLIENT_ID', 'AUTH0_M2M_CLIENT_SECRET');
  return required.filter((key) => !present(key));
}

const CONFIGURATION_FAULTS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'DecryptionFailure',
  'InvalidRequestException',
  'InvalidParameterException',
  'ValidationException',
]);

function secretReadError(secretId: string, error: unknown): TokenCacheError {
  const name = (error as { name?: string } | undefined)?.name ?? 'Error';
  if (CONFIGURATION_FAULTS.has(name)) {
    return new ConfigError(
      'AWS_SECRET_ID',
      `the name or ARN of a secret this function may read; reading "${secretId}" failed with ${name}`,
      { cause: error },
    );
  }
  // A network failure surfaces as a bare `Error`; its errno code (ECONNREFUSED, ETIMEDOUT, ...)
  // is what tells an operator where to look. Neither carries the secret's value.
  const code = networkErrorCode(error);
  const reason = code !== undefined && /^E[A-Z]+$/.test(code) ? `${name} (${code})` : name;
  return new TokenCacheError(
    'TOKEN_UNAVAILABLE',
    `Could not read the client credentials from Secrets Manager secret "${secretId}": ${reason}`,
    { cause: error },
  );
}

/**
 * The Secrets Manager client package, loaded on the first secret read: it is an optional peer
 * dependency, needed only by an application that keeps its credentials in a secret.
 */
async function secretsManagerModule(
  secretId: string,
): Promise<typeof import('@aws-sdk/client-secrets-manager')> {
  try {
    return await import('@aws-sdk/client-secrets-manager');
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new ConfigError(
      'AWS_SECRET_ID',
      `a secret the installed packages can read: "${secretId}" needs @aws-sdk/client-secrets-manager (npm install @aws-sdk/client-secrets-manager)`,
      { cause: error },
    );
  }
}
