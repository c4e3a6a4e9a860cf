/**
 * Baseline (d): what a team would write with well-known libraries instead of this one.
 * Powertools Parameters reads the shared token (`getParameter` with `maxAge`, then with
 * `forceFetch` when the cached copy is too close to expiry) and writes it (`setParameter`,
 * a `SecureString` holding `{ accessToken, expiresAt }`); a module-level variable keeps the
 * token in memory with the 5-minute buffer; any read failure is a miss; no lease, so every
 * container that misses calls the IdP itself.
 *
 * `getParameter`/`setParameter` are thin wrappers over one module-level `SSMProvider`. The
 * simulated containers share this process's modules, so each builds its own provider (the same
 * `get`/`set` calls) instead: a real Lambda environment would have its own module instance.
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { createCrashSwitch, NO_CRASH } from '../crash-switch.js';
import { stackSsmClient } from './aws-clients.js';
import { fetchSeedToken } from './seed-fetch.js';
import type { AcquiredToken, SimulatedContainer, Strategy } from './types.js';

function parseStored(value: unknown): AcquiredToken | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { accessToken, expiresAt } = value as Record<string, unknown>;
  return typeof accessToken === 'string' && typeof expiresAt === 'number'
    ? { accessToken, expiresAt }
    : undefined;
}

/**
 * The powertools-parameters strategy.
 *
 * @example
 * ```ts
 * const run = await powertoolsParameters.open(environment);
 * await run.createContainer().getToken(); // memory → getParameter (maxAge) → IdP + setParameter
 * ```
 */
export const powertoolsParameters: Strategy = {
  name: 'powertools-parameters',
  summary:
    'Powertools Parameters getParameter (maxAge, then forceFetch) and setParameter (SecureString JSON), a memory cache, no lease',
  async open({ stack, timing, parameterName }) {
    // Powertools' maxAge is whole seconds (it sets the expiry with Date#setSeconds). The
    // refresh window, rounded down, keeps a cached copy no older than the buffer it guards.
    const maxAge = Math.max(1, Math.floor(timing.refreshWindowMs / 1000));
    const bufferMs = timing.refreshWindowMs;
    const fresh = (token: AcquiredToken | undefined) =>
      token !== undefined && token.expiresAt > Date.now() + bufferMs ? token : undefined;
    return {
      createContainer(options = {}): SimulatedContainer {
        const crashAfter = options.crashAfterEndpointResponse === true;
        const crash = crashAfter ? createCrashSwitch() : NO_CRASH;
        // The SDK's default client (3 attempts, no timeouts), as Powertools builds it.
        const client = stackSsmClient(stack);
        const provider = new SSMProvider({ awsSdkV3Client: client });
        let cached: AcquiredToken | undefined;

        const readShared = async (forceFetch: boolean): Promise<AcquiredToken | undefined> => {
          try {
            const value = await crash.gate(() =>
              provider.get(parameterName, {
                maxAge,
                decrypt: true,
                transform: 'json',
                ...(forceFetch ? { forceFetch: true } : {}),
              }),
            );
            return parseStored(value);
          } catch {
            return undefined; // a missing parameter, throttling, a bad value: a miss
          }
        };
        const fetchAndSave = async () => {
          const fetched = await fetchSeedToken(stack, crash, crashAfter);
          cached = fetched;
          try {
            await crash.gate(() =>
              provider.set(parameterName, {
                value: JSON.stringify(fetched),
                parameterType: 'SecureString',
                overwrite: true,
              }),
            );
          } catch {
            // Logged and ignored: the memory cache still has the token.
          }
          return fetched;
        };
        return {
          async getToken() {
            const held = fresh(cached);
            if (held) return held;
            // Re-read past the provider's cache only when its copy is too old to use.
            const first = await readShared(false);
            const shared = fresh(first) ?? (first ? fresh(await readShared(true)) : undefined);
            if (shared) {
              cached = shared;
              return shared;
            }
            return fetchAndSave();
          },
          refreshNow: fetchAndSave,
          dispose: () => client.destroy(),
        };
      },
      async close() {},
    };
  },
};
