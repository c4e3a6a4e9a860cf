/**
 * `@token-cache/core/multi-region`: one token for a fleet spread over regions, a primary store
 * and its replicas behind one `SharedStore`.
 */
export type { MultiRegionStoreForOptions } from '../stores/multi-region-config.js';
export {
  MULTI_REGION_VARIABLES,
  multiRegionStoreFor,
  parseRegionList,
  REGION_PATTERN,
} from '../stores/multi-region-config.js';
export type { MultiRegionStoreOptions, RegionalStore } from '../stores/multi-region-store.js';
export {
  DEFAULT_PRIMARY_CHECK_WITHIN_MS,
  MultiRegionStore,
} from '../stores/multi-region-store.js';
