/**
 * Validates `start()` options once, up front, with messages that name the option and what was
 * expected, and fills in the defaults (AWS's and Auth0's free-plan limits).
 */
import {
  DEFAULT_AWS_CREDENTIALS,
  DEFAULT_CLIENT,
  type LocalAwsCredential,
  type LocalClient,
  type LocalStackOptions,
} from './contract.js';
import { validateFaultSpec } from './faults.js';

/**
 * The default client as a registration with its grant.
 *
 * @example
 * ```ts
 * await start({ idp: { clients: [DEFAULT_CLIENT_REGISTRATION, otherClient] } });
 * ```
 */
export const DEFAULT_CLIENT_REGISTRATION: LocalClient = {
  clientId: DEFAULT_CLIENT.clientId,
  clientSecret: DEFAULT_CLIENT.clientSecret,
  grants: [{ audience: DEFAULT_CLIENT.audience, scope: DEFAULT_CLIENT.scope }],
};

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly readsPerSecond: number;
  readonly writesPerSecond: number;
  readonly updateConflictWindowMs: number;
  readonly expiresInSeconds: number;
  readonly rateLimitPerSecond: number;
  readonly monthlyQuota: number;
  readonly clients: readonly LocalClient[];
  readonly apiAudience: string;
  readonly secrets: Readonly<Record<string, string>>;
  /** Accepted access keys, never empty; the first goes into `env`. */
  readonly awsCredentials: readonly LocalAwsCredential[];
  readonly signingClock: () => number;
  readonly faults: LocalStackOptions['faults'];
  readonly now: () => number;
  readonly random: () => number;
}

/**
 * Throws a `TypeError` naming `option` unless `value` is a non-negative number
 * (an integer when `integer` is set).
 *
 * @example
 * ```ts
 * requireNonNegative('ssm.readsPerSecond', 40); // 40
 * ```
 */
export function requireNonNegative(option: string, value: unknown, integer = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new TypeError(
      `"${option}" must be a non-negative ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function awsCredentials(value: unknown): readonly LocalAwsCredential[] {
  if (value === undefined) return [DEFAULT_AWS_CREDENTIALS];
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(
      '"aws.credentials" must be a non-empty array of { accessKeyId, secretAccessKey }',
    );
  }
  const seen = new Set<string>();
  value.forEach((credential: Partial<LocalAwsCredential> | null, index) => {
    for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
      const text = credential?.[field];
      if (typeof text !== 'string' || text === '')
        throw new TypeError(`"aws.credentials[${index}].${field}" must be a non-empty string`);
    }
    // A key id names one secret, as in IAM; two secrets for one id would make a test ambiguous.
    const id = credential?.accessKeyId as string;
    if (seen.has(id))
      throw new TypeError(`"aws.credentials[${index}].accessKeyId" repeats ${JSON.stringify(id)}`);
    seen.add(id);
  });
  return value as readonly LocalAwsCredential[];
}

function positiveInteger(option: string, value: unknown): number {
  const n = requireNonNegative(option, value, true);
  if (n === 0) throw new TypeError(`"${option}" must be a positive integer, got 0`);
  return n;
}

/**
 * Applies defaults and validates every option.
 *
 * @example
 * ```ts
 * resolveOptions({ ssm: { readsPerSecond: 0 } }).readsPerSecond; // 0
 * ```
 */
export function resolveOptions(options: LocalStackOptions = {}): ResolvedOptions {
  const port = requireNonNegative('port', options.port ?? 0, true);
  if (port > 65535) throw new TypeError(`"port" must be an integer in 0..65535, got ${port}`);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '')
    throw new TypeError('"host" must be a non-empty string');
  for (const [target, spec] of Object.entries(options.faults ?? {})) {
    try {
      validateFaultSpec(spec);
    } catch (error) {
      throw new TypeError(`"faults.${target}": ${(error as Error).message}`);
    }
  }
  for (const [name, value] of Object.entries(options.secrets ?? {})) {
    if (typeof value !== 'string') throw new TypeError(`"secrets.${name}" must be a string`);
  }
  const resolved: ResolvedOptions = {
    port,
    host,
    readsPerSecond: requireNonNegative('ssm.readsPerSecond', options.ssm?.readsPerSecond ?? 40),
    writesPerSecond: requireNonNegative('ssm.writesPerSecond', options.ssm?.writesPerSecond ?? 3),
    updateConflictWindowMs: requireNonNegative(
      'ssm.updateConflictWindowMs',
      options.ssm?.updateConflictWindowMs ?? 0,
    ),
    expiresInSeconds: positiveInteger(
      'idp.expiresInSeconds',
      options.idp?.expiresInSeconds ?? 86_400,
    ),
    rateLimitPerSecond: requireNonNegative(
      'idp.rateLimitPerSecond',
      options.idp?.rateLimitPerSecond ?? 30,
      true,
    ),
    monthlyQuota: requireNonNegative('idp.monthlyQuota', options.idp?.monthlyQuota ?? 1000, true),
    clients: options.idp?.clients ?? [DEFAULT_CLIENT_REGISTRATION],
    apiAudience: options.apiAudience ?? DEFAULT_CLIENT.audience,
    secrets: options.secrets ?? {},
    awsCredentials: awsCredentials(options.aws?.credentials),
    signingClock: options.aws?.signingClock ?? Date.now,
    faults: options.faults,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
  if (typeof resolved.now !== 'function')
    throw new TypeError('"now" must be a function returning epoch milliseconds');
  if (typeof resolved.signingClock !== 'function')
    throw new TypeError('"aws.signingClock" must be a function returning epoch milliseconds');
  if (typeof resolved.random !== 'function')
    throw new TypeError('"random" must be a function returning a number in [0, 1)');
  return resolved;
}
