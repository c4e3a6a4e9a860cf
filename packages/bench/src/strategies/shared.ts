/**
 * Strategy (c): ours. `createTokenCache` + `SsmStore`: memory, then one SSM parameter holding
 * a versioned envelope, then the IdP under a fleet-wide lease.
 */
import { SsmStore } from '@token-cache/core/ssm';
import { createCrashSwitch, NO_CRASH } from '../crash-switch.js';
import { stackSsmClient } from './aws-clients.js';
import { createEventTally } from './event-tally.js';
import { sharedContainer } from './shared-cache.js';
import type { Strategy } from './types.js';

/** Per-call bound, as `SsmStore` uses when it builds its own client. */
const SSM_CALL_TIMEOUT_MS = 2_000;

/**
 * The shared strategy on SSM Parameter Store.
 *
 * @example
 * ```ts
 * const run = await shared.open(environment);
 * await run.createContainer().getToken(); // memory → SSM → IdP (under the lease)
 * ```
 */
export const shared: Strategy = {
  name: 'shared',
  summary:
    'createTokenCache + SsmStore: memory, one SecureString envelope in SSM, the IdP under a fleet-wide lease',
  async open({ stack, timing, parameterName }) {
    const events = createEventTally();
    return {
      events,
      createContainer(options = {}) {
        const crashAfter = options.crashAfterEndpointResponse === true;
        // The same client SsmStore builds by default (one attempt: the cache retries
        // throttling itself inside its deadline), pointed at the stack.
        const client = stackSsmClient(stack, {
          maxAttempts: 1,
          requestHandler: {
            connectionTimeout: SSM_CALL_TIMEOUT_MS,
            requestTimeout: SSM_CALL_TIMEOUT_MS,
          },
        });
        return sharedContainer({
          stack,
          timing,
          store: new SsmStore({ parameterName, client, timeoutMs: SSM_CALL_TIMEOUT_MS }),
          crash: crashAfter ? createCrashSwitch() : NO_CRASH,
          crashAfterEndpointResponse: crashAfter,
          onEvent: events.listener,
          ...(options.clockSkewMs === undefined ? {} : { clockSkewMs: options.clockSkewMs }),
          dispose: () => client.destroy(),
        });
      },
      async close() {},
    };
  },
};
