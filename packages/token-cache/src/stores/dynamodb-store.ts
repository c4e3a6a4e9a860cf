/**
 * The shared store on DynamoDB: one item per record, conditional writes for a real
 * compare-and-set, a TTL attribute for cleanup. Unlike SSM (40 reads/s per account and region by
 * default), an on-demand table has no fixed read quota, so it serves large cold-start bursts.
 *
 * Item layout (partition key only):
 * `pk` = `<itemKey>#token` | `<itemKey>#lease`, `value` (S, absent on a tombstone), `version`
 * (N, +1 on every write), `ttl` (N, epoch seconds), `expiresAt` (N, epoch ms, when the value
 * declares one).
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { requireDuration } from '../duration.js';
import { StoreError } from '../errors.js';
import type {
  SharedStore,
  StoreCallOptions,
  StoredValue,
  StoreKey,
  StorePutOptions,
} from '../store.js';
import { type Clock, systemClock } from '../token.js';
import { toStoreError } from './dynamodb-errors.js';
import {
  DEFAULT_DYNAMODB_ITEM_KEY,
  DEFAULT_DYNAMODB_TIMEOUT_MS,
  DYNAMODB_ITEM_ATTRIBUTES,
  DYNAMODB_MAX_VALUE_BYTES,
  requireItemKey,
  requireTableName,
} from './dynamodb-table.js';
import {
  DEFAULT_FALLBACK_TTL_MS,
  DEFAULT_TTL_MARGIN_MS,
  ttlEpochSeconds,
  valueExpiresAt,
} from './dynamodb-ttl.js';

// The table's constants live beside their checks in a module without the SDK (configuration
// reads them before the client is loaded); they remain exported from here.
export {
  DEFAULT_DYNAMODB_ITEM_KEY,
  DEFAULT_DYNAMODB_TIMEOUT_MS,
  DYNAMODB_ITEM_ATTRIBUTES,
  DYNAMODB_MAX_VALUE_BYTES,
} from './dynamodb-table.js';

/** Options for {@link DynamoDbStore}. */
export interface DynamoDbStoreOptions {
  /** The table (partition key `pk`, type S). */
  readonly tableName: string;
  /** Prefix of the partition keys, so several caches can share one table. Default `auth0-token-cache`. */
  readonly itemKey?: string;
  /** A configured client; default: a new client for `region` with one SDK retry. */
  readonly client?: DynamoDBClient;
  /** Region for the default client; default: the SDK's own resolution (`AWS_REGION`). */
  readonly region?: string;
  /** Per-call timeout, ms. Default {@link DEFAULT_DYNAMODB_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** How long an item outlives its value's expiry before TTL may delete it, ms. Default 1 h. */
  readonly ttlMarginMs?: number;
  /** TTL for values without a readable expiry, ms from now. Default 48 h. */
  readonly fallbackTtlMs?: number;
  /** Clock for TTLs and for ignoring TTL-expired items DynamoDB has not deleted yet. */
  readonly clock?: Clock;
}

// `value`, `ttl` and other words are DynamoDB reserved words: every attribute goes through a name.
const NAMES = {
  '#pk': DYNAMODB_ITEM_ATTRIBUTES.partitionKey,
  '#value': DYNAMODB_ITEM_ATTRIBUTES.value,
  '#version': DYNAMODB_ITEM_ATTRIBUTES.version,
  '#ttl': DYNAMODB_ITEM_ATTRIBUTES.ttl,
  '#expiresAt': DYNAMODB_ITEM_ATTRIBUTES.expiresAt,
} as const;

/**
 * "Absent" for conditions: no item, a tombstone left by `delete`, or an item whose TTL passed
 * (DynamoDB deletes expired items only within about 48 h, so they must be treated as gone).
 */
const ABSENT = '(attribute_not_exists(#value) OR #ttl < :now)';

/** A condition expression with the values it refers to. */
interface Condition {
  readonly expression: string;
  readonly values: Record<string, AttributeValue>;
}

