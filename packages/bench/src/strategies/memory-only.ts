/**
 * Baseline (a): the seed's "current state". A module-level cache per container: a token is
 * reused while it has more than the 5-minute buffer left, otherwise fetched from the IdP.
 * Nothing is shared, so every cold container fetches its own token.
 */
import { createCrashSwitch, NO_CRASH } from '../crash-switch.js';
import { fetchSeedToken } from './seed-fetch.js';
import type { AcquiredToken, SimulatedContainer, Strategy } from './types.js';

/**
 * The memory-only strategy.
 *
 * @example
 * ```ts
 * const run = await memoryOnly.open(environment);
 * await run.createContainer().getToken(); // one IdP call per cold container
 * ```
 */
export const memoryOnly: Strategy = {
  name: 'memory-only',
  summary:
    'module-level cache per container, 5-minute buffer (scaled), one IdP call per cold start',
  async open({ stack, timing }) {
    return {
      createContainer(options = {}): SimulatedContainer {
        const crash = options.crashAfterEndpointResponse ? createCrashSwitch() : NO_CRASH;
        const crashAfter = options.crashAfterEndpointResponse === true;
        // The module-level variable of one Lambda environment.
        let cached: AcquiredToken | undefined;
        const fetchAndKeep = async () => {
          cached = await fetchSeedToken(stack, crash, crashAfter);
          return cached;
        };
        return {
          async getToken() {
            if (cached !== undefined && cached.expiresAt > Date.now() + timing.refreshWindowMs) {
              return cached;
            }
            return fetchAndKeep();
          },
          refreshNow: fetchAndKeep,
          dispose() {},
        };
      },
      async close() {},
    };
  },
};
