/**
 * The shared store on SSM Parameter Store. The token envelope lives in the cache parameter's
 * *Value* (never in `Description`: `GetParameter` does not return it, the seed's defect 1);
 * the refresh lease lives in a lock parameter beside it.
 */
import {
  DeleteParameterCommand,
  GetParameterCommand,
  type ParameterTier,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { DEFAULTS } from '../defaults.js';
import { requireDuration } from '../duration.js';
import { ConfigError, StoreError } from '../errors.js';
import type {
  SharedStore,
  StoreCallOptions,
  StoredValue,
  StoreKey,
  StorePutOptions,
} from '../store.js';
import { toStoreError } from './ssm-errors.js';
import { lockParameterName, validateParameterName } from './ssm-names.js';

/** Default bound on one SSM call (connection to last byte). */
export const DEFAULT_SSM_TIMEOUT_MS = DEFAULTS.storeTimeoutMs;

/** Value size limits per tier (SSM quotas: Standard 4 KB, Advanced 8 KB). */
export const SSM_TIER_MAX_VALUE_LENGTH = {
  Standard: 4_096,
  Advanced: 8_192,
  // Intelligent-Tiering picks Advanced when a value needs it.
  'Intelligent-Tiering': 8_192,
} as const satisfies Record<string, number>;

/** Parameter tiers this store can write. */
export type SsmTier = keyof typeof SSM_TIER_MAX_VALUE_LENGTH;

/** Options of {@link SsmStore}. */
export interface SsmStoreOptions {
  /** The cache parameter, e.g. `/vwc/dev/auth0-token-cache`. */
  readonly parameterName: string;
  /** The lock parameter for the refresh lease (default `${parameterName}-lock`). */
  readonly leaseParameterName?: string;
  /**
   * An SSM client of your own (its timeout settings are then yours). Create it with
   * `maxAttempts: 1`: the cache retries throttling itself, and a lease write the SDK resends
   * after a lost answer lands twice, which the lease on SSM cannot tell from someone else's.
   * A client that retries gets one warning on stderr.
   */
  readonly client?: SSMClient;
  /** Where that warning goes; default `process.stderr`. */
  readonly warn?: (line: string) => void;
  /** Region for the client this store creates (default: the SDK's own resolution). */
  readonly region?: string;
  /** `SecureString` (default: a bearer token is a credential) or `String`. */
  readonly type?: 'SecureString' | 'String';
  /** KMS key for `SecureString` (default: the AWS-managed `aws/ssm` key). */
  readonly keyId?: string;
  /**
   * Tier to write with. Default: none sent (the parameter keeps the tier Terraform gave it)
   * and values are held to the Standard limit of 4,096 characters.
   */
  readonly tier?: SsmTier;
  /** Bound on each SSM call in ms (default 2,000). */
  readonly timeoutMs?: number;
  /** Names the settings in configuration errors (default: the option names). */
  readonly variableNames?: {
    readonly parameterName?: string;
    readonly leaseParameterName?: string;
  };
}

/**
 * A `SharedStore` on SSM Parameter Store.
 *
 * - `get` = `GetParameter` with decryption (`ParameterNotFound` → `undefined`);
 * - `create` = `PutParameter Overwrite=false` (`ParameterAlreadyExists` → `false`);
 * - `put` = `PutParameter Overwrite=true` (no `Tags`: SSM refuses them with Overwrite);
 * - `overwrite` = the same, resolving the `Version` SSM gave the write (the lease relies on it);
 * - `delete` = `DeleteParameter` (already absent is fine).
 *
 * SSM has no conditional write beyond create-if-absent, so `supportsCompareAndSet` is false.
 *
 * @example
 * ```ts
 * const store = new SsmStore({ parameterName: '/vwc/dev/auth0-token-cache', region: 'us-west-2' });
 * const cache = createTokenCache({ source, store });
 * ```
 */
export class SsmStore implements SharedStore {
  readonly description: string;
  readonly maxValueLength: number;
  readonly supportsCompareAndSet = false;
  readonly parameterName: string;
  readonly leaseParameterName: string;
  private readonly client: SSMClient;
  private readonly type: 'SecureString' | 'String';
  private readonly keyId: string | undefined;
  private readonly tier: ParameterTier | undefined;
  private readonly timeoutMs: number;

  constructor(options: SsmStoreOptions) {
    const names = options.variableNames ?? {};
    const region = options.region ?? 'us-west-2';
    validateParameterName(options.parameterName, names.parameterName ?? 'parameterName', region);
    this.parameterName = options.parameterName;
    this.leaseParameterName =
      options.leaseParameterName ?? lockParameterName(options.parameterName);
    // A derived lock name is the cache parameter's fault; an explicit one is its own.
    const leaseVariable = options.leaseParameterName
      ? (names.leaseParameterName ?? 'leaseParameterName')
      : (names.parameterName ?? 'parameterName');
    validateParameterName(this.leaseParameterName, leaseVariable, region);
    if (this.leaseParameterName === this.parameterName) {
      throw new ConfigError('leaseParameterName', 'different from the cache parameter name');
    }
    const type = options.type ?? 'SecureString';
    if (type !== 'SecureString' && type !== 'String') {
      throw new ConfigError('type', `"SecureString" or "String", got "${String(type)}"`);
    }
    if (options.keyId !== undefined && (options.keyId.length === 0 || type !== 'SecureString')) {
      throw new ConfigError('keyId', 'a non-empty KMS key id, and only with type "SecureString"');
    }
    if (options.tier !== undefined && !(options.tier in SSM_TIER_MAX_VALUE_LENGTH)) {
      throw new ConfigError('tier', `one of ${Object.keys(SSM_TIER_MAX_VALUE_LENGTH).join(', ')}`);
    }
    const timeoutMs = requireDuration('timeoutMs', options.timeoutMs, DEFAULT_SSM_TIMEOUT_MS, 1);
    this.type = type;
    this.keyId = options.keyId;
    this.tier = options.tier;
    this.timeoutMs = timeoutMs;
    this.maxValueLength = SSM_TIER_MAX_VALUE_LENGTH[options.tier ?? 'Standard'];
    this.description = `ssm:${options.parameterName}`;
    this.client = options.client ?? createSsmClient(options.region, timeoutMs);
    if (options.client) warnIfRetrying(options.client, this.description, options.warn);
  }

  async get(key: StoreKey, options?: StoreCallOptions): Promise<StoredValue | undefined> {
    const name = this.nameOf(key);
    try {
      const output = await this.client.send(
        new GetParameterCommand({ Name: name, WithDecryption: true }),
        this.callOptions(options),
      );
      const parameter = output.Parameter;
      if (parameter?.Value === undefined) return undefined;
      return { value: parameter.Value, version: parameter.Version ?? 0 };
    } catch (error) {
      if (nameOf(error) === 'ParameterNotFound') return undefined;
      throw this.failure(error, 'GetParameter', name, options);
    }
  }

  async create(key: StoreKey, value: string, options?: StoreCallOptions): Promise<boolean> {
    try {
      await this.write(key, value, false, options);
      return true;
    } catch (error) {
      if (nameOf(error) === 'ParameterAlreadyExists') return false;
      throw this.failure(error, 'PutParameter', this.nameOf(key), options);
    }
  }

  async put(key: StoreKey, value: string, options?: StorePutOptions): Promise<boolean> {
    // expectedVersion cannot be enforced by SSM (supportsCompareAndSet = false): ignored.
    try {
      await this.write(key, value, true, options);
      return true;
    } catch (error) {
      throw this.failure(error, 'PutParameter', this.nameOf(key), options);
    }
  }

  async overwrite(key: StoreKey, value: string, options?: StoreCallOptions): Promise<number> {
    try {
      const version = await this.write(key, value, true, options);
      if (version === undefined) {
        throw new StoreError('invalid', 'PutParameter', 'PutParameter answered without a Version');
      }
      return version;
    } catch (error) {
      throw this.failure(error, 'PutParameter', this.nameOf(key), options);
    }
  }

  // SSM has no conditional delete: `expectedVersion` is not enforced, so a delete always counts.
  async delete(key: StoreKey, options?: StorePutOptions): Promise<boolean> {
    const name = this.nameOf(key);
    try {
      await this.client.send(new DeleteParameterCommand({ Name: name }), this.callOptions(options));
    } catch (error) {
      if (nameOf(error) !== 'ParameterNotFound') {
        throw this.failure(error, 'DeleteParameter', name, options);
      }
    }
    return true;
  }

  private async write(
    key: StoreKey,
    value: string,
    overwrite: boolean,
    options: StoreCallOptions | undefined,
  ): Promise<number | undefined> {
    const name = this.nameOf(key);
    this.checkValue(value, name);
    // The lease holds an owner id and an expiry, nothing secret: a plain String needs no KMS.
    const secure = key === 'token' && this.type === 'SecureString';
    const output = await this.client.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: secure ? 'SecureString' : 'String',
        Overwrite: overwrite,
        ...(secure && this.keyId !== undefined ? { KeyId: this.keyId } : {}),
        // Only the token needs the tier; an Advanced lock parameter would be billed for nothing.
        ...(this.tier === undefined || key !== 'token' ? {} : { Tier: this.tier }),
      }),
      this.callOptions(options),
    );
    return output.Version;
  }

  /** Refuses a value SSM would reject, before any I/O. */
  private checkValue(value: string, name: string): void {
    // SSM counts the limit in bytes of UTF-8 ("4 KB"); for ASCII JSON that equals characters.
    const size = Buffer.byteLength(value, 'utf8');
    if (size > this.maxValueLength) {
      throw new StoreError(
        'too-large',
        'PutParameter',
        `The value for SSM parameter ${name} is ${size} characters; the ${this.tier ?? 'Standard'} tier allows ${this.maxValueLength}. Use tier "Advanced" (up to 8,192) or a store without this limit.`,
      );
    }
    if (value.length === 0) {
      // SSM rejects empty values (the seed's clear() bug): fail loudly instead of silently.
      throw new StoreError(
        'invalid',
        'PutParameter',
        `Refusing to write an empty value to ${name}`,
      );
    }
  }

  private nameOf(key: StoreKey): string {
    return key === 'token' ? this.parameterName : this.leaseParameterName;
  }

  private callOptions(options: StoreCallOptions | undefined): { abortSignal: AbortSignal } {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return { abortSignal: options?.signal ? AbortSignal.any([options.signal, timeout]) : timeout };
  }

  private failure(
    error: unknown,
    operation: string,
    name: string,
    options: StoreCallOptions | undefined,
  ): unknown {
    // The caller gave up (its deadline): rethrow its reason, as fetch and the sources do.
    if (options?.signal?.aborted) return options.signal.reason;
    if (error instanceof StoreError) return error;
    const mapped = toStoreError(error, operation, name);
    if (mapped.kind === 'timeout') {
      return new StoreError(
        'timeout',
        operation,
        `SSM ${operation} on ${name} did not answer within ${this.timeoutMs} ms`,
        { cause: error },
      );
    }
    return mapped;
  }
}

