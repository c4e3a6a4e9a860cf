/**
 * The strategies by name.
 */
import { memoryOnly } from './memory-only.js';
import { powertoolsParameters } from './powertools-parameters.js';
import { seedTwoTier } from './seed-two-tier.js';
import { shared } from './shared.js';
import { sharedDynamoDb } from './shared-dynamodb.js';
import type { Strategy, StrategyName } from './types.js';

/**
 * Every strategy, keyed by its name.
 *
 * @example
 * ```ts
 * STRATEGIES['memory-only'].summary;
 * ```
 */
export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  'memory-only': memoryOnly,
  'seed-two-tier': seedTwoTier,
  'powertools-parameters': powertoolsParameters,
  shared,
  'shared-dynamodb': sharedDynamoDb,
};
