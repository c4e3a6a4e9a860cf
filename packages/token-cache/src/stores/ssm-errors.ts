/**
 * Maps AWS SDK errors from SSM to `StoreError` kinds, so the cache can decide what to do (retry
 * throttling with backoff, degrade to the endpoint on anything else) without knowing the SDK.
 */
import { StoreError } from '../errors.js';
import type { StoreErrorKind } from '../events.js';
import { networkErrorCode } from '../network-error.js';

/** Error names SSM (or any AWS JSON service) uses for throttling. */
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  // PutParameter under contention; the SDK does not retry it (AWS SSM API reference).
  'TooManyUpdates',
]);

const ACCESS_DENIED_NAMES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'CredentialsProviderError',
  // SecureString with a customer-managed key the caller may not use.
  'KMSAccessDeniedException',
]);

/** Node/undici network failures: the service could not be reached at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Classifies an error thrown by an SSM call.
 *
 * @example
 * ```ts
 * ssmErrorKind({ name: 'TooManyUpdates' }); // 'throttled'
 * ```
 */
export function ssmErrorKind(error: unknown): StoreErrorKind {
  const name = errorName(error);
  if (THROTTLING_NAMES.has(name)) return 'throttled';
  if (ACCESS_DENIED_NAMES.has(name)) return 'access-denied';
  if (name === 'ParameterNotFound') return 'not-found';
  // Before the name: the SDK reports a reset socket as a `TimeoutError` with code ECONNRESET.
  const code = networkErrorCode(error);
  if (code !== undefined && NETWORK_CODES.has(code)) return 'unavailable';
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT') return 'timeout';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  if (status !== undefined && status >= 500) return 'unavailable';
  if ((error as { $fault?: string } | undefined)?.$fault === 'server') return 'unavailable';
  if (status === undefined) return 'unavailable'; // no response at all: the store is unreachable
  return 'invalid';
}

/**
 * Wraps an SSM failure in a `StoreError`. The message names the operation, the parameter and
 * the AWS error name; the service's own message is kept only when it cannot echo a value we
 * sent (validation messages can quote the parameter value, i.e. the token).
 *
 * @example
 * ```ts
 * throw toStoreError(error, 'GetParameter', '/vwc/dev/auth0-token-cache');
 * ```
 */
export function toStoreError(error: unknown, operation: string, parameterName: string): StoreError {
  if (error instanceof StoreError) return error;
  const kind = ssmErrorKind(error);
  const name = errorName(error) || 'Error';
  const code = networkErrorCode(error);
  const detail = safeServiceMessage(error, kind);
  const message =
    `SSM ${operation} on ${parameterName} failed (${kind}): ${name}` +
    (code !== undefined && code !== name ? ` ${code}` : '') +
    (detail === undefined ? '' : ` — ${detail}`);
  return new StoreError(kind, operation, message, { cause: error });
}

function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const { name, __type } = error as { name?: unknown; __type?: unknown };
  if (typeof name === 'string' && name !== 'Error') return name;
  return typeof __type === 'string'
    ? (__type.split('#').pop() ?? '')
    : typeof name === 'string'
      ? name
      : '';
}

function safeServiceMessage(error: unknown, kind: StoreErrorKind): string | undefined {
  if (kind === 'invalid') return undefined; // ValidationException & co. may quote the value
  const message = (error as { message?: unknown } | undefined)?.message;
  if (typeof message !== 'string' || message.length === 0) return undefined;
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}
