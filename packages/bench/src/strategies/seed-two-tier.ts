/**
 * Baseline (b): the seed's proposed two-tier design, reproduced in behaviour from its
 * description (not its code):
 * - memory first, with the 5-minute buffer;
 * - then `GetParameter`, keeping the expiry in the parameter's `Description`. `GetParameter`
 *   never returns `Description` (only `DescribeParameters` does: SSM API reference,
 *   GetParameter response elements), so this tier never hits;
 * - then the IdP, and a `String` (not `SecureString`) `PutParameter` with `Overwrite` on every
 *   miss, awaited, its errors swallowed;
 * - the SDK's default client: 3 attempts with its own backoff, no timeouts.
 */
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { createCrashSwitch, NO_CRASH } from '../crash-switch.js';
import { stackSsmClient } from './aws-clients.js';
import { fetchSeedToken } from './seed-fetch.js';
import type { AcquiredToken, SimulatedContainer, Strategy } from './types.js';

const EXPIRY_IN_DESCRIPTION = /expires:(\d+)/;

/**
 * The seed-two-tier strategy.
 *
 * @example
 * ```ts
 * const run = await seedTwoTier.open(environment);
 * await run.createContainer().getToken(); // GetParameter (miss), IdP, PutParameter
 * ```
 */
export const seedTwoTier: Strategy = {
  name: 'seed-two-tier',
  summary:
    'memory, then GetParameter with the expiry in Description (never returned: always a miss), then the IdP and a String PutParameter',
  async open({ stack, timing, parameterName }) {
    return {
      createContainer(options = {}): SimulatedContainer {
        const crash = options.crashAfterEndpointResponse ? createCrashSwitch() : NO_CRASH;
        const crashAfter = options.crashAfterEndpointResponse === true;
        const ssm = stackSsmClient(stack);
        let cached: AcquiredToken | undefined;
        const bufferMs = timing.refreshWindowMs;

        const readShared = async (): Promise<AcquiredToken | undefined> => {
          try {
            const { Parameter } = await crash.gate(() =>
              ssm.send(new GetParameterCommand({ Name: parameterName })),
            );
            // The design reads the expiry from Description, which GetParameter does not return.
            const description = (Parameter as { Description?: string } | undefined)?.Description;
            const match =
              description === undefined ? null : EXPIRY_IN_DESCRIPTION.exec(description);
            if (Parameter?.Value === undefined || match?.[1] === undefined) return undefined;
            const expiresAt = Number(match[1]);
            return expiresAt > Date.now() + bufferMs
              ? { accessToken: Parameter.Value, expiresAt }
              : undefined;
          } catch {
            return undefined; // the design logs a warning and treats any failure as a miss
          }
        };
        const fetchAndSave = async () => {
          const fetched = await fetchSeedToken(stack, crash, crashAfter);
          cached = fetched;
          try {
            await crash.gate(() =>
              ssm.send(
                new PutParameterCommand({
                  Name: parameterName,
                  Value: fetched.accessToken,
                  Type: 'String',
                  Description: `expires:${fetched.expiresAt}`,
                  Overwrite: true,
                }),
              ),
            );
          } catch {
            // The design logs and carries on: the memory tier still has the token.
          }
          return fetched;
        };
        return {
          async getToken() {
            if (cached !== undefined && cached.expiresAt > Date.now() + bufferMs) return cached;
            const shared = await readShared();
            if (shared !== undefined) {
              cached = shared;
              return shared;
            }
            return fetchAndSave();
          },
          refreshNow: fetchAndSave,
          dispose: () => ssm.destroy(),
        };
      },
      async close() {},
    };
  },
};