/**
 * A `SharedStore` on a DynamoDB table, with atomic compare-and-set.
 *
 * - Reads are strongly consistent: right after a refresher writes, a container checking the
 *   store must see the new token and its version, or it would call the endpoint again or lose a
 *   compare-and-set it should have won. A consistent read costs 1 RCU instead of 0.5.
 * - `create` and `put` with `expectedVersion` are conditional writes; a lost race resolves `false`.
 * - A `put` of the token without `expectedVersion` never replaces a token that expires later
 *   (no regression, enforced by the condition); with `expectedVersion`, the caller has read the
 *   current value and the version alone decides.
 * - `delete` leaves a tombstone (no value, version kept) until TTL removes it, so versions never
 *   restart and a compare-and-set cannot be fooled by a delete-then-recreate (ABA).
 *
 * @example
 * ```ts
 * const store = new DynamoDbStore({ tableName: 'vwc-dev-token-cache', itemKey: 'auth0' });
 * const cache = createTokenCache({ source, store });
 * ```
 */
export class DynamoDbStore implements SharedStore {
  readonly description: string;
  readonly maxValueLength = DYNAMODB_MAX_VALUE_BYTES;
  readonly supportsCompareAndSet = true;

  readonly #tableName: string;
  readonly #itemKey: string;
  readonly #client: DynamoDBClient;
  readonly #timeoutMs: number;
  readonly #ttlMarginMs: number;
  readonly #fallbackTtlMs: number;
  readonly #clock: Clock;

