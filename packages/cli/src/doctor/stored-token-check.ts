/**
 * Doctor check: would the fleet, configured as now, serve the stored token? (The same decoder a
 * container runs on a store read.)
 */
import {
  freshnessPolicy,
  type TokenCacheSettings,
  type TokenIdentity,
} from '@token-cache/core/internal';
import { formatDuration } from '../duration.js';
import { analyseStoredValue } from '../stored-value.js';
import { type CheckResult, check } from './check.js';

/**
 * Whether the stored token would be served by the fleet as configured.
 *
 * @example
 * ```ts
 * const result = checkStoredToken(settings, parameter?.value, identity, Date.now());
 * ```
 */
export function checkStoredToken(
  settings: TokenCacheSettings,
  storedValue: string | undefined,
  identity: TokenIdentity | undefined,
  now: number,
): CheckResult {
  const title = 'Stored token is usable by this configuration';
  if (storedValue === undefined) {
    return check('stored-token', title, 'skip', 'nothing could be read from the store');
  }
  const policy = freshnessPolicy({
    refreshWindowMs: settings.refreshWindowMs,
    minRemainingMs: settings.minRemainingMs,
  });
  const { facts: value } = analyseStoredValue(storedValue, now, policy, identity);
  if (value.format === 'placeholder') {
    return check(
      'stored-token',
      title,
      'pass',
      'no token stored yet ("not-initialized"): the first getToken() stores one',
    );
  }
  const expires =
    value.expiresAt === undefined ? '' : `, expires in ${formatDuration(value.expiresAt - now)}`;
  if (value.verdict === undefined) {
    return check(
      'stored-token',
      title,
      'skip',
      `${value.format}${expires}; credentials unavailable to judge it`,
    );
  }
  if (value.verdict === 'usable') {
    return check(
      'stored-token',
      title,
      'pass',
      `${value.format} for client ${value.clientId ?? value.claims?.azp ?? '?'}, ${value.freshness}${expires}`,
    );
  }
  const fixes: Record<string, string> = {
    expired:
      'Nothing to do: the next getToken() replaces it (run `token-cache refresh` to do it now).',
    'foreign-issuer':
      'Another tenant wrote it: check AUTH0_DOMAIN across functions, or give each tenant its own parameter.',
    'foreign-audience':
      'It is for another API: check AUTH0_AUDIENCE, or give each audience its own parameter.',
    'foreign-client':
      'Another client wrote it: check AUTH0_M2M_CLIENT_ID across functions (or list both during a rotation).',
  };
  return check(
    'stored-token',
    title,
    'warn',
    `the fleet would not serve it (${value.verdict})${expires}; it is replaced on the next refresh`,
    fixes[value.verdict] ?? 'Run `token-cache clear` then `token-cache refresh`.',
  );
}
