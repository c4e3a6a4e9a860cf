/**
 * Builds the shared store the settings describe, or none when the shared tier is off
 * (`TOKEN_CACHE_SHARED=off`: the seed's rollback plan as a switch, no code revert).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SharedStore } from '../store.js';
import { DynamoDbStore } from '../stores/dynamodb-store.js';
import { SsmStore } from '../stores/ssm-store.js';
import type { Clock } from '../token.js';
import type { TokenCacheSettings } from './settings.js';
import { ENV } from './variables.js';

/** AWS clients to use instead of the defaults (tests point them at the local stack). */
export interface StoreInjections {
  readonly ssmClient?: SSMClient;
  readonly dynamoDbClient?: DynamoDBClient;
  readonly clock?: Clock;
}

/**
 * The shared store, or `undefined` for memory only. Store settings are validated only when
 * the store is used: turning the shared tier off must work whatever else is configured.
 *
 * @example
 * ```ts
 * const store = buildStore(resolveSettings(process.env)); // SsmStore on AUTH0_TOKEN_PARAMETER_NAME
 * ```
 */
export function buildStore(
  settings: TokenCacheSettings,
  injections: StoreInjections = {},
): SharedStore | undefined {
  if (!settings.shared) return undefined;
  if (settings.storeKind === 'dynamodb') {
    return new DynamoDbStore({
      tableName: settings.dynamoDbTable ?? '',
      region: settings.region,
      timeoutMs: settings.storeTimeoutMs,
      ...(settings.dynamoDbItemKey === undefined ? {} : { itemKey: settings.dynamoDbItemKey }),
      ...(injections.dynamoDbClient ? { client: injections.dynamoDbClient } : {}),
      ...(injections.clock ? { clock: injections.clock } : {}),
    });
  }
  return new SsmStore({
    parameterName: settings.parameterName,
    region: settings.region,
    type: settings.parameterType,
    timeoutMs: settings.storeTimeoutMs,
    variableNames: { parameterName: ENV.parameterName, leaseParameterName: ENV.lockParameterName },
    ...(settings.lockParameterName === undefined
      ? {}
      : { leaseParameterName: settings.lockParameterName }),
    ...(settings.kmsKeyId === undefined ? {} : { keyId: settings.kmsKeyId }),
    ...(settings.parameterTier === undefined ? {} : { tier: settings.parameterTier }),
    ...(injections.ssmClient ? { client: injections.ssmClient } : {}),
  });
}
