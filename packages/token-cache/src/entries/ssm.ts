/**
 * `@token-cache/core/ssm`: the shared store on SSM Parameter Store (the default store), and the
 * names it derives. Needs `@aws-sdk/client-ssm`.
 */
export {
  LOCK_PARAMETER_SUFFIX,
  lockParameterName,
  validateParameterName,
} from '../stores/ssm-names.js';
export type { SsmStoreOptions, SsmTier } from '../stores/ssm-store.js';
export {
  DEFAULT_SSM_TIMEOUT_MS,
  SSM_TIER_MAX_VALUE_LENGTH,
  SsmStore,
} from '../stores/ssm-store.js';
