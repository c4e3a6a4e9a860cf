/**
 * Builds the shared store the settings describe, or none when the shared tier is off
 * (`TOKEN_CACHE_SHARED=off`: the seed's rollback plan as a switch, no code revert). With
 * replica regions, one store per region behind a `MultiRegionStore`. A DynamoDB store is
 * loaded on its first call (`lazy-dynamodb-store.ts`): the SSM fleet never loads that client.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { TokenCacheListener } from '../events.js';
import type { SharedStore } from '../store.js';
import { multiRegionStoreFor } from '../stores/multi-region-config.js';
import { SsmStore } from '../stores/ssm-store.js';
import type { Clock } from '../token.js';
import type { AwsClientEnvSettings } from './aws-clients.js';
import { lazyDynamoDbStore } from './lazy-dynamodb-store.js';
import type { TokenCacheSettings } from './settings.js';
import { ENV } from './variables.js';

/** AWS clients to use instead of the defaults (tests point them at the local stack). */
export interface StoreInjections {
  /** The SSM client of a region's store; `undefined` = the store builds its own for the region. */
  readonly ssmClientFor?: (region: string) => SSMClient | undefined;
  /** The DynamoDB client of a region's store; `undefined` = the store builds its own. */
  readonly dynamoDbClientFor?: (region: string) => DynamoDBClient | undefined;
  /** Endpoint and credentials for the DynamoDB clients the stores build (an explicit env's). */
  readonly dynamoDbClientSettings?: AwsClientEnvSettings;
  readonly clock?: Clock;
  /** Receives the multi-region store's `store-error` events (fallbacks, replica failures). */
  readonly onEvent?: TokenCacheListener;
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
  const storeFor = (region: string) => regionalStore(settings, region, injections);
  if (settings.primaryRegion === undefined) return storeFor(settings.region);
  return multiRegionStoreFor({
    primaryRegion: settings.primaryRegion,
    replicaRegions: settings.replicaRegions,
    localRegion: settings.region,
    storeFor,
    // A replica token inside the refresh window is compared with the primary's, which a
    // refresh elsewhere may already have replaced.
    primaryCheckWithinMs: settings.refreshWindowMs,
    ...(injections.onEvent ? { onEvent: injections.onEvent } : {}),
    ...(injections.clock ? { clock: injections.clock } : {}),
  });
}

/** The store of one region: the same parameter (or table) name in every region. */
function regionalStore(
  settings: TokenCacheSettings,
  region: string,
  injections: StoreInjections,
): SharedStore {
  if (settings.storeKind === 'dynamodb') {
    const client = injections.dynamoDbClientFor?.(region);
    return lazyDynamoDbStore({
      tableName: settings.dynamoDbTable ?? '',
      region,
      timeoutMs: settings.storeTimeoutMs,
      ...(settings.dynamoDbItemKey === undefined ? {} : { itemKey: settings.dynamoDbItemKey }),
      ...(client ? { client } : {}),
      ...(injections.dynamoDbClientSettings
        ? { clientSettings: injections.dynamoDbClientSettings }
        : {}),
      ...(injections.clock ? { clock: injections.clock } : {}),
    });
  }
  const client = injections.ssmClientFor?.(region);
  return new SsmStore({
    parameterName: settings.parameterName,
    region,
    type: settings.parameterType,
    timeoutMs: settings.storeTimeoutMs,
    variableNames: { parameterName: ENV.parameterName, leaseParameterName: ENV.lockParameterName },
    ...(settings.lockParameterName === undefined
      ? {}
      : { leaseParameterName: settings.lockParameterName }),
    ...(settings.kmsKeyId === undefined
      ? {}
      : { keyId: kmsKeyForRegion(settings.kmsKeyId, region) }),
    ...(settings.parameterTier === undefined ? {} : { tier: settings.parameterTier }),
    ...(client ? { client } : {}),
  });
}

/**
 * The KMS key reference to write with in `region`. A multi-Region key's replicas share its id
 * (KMS Developer Guide, "Multi-Region keys"), so its ARN is re-pointed at each region; alias
 * names and key ids are resolved by KMS in the region of the request, and are left alone.
 *
 * @example
 * ```ts
 * kmsKeyForRegion('arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab', 'eu-west-1');
 * // 'arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab'
 * ```
 */
export function kmsKeyForRegion(keyId: string, region: string): string {
  return keyId.replace(/^(arn:[^:]+:kms:)[^:]+(:\d+:key\/mrk-)/, `$1${region}$2`);
}
