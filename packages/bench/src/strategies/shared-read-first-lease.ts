/**
 * EXPERIMENT, not a product strategy: `shared` with one change to how the lease is taken,
 * made from outside the library by a store decorator, to measure a proposed library fix.
 *
 * The library takes the lease with create-if-absent (`PutParameter Overwrite=false`) before
 * looking at it. On SSM every such attempt draws from the account's 3 writes/s, even when it
 * fails with `ParameterAlreadyExists`; when dozens of containers reach their refresh point
 * together they throttle each other — and the holder's own token write — for seconds. Reading
 * the lease first (a read: 40/s) and creating only when it is absent costs one extra read and
 * turns those failed writes into reads. This decorator does exactly that to `create`.
 */
import { type SharedStore, SsmStore } from '@token-cache/core';
import { createCrashSwitch, NO_CRASH } from '../crash-switch.js';
import { stackSsmClient } from './aws-clients.js';
import { createEventTally } from './event-tally.js';
import { sharedContainer } from './shared-cache.js';
import type { Strategy } from './types.js';

/**
 * A store whose `create` reads first and reports "already exists" without writing when a
 * record is there (the atomic create still decides every real race).
 *
 * @example
 * ```ts
 * const store = readBeforeCreate(new SsmStore({ parameterName }));
 * await store.create('lease', value); // a GetParameter, then PutParameter only if absent
 * ```
 */
export function readBeforeCreate(store: SharedStore): SharedStore {
  return {
    description: store.description,
    maxValueLength: store.maxValueLength,
    supportsCompareAndSet: store.supportsCompareAndSet,
    get: (key, options) => store.get(key, options),
    async create(key, value, options) {
      if ((await store.get(key, options)) !== undefined) return false;
      return store.create(key, value, options);
    },
    put: (key, value, options) => store.put(key, value, options),
    delete: (key, options) => store.delete(key, options),
  };
}

/**
 * The experiment, selectable with `--strategies shared,shared-read-first-lease`.
 *
 * @example
 * ```ts
 * const run = await sharedReadFirstLease.open(environment);
 * ```
 */
export const sharedReadFirstLease: Strategy = {
  name: 'shared-read-first-lease',
  summary: 'EXPERIMENT: shared, with the lease read before the create-if-absent write',
  async open({ stack, timing, parameterName }) {
    const events = createEventTally();
    return {
      events,
      createContainer(options = {}) {
        const crashAfter = options.crashAfterEndpointResponse === true;
        const client = stackSsmClient(stack, {
          maxAttempts: 1,
          requestHandler: { connectionTimeout: 2_000, requestTimeout: 2_000 },
        });
        return sharedContainer({
          stack,
          timing,
          store: readBeforeCreate(new SsmStore({ parameterName, client })),
          crash: crashAfter ? createCrashSwitch() : NO_CRASH,
          crashAfterEndpointResponse: crashAfter,
          onEvent: events.listener,
          dispose: () => client.destroy(),
        });
      },
      async close() {},
    };
  },
};
