/**
 * Strategy (c) on DynamoDB (issue 7): the same cache with `DynamoDbStore` on an on-demand
 * table (dynalite here), which has no fixed read quota like SSM's 40 reads/s.
 */
import { DynamoDbStore } from '@token-cache/core/dynamodb';
import { createCrashSwitch, NO_CRASH } from '../crash-switch.js';
import { createEventTally } from './event-tally.js';
import { sharedContainer } from './shared-cache.js';
import type { Strategy } from './types.js';

/**
 * The table the benchmark creates for each run.
 *
 * @example
 * ```ts
 * await dynamo.createTable(BENCH_TABLE_NAME);
 * ```
 */
export const BENCH_TABLE_NAME = 'bench-token-cache';
const DYNAMODB_CALL_TIMEOUT_MS = 2_000;

/**
 * The shared strategy on DynamoDB.
 *
 * @example
 * ```ts
 * const run = await sharedDynamoDb.open({ ...environment, dynamo });
 * await run.createContainer().getToken(); // memory → DynamoDB → IdP (under the lease)
 * ```
 */
export const sharedDynamoDb: Strategy = {
  name: 'shared-dynamodb',
  summary: 'createTokenCache + DynamoDbStore (on-demand table, conditional writes), no read quota',
  async open({ stack, timing, dynamo }) {
    if (dynamo === undefined) {
      throw new Error(
        'the shared-dynamodb strategy needs a DynamoDB endpoint (environment.dynamo)',
      );
    }
    await dynamo.createTable(BENCH_TABLE_NAME);
    const traffic = async () => {
      const requests = await dynamo.requests();
      const count = (...operations: string[]) =>
        operations.reduce((sum, operation) => sum + (requests[operation] ?? 0), 0);
      return {
        reads: count('GetItem', 'Query', 'Scan', 'BatchGetItem'),
        writes: count('UpdateItem', 'PutItem', 'DeleteItem', 'BatchWriteItem'),
        throttles: 0, // on-demand capacity: dynalite, like DynamoDB on demand, sets no quota
      };
    };
    const events = createEventTally();
    return {
      events,
      createContainer(options = {}) {
        const crashAfter = options.crashAfterEndpointResponse === true;
        // DynamoDbStore's default client: two attempts, bounded calls.
        const client = dynamo.client({
          maxAttempts: 2,
          requestHandler: {
            connectionTimeout: DYNAMODB_CALL_TIMEOUT_MS,
            requestTimeout: DYNAMODB_CALL_TIMEOUT_MS,
          },
        });
        return sharedContainer({
          stack,
          timing,
          store: new DynamoDbStore({ tableName: BENCH_TABLE_NAME, client }),
          crash: crashAfter ? createCrashSwitch() : NO_CRASH,
          crashAfterEndpointResponse: crashAfter,
          onEvent: events.listener,
          ...(options.clockSkewMs === undefined ? {} : { clockSkewMs: options.clockSkewMs }),
          dispose: () => client.destroy(),
        });
      },
      storeTraffic: traffic,
      resetStoreTraffic: () => dynamo.resetRequests(),
      async close() {},
    };
  },
};