  constructor(options: DynamoDbStoreOptions) {
    this.#tableName = requireTableName(options.tableName);
    this.#itemKey = requireItemKey(options.itemKey ?? DEFAULT_DYNAMODB_ITEM_KEY);
    this.#timeoutMs = requireDuration(
      'timeoutMs',
      options.timeoutMs,
      DEFAULT_DYNAMODB_TIMEOUT_MS,
      1,
    );
    this.#ttlMarginMs = requireDuration('ttlMarginMs', options.ttlMarginMs, DEFAULT_TTL_MARGIN_MS);
    this.#fallbackTtlMs = requireDuration(
      'fallbackTtlMs',
      options.fallbackTtlMs,
      DEFAULT_FALLBACK_TTL_MS,
      1,
    );
    this.#clock = options.clock ?? systemClock;
    // One SDK retry absorbs a dropped connection; throttling beyond that is the shared tier's
    // job (jittered back-off inside the getToken() deadline), all bounded by the per-call timeout.
    this.#client =
      options.client ??
      new DynamoDBClient({ ...(options.region ? { region: options.region } : {}), maxAttempts: 2 });
    this.description = `dynamodb:${this.#tableName}/${this.#itemKey}`;
  }

  async get(key: StoreKey, options?: StoreCallOptions): Promise<StoredValue | undefined> {
    const output = await this.#send('GetItem', options?.signal, (abortSignal) =>
      this.#client.send(
        new GetItemCommand({
          TableName: this.#tableName,
          Key: this.#key(key),
          ConsistentRead: true,
          ProjectionExpression: '#value, #version, #ttl',
          ExpressionAttributeNames: {
            '#value': NAMES['#value'],
            '#version': NAMES['#version'],
            '#ttl': NAMES['#ttl'],
          },
        }),
        { abortSignal },
      ),
    );
    const item = output.Item;
    const value = item?.value?.S;
    if (item === undefined || value === undefined || this.#isTtlExpired(item)) {
      return undefined;
    }
    return { value, version: Number(item.version?.N ?? '0') };
  }

  async create(key: StoreKey, value: string, options?: StoreCallOptions): Promise<boolean> {
    return this.#write(key, value, this.#absent(), options?.signal);
  }

  async put(key: StoreKey, value: string, options?: StorePutOptions): Promise<boolean> {
    const expected = options?.expectedVersion;
    if (expected !== undefined) {
      return this.#write(key, value, this.#versionIs(expected), options?.signal);
    }
    const expiresAt = key === 'token' ? valueExpiresAt(value) : undefined;
    // No regression: a blind write of a token loses to a stored token that expires later.
    const condition = expiresAt === undefined ? undefined : this.#doesNotRegress(expiresAt);
    return this.#write(key, value, condition, options?.signal);
  }

  async delete(key: StoreKey, options?: StorePutOptions): Promise<boolean> {
    const expected = options?.expectedVersion;
    const condition = expected === undefined ? undefined : this.#versionIs(expected);
    const tombstoneTtl = Math.ceil((this.#clock() + this.#fallbackTtlMs) / 1000);
    return this.#update('DeleteItem', key, {
      update:
        'SET #version = if_not_exists(#version, :zero) + :one, #ttl = :ttl REMOVE #value, #expiresAt',
      values: { ':ttl': { N: String(tombstoneTtl) } },
      condition,
      signal: options?.signal,
    });
  }

  async #write(
    key: StoreKey,
    value: string,
    condition: Condition | undefined,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    this.#checkSize(value);
    const ttl = ttlEpochSeconds(value, {
      nowMs: this.#clock(),
      marginMs: this.#ttlMarginMs,
      fallbackTtlMs: this.#fallbackTtlMs,
    });
    const expiresAt = valueExpiresAt(value);
    // `expiresAt` is kept only for values that declare one; the no-regression condition reads it.
    const setExpiresAt =
      expiresAt === undefined ? ' REMOVE #expiresAt' : ', #expiresAt = :expiresAt';
    return this.#update('UpdateItem', key, {
      update: `SET #value = :value, #version = if_not_exists(#version, :zero) + :one, #ttl = :ttl${setExpiresAt}`,
      values: {
        ':value': { S: value },
        ':ttl': { N: String(ttl) },
        ...(expiresAt === undefined ? {} : { ':expiresAt': { N: String(expiresAt) } }),
      },
      condition,
      signal,
    });
  }

  #absent(): Condition {
    return { expression: ABSENT, values: { ':now': { N: String(this.#nowSeconds()) } } };
  }

  #versionIs(expected: number): Condition {
    if (expected === 0) {
      return this.#absent();
    }
    return { expression: '#version = :expected', values: { ':expected': { N: String(expected) } } };
  }

  #doesNotRegress(expiresAt: number): Condition {
    return {
      expression: `(attribute_not_exists(#expiresAt) OR #expiresAt <= :newExpiresAt OR ${ABSENT})`,
      values: {
        ':newExpiresAt': { N: String(expiresAt) },
        ':now': { N: String(this.#nowSeconds()) },
      },
    };
  }

  /** Runs an UpdateItem; `false` when its condition failed. */
  async #update(
    operation: string,
    key: StoreKey,
    request: {
      update: string;
      values: Record<string, AttributeValue>;
      condition: Condition | undefined;
      signal: AbortSignal | undefined;
    },
  ): Promise<boolean> {
    const expressions = `${request.update} ${request.condition?.expression ?? ''}`;
    // DynamoDB rejects unused names, so pass only the ones the expressions mention.
    const names = Object.fromEntries(
      Object.entries(NAMES).filter(([alias]) => expressions.includes(alias)),
    );
    const command = new UpdateItemCommand({
      TableName: this.#tableName,
      Key: this.#key(key),
      UpdateExpression: request.update,
      ConditionExpression: request.condition?.expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ':one': { N: '1' },
        ':zero': { N: '0' },
        ...request.values,
        ...request.condition?.values,
      },
    });
    return this.#send(operation, request.signal, (abortSignal) =>
      this.#client.send(command, { abortSignal }).then(
        () => true,
        (error: unknown) => {
          // A failed condition is an answer (lost race, stale version, later token), not a fault.
          if (isConditionFailure(error)) return false;
          throw error;
        },
      ),
    );
  }

  /** Sends one request under the per-call timeout and the caller's signal, mapping failures. */
  async #send<T>(
    operation: string,
    callerSignal: AbortSignal | undefined,
    call: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const abortSignal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    try {
      return await call(abortSignal);
    } catch (error) {
      throw toStoreError(error, operation, {
        tableName: this.#tableName,
        timedOut: timeout.aborted,
      });
    }
  }

  #checkSize(value: string): void {
    // Item size counts UTF-8 bytes; JSON envelopes and JWTs are ASCII, so bytes = characters.
    if (Buffer.byteLength(value, 'utf8') > this.maxValueLength) {
      throw new StoreError(
        'too-large',
        'UpdateItem',
        `value of ${Buffer.byteLength(value, 'utf8')} bytes exceeds the ${this.maxValueLength}-byte limit of ${this.description}`,
      );
    }
  }

  #isTtlExpired(item: Record<string, AttributeValue>): boolean {
    const ttl = item.ttl?.N;
    return ttl !== undefined && Number(ttl) < Math.floor(this.#clock() / 1000);
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock() / 1000);
  }

  #key(key: StoreKey): Record<string, AttributeValue> {
    return { [DYNAMODB_ITEM_ATTRIBUTES.partitionKey]: { S: `${this.#itemKey}#${key}` } };
  }
}

/** By class, or by name when the client comes from another copy of the SDK (a bundle). */
function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}
