/**
 * Building a multi-region store from a region list, as configuration would: the environment
 * names the primary and the replicas, and one store of the same kind is made per region.
 */
import { ConfigError } from '../errors.js';
import type { TokenCacheListener } from '../events.js';
import type { SharedStore } from '../store.js';
import type { Clock } from '../token.js';
import { MultiRegionStore, type MultiRegionStoreOptions } from './multi-region-store.js';

/** The multi-region environment variables `createTokenCacheFromEnv()` reads (Terraform sets them). */
export const MULTI_REGION_VARIABLES = {
  /** The region whose store is authoritative and holds the lease, e.g. `us-west-2`. */
  primaryRegion: 'TOKEN_CACHE_PRIMARY_REGION',
  /** Comma-separated other regions the token is written to, e.g. `eu-west-1,ap-southeast-2`. */
  replicaRegions: 'TOKEN_CACHE_REPLICA_REGIONS',
} as const;

/**
 * An AWS region code (`us-west-2`, `us-gov-west-1`, `ap-southeast-2`): the syntax only, so a
 * region launched after this release is still accepted.
 *
 * @example
 * ```ts
 * REGION_PATTERN.test('eu-west-1'); // true
 * ```
 */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Parses a comma-separated region list; empty or unset = no regions. Throws a `ConfigError`
 * naming `variable` for anything that is not a region code, and for duplicates.
 *
 * @example
 * ```ts
 * parseRegionList('eu-west-1, ap-southeast-2', 'TOKEN_CACHE_REPLICA_REGIONS'); // ['eu-west-1', 'ap-southeast-2']
 * ```
 */
export function parseRegionList(value: string | undefined, variable: string): string[] {
  const regions = (value ?? '')
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
  for (const [index, region] of regions.entries()) {
    if (!REGION_PATTERN.test(region)) {
      throw new ConfigError(variable, `a comma-separated list of AWS regions such as "eu-west-1"`);
    }
    if (regions.indexOf(region) !== index) {
      throw new ConfigError(variable, `a list without duplicates (${region} appears twice)`);
    }
  }
  return regions;
}

/** Options of {@link multiRegionStoreFor}. */
export interface MultiRegionStoreForOptions {
  readonly primaryRegion: string;
  readonly replicaRegions: readonly string[];
  /** Where this process runs (`AWS_REGION`). */
  readonly localRegion: string;
  /** Makes the store of one region, e.g. an `SsmStore` with a client for that region. */
  readonly storeFor: (region: string) => SharedStore;
  readonly onEvent?: TokenCacheListener;
  readonly clock?: Clock;
  /** See {@link MultiRegionStoreOptions.primaryCheckWithinMs}: normally the cache's refresh window. */
  readonly primaryCheckWithinMs?: number;
}

/**
 * The store for a region list: the plain primary store when there are no replicas, a
 * {@link MultiRegionStore} otherwise.
 *
 * @example
 * ```ts
 * const store = multiRegionStoreFor({
 *   primaryRegion: 'us-west-2',
 *   replicaRegions: parseRegionList(process.env.TOKEN_CACHE_REPLICA_REGIONS, 'TOKEN_CACHE_REPLICA_REGIONS'),
 *   localRegion: process.env.AWS_REGION ?? 'us-west-2',
 *   storeFor: (region) => new SsmStore({ parameterName, region }),
 * });
 * ```
 */
export function multiRegionStoreFor(options: MultiRegionStoreForOptions): SharedStore {
  const replicas = options.replicaRegions.filter((region) => region !== options.primaryRegion);
  if (replicas.length === 0) {
    // Without replicas every region reads the primary directly: cross-region, but shared.
    return options.storeFor(options.primaryRegion);
  }
  return new MultiRegionStore({
    primary: { region: options.primaryRegion, store: options.storeFor(options.primaryRegion) },
    replicas: replicas.map((region) => ({ region, store: options.storeFor(region) })),
    localRegion: options.localRegion,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.primaryCheckWithinMs === undefined
      ? {}
      : { primaryCheckWithinMs: options.primaryCheckWithinMs }),
  });
}