/**
 * The SSM client this store builds when none is given. `maxAttempts: 1`: the SDK would retry
 * `ThrottlingException` (not `TooManyUpdates`) with its own backoff, outside our deadline; the
 * cache core retries store throttling itself, with jitter, within `getToken()`'s deadline
 * (design guarantee 8), so one attempt per call here.
 */
function createSsmClient(region: string | undefined, timeoutMs: number): SSMClient {
  return new SSMClient({
    ...(region === undefined ? {} : { region }),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
}

function nameOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { name?: string }).name
    : undefined;
}

// The SDK resends a request whose answer was lost (5xx, a reset connection) with the same body.
// The lease on SSM decides by the version each write got, so a duplicate is indistinguishable
// from another container's write: warn once, naming the fix.
function warnIfRetrying(client: SSMClient, store: string, warn?: (line: string) => void): void {
  const maxAttempts: unknown = client.config.maxAttempts;
  if (typeof maxAttempts !== 'function') return;
  Promise.resolve((maxAttempts as () => unknown)())
    .then((attempts) => {
      if (typeof attempts !== 'number' || attempts <= 1) return;
      const line = `token-cache: the SSM client given to ${store} retries (maxAttempts ${attempts}); create it with maxAttempts: 1, or a lease write the SDK resends can count twice`;
      (warn ?? ((text: string) => process.stderr.write(`${text}\n`)))(line);
    })
    .catch(() => {});
}
