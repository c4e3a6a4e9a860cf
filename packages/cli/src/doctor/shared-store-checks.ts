/**
 * Doctor checks for stores other than SSM (DynamoDB), through the `SharedStore` interface the
 * fleet itself uses: read, write without clobbering the token, value size.
 */
import { type SharedStore, StoreError, type TokenCacheSettings } from '@token-cache/core/internal';
import { diagnoseAwsCredentials } from './aws-credentials.js';
import { type CheckResult, check } from './check.js';

/**
 * Reads the token record; returns its value for the checks that follow (`null` = no record,
 * `undefined` = unreadable).
 *
 * @example
 * ```ts
 * const { result, value } = await checkSharedStoreRead(store, settings);
 * ```
 */
export async function checkSharedStoreRead(
  store: SharedStore,
  settings: TokenCacheSettings,
): Promise<{ result: CheckResult; value: string | null | undefined }> {
  const title = 'Store is reachable and readable';
  try {
    const stored = await store.get('token');
    if (stored === undefined) {
      return {
        result: check(
          'store-read',
          title,
          'pass',
          `${store.description} answers; no token record yet (the first refresh creates it)`,
        ),
        value: null,
      };
    }
    return {
      result: check(
        'store-read',
        title,
        'pass',
        `${store.description}: token record version ${stored.version}`,
      ),
      value: stored.value,
    };
  } catch (error) {
    return { result: failure('store-read', title, error, store, settings), value: undefined };
  }
}

/**
 * Proves write access without touching the token: a create-if-absent of an already-expired
 * lease. An existing lease makes the conditional write fail *after* authorisation, so both
 * outcomes prove access; a probe that was created is deleted again at once, only if still ours.
 *
 * @example
 * ```ts
 * const result = await checkSharedStoreWrite(store, settings);
 * ```
 */
export async function checkSharedStoreWrite(
  store: SharedStore,
  settings: TokenCacheSettings,
): Promise<CheckResult> {
  const title = 'Store is writable (probed without overwriting)';
  const probe = JSON.stringify({ v: 1, owner: 'token-cache-doctor', leaseExpiresAt: 0 });
  try {
    if (!(await store.create('lease', probe))) {
      return check(
        'store-write',
        title,
        'pass',
        'conditional write authorised (a lease is present; nothing written)',
      );
    }
    const current = await store.get('lease');
    if (current?.value === probe) {
      await store.delete(
        'lease',
        store.supportsCompareAndSet ? { expectedVersion: current.version } : {},
      );
    }
    return check(
      'store-write',
      title,
      'pass',
      'lease record created and deleted: writes authorised',
    );
  } catch (error) {
    return failure('store-write', title, error, store, settings);
  }
}

/**
 * The stored value against the store's limit.
 *
 * @example
 * ```ts
 * const result = checkSharedStoreSize(store, value);
 * ```
 */
export function checkSharedStoreSize(
  store: SharedStore,
  value: string | null | undefined,
): CheckResult {
  const title = 'Value size has headroom';
  if (value === undefined) return check('value-size', title, 'skip', 'the store could not be read');
  const size = value === null ? 0 : Buffer.byteLength(value, 'utf8');
  return check('value-size', title, 'pass', `${size} of ${store.maxValueLength} characters used`);
}

function failure(
  id: string,
  title: string,
  error: unknown,
  store: SharedStore,
  settings: TokenCacheSettings,
): CheckResult {
  const message = error instanceof Error ? error.message : String(error);
  const credentials = diagnoseAwsCredentials(error, 'DynamoDB');
  if (credentials !== undefined) {
    return check(id, title, 'fail', `${credentials.summary}: ${message}`, credentials.fix);
  }
  const kind = error instanceof StoreError ? error.kind : 'unavailable';
  const table = settings.dynamoDbTable ?? '<table>';
  const fixes: Record<string, string> = {
    'access-denied': `Grant dynamodb:GetItem and dynamodb:UpdateItem on arn:aws:dynamodb:${settings.region}:<account>:table/${table} to this identity (infra/dynamodb.tf).`,
    'not-found': `Create the table ${table} (infra/dynamodb.tf) or fix TOKEN_CACHE_DYNAMODB_TABLE.`,
    throttled:
      'DynamoDB throttled the call: check the table capacity mode (on-demand recommended).',
  };
  return check(
    id,
    title,
    'fail',
    message,
    fixes[kind] ??
      `${store.description} did not answer: check AWS_ENDPOINT_URL / network access, AWS_REGION (${settings.region}), TOKEN_CACHE_DYNAMODB_TABLE.`,
  );
}
