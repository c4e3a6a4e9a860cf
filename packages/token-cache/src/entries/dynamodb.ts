/**
 * `@token-cache/core/dynamodb`: the shared store on a DynamoDB table (real compare-and-set, for
 * fleets whose cold starts exceed SSM's read quota). Needs `@aws-sdk/client-dynamodb`.
 */
export type { DynamoDbStoreOptions } from '../stores/dynamodb-store.js';
export {
  DEFAULT_DYNAMODB_ITEM_KEY,
  DEFAULT_DYNAMODB_TIMEOUT_MS,
  DYNAMODB_ITEM_ATTRIBUTES,
  DYNAMODB_MAX_VALUE_BYTES,
  DynamoDbStore,
} from '../stores/dynamodb-store.js';
