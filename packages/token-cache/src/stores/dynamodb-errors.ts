/**
 * Turns whatever the DynamoDB client throws into a `StoreError` with a `kind` the shared tier can
 * act on (retry a throttle, give up on a denial). Error names are from the DynamoDB API reference,
 * "Common Errors" and each operation's "Errors" section.
 */
import { StoreError } from '../errors.js';
import type { StoreErrorKind } from '../events.js';
import { networkErrorCode } from '../network-error.js';

const KIND_BY_ERROR_NAME: Readonly<Record<string, StoreErrorKind>> = {
  // On-demand tables throttle too (per-partition limits, account quotas): retry with back-off.
  ProvisionedThroughputExceededException: 'throttled',
  ThrottlingException: 'throttled',
  RequestLimitExceeded: 'throttled',
  LimitExceededException: 'throttled',
  AccessDeniedException: 'access-denied',
  UnrecognizedClientException: 'access-denied',
  InvalidSignatureException: 'access-denied',
  IncompleteSignature: 'access-denied',
  MissingAuthenticationToken: 'access-denied',
  ExpiredTokenException: 'access-denied',
  InvalidClientTokenId: 'access-denied',
  ResourceNotFoundException: 'not-found',
  ValidationException: 'invalid',
  SerializationException: 'invalid',
  ItemCollectionSizeLimitExceededException: 'too-large',
  InternalServerError: 'unavailable',
  ServiceUnavailable: 'unavailable',
  TimeoutError: 'timeout',
};

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
]);

/** What the store knew when the call failed, so the error can say why. */
export interface DynamoDbFailureContext {
  readonly tableName: string;
  /** The store's own per-call timeout fired. */
  readonly timedOut: boolean;
}

/**
 * Maps a DynamoDB client failure to a `StoreError`. The message names the operation, the table
 * and the AWS error name, never an attribute value (the value is a bearer token).
 *
 * @example
 * ```ts
 * try { await client.send(command); } catch (error) {
 *   throw toStoreError(error, 'GetItem', { tableName: 'token-cache', timedOut: false });
 * }
 * ```
 */
export function toStoreError(
  error: unknown,
  operation: string,
  context: DynamoDbFailureContext,
): StoreError {
  if (error instanceof StoreError) {
    return error;
  }
  const name = errorName(error);
  const where = `DynamoDB ${operation} on table "${context.tableName}"`;
  if (context.timedOut || name === 'AbortError') {
    const why = context.timedOut ? 'timed out' : 'was aborted';
    return new StoreError('timeout', operation, `${where} ${why}`, { cause: error });
  }
  const kind = KIND_BY_ERROR_NAME[name] ?? networkKind(error) ?? 'unavailable';
  // A ValidationException message may quote expression values, i.e. the token: keep it out of
  // the cause chain so no logger ever prints it.
  const cause = kind === 'invalid' ? undefined : error;
  return new StoreError(kind, operation, `${where} failed: ${kind} (${name})`, { cause });
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    return String(error.name);
  }
  return 'UnknownError';
}

function networkKind(error: unknown): StoreErrorKind | undefined {
  const code = networkErrorCode(error);
  if (code !== undefined && NETWORK_ERROR_CODES.has(code)) {
    return code === 'ETIMEDOUT' ? 'timeout' : 'unavailable';
  }
  return undefined;
}
