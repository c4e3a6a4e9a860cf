/**
 * What a stored value is judged by: the configured identity and the freshness policy.
 */
import {
  type FreshnessPolicy,
  freshnessPolicy,
  type TokenIdentity,
} from '@token-cache/core/internal';
import { configuredEndpoint } from '../configured-source.js';
import type { CliContext } from '../context.js';

/**
 * The configured identity and freshness policy a stored value is judged by. The identity is
 * `undefined` when the credentials cannot be read: inspect still shows what is stored.
 *
 * @example
 * ```ts
 * const { identity, policy } = await judgement(context);
 * ```
 */
export async function judgement(
  context: CliContext,
): Promise<{ identity: TokenIdentity | undefined; policy: FreshnessPolicy }> {
  const settings = context.settings();
  const identity = await context
    .credentials()
    .then((values) => configuredEndpoint(settings, values).identity)
    .catch(() => undefined);
  const policy = freshnessPolicy({
    refreshWindowMs: settings.refreshWindowMs,
    minRemainingMs: settings.minRemainingMs,
  });
  return { identity, policy };
}
