/**
 * SSM Parameter Store naming rules, checked before any request so a bad name fails at start-up
 * with a message naming the setting, not at the first `PutParameter` with a `ValidationException`.
 * Rules from the `PutParameter` API reference ("Naming Constraints").
 */
import { ConfigError } from '../errors.js';

/** Longest ARN a parameter may have; the name counts with its `arn:...:parameter` prefix. */
const MAX_ARN_LENGTH = 1011;
/** Hierarchies are limited to fifteen levels. */
const MAX_HIERARCHY_DEPTH = 15;
/** The shortest ARN prefix before a name: partition `aws`, a 12-digit account. */
const arnPrefixLength = (region: string) => `arn:aws:ssm:${region}:123456789012:parameter`.length;

/**
 * The suffix of the lock parameter kept beside the cache parameter (issue 4's lease). The
 * Terraform policy grants exactly `${parameterName}-lock`.
 */
export const LOCK_PARAMETER_SUFFIX = '-lock';

/**
 * Throws a `ConfigError` naming `variable` unless `name` is a valid SSM parameter name:
 * only `a-zA-Z0-9_.-` and `/`; a hierarchical name starts with `/`, has no empty level and at
 * most 15 levels; no level may start with `aws` or `ssm` (case-insensitive); the ARN it yields
 * in `region` is at most 1,011 characters.
 *
 * @example
 * ```ts
 * validateParameterName('/vwc/dev/auth0-token-cache', 'AUTH0_TOKEN_PARAMETER_NAME'); // ok
 * validateParameterName('vwc dev', 'AUTH0_TOKEN_PARAMETER_NAME'); // throws ConfigError
 * ```
 */
export function validateParameterName(name: string, variable: string, region = 'us-west-2'): void {
  const fail = (problem: string) =>
    new ConfigError(variable, `a valid SSM parameter name (${problem}), got "${printable(name)}"`);
  if (typeof name !== 'string' || name.length === 0) throw fail('it is empty');
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw fail('only letters, digits, "_", ".", "-" and "/" are allowed');
  }
  const hierarchical = name.includes('/');
  if (hierarchical && !name.startsWith('/')) {
    throw fail('a name with "/" levels must start with "/"');
  }
  const levels = hierarchical ? name.slice(1).split('/') : [name];
  if (levels.some((level) => level.length === 0)) {
    throw fail('no empty level: no "//" and no trailing "/"');
  }
  if (levels.length > MAX_HIERARCHY_DEPTH) {
    throw fail(`at most ${MAX_HIERARCHY_DEPTH} levels`);
  }
  // AWS reserves the prefixes for its own parameters (e.g. /aws/service/...).
  const first = levels[0]?.toLowerCase() ?? '';
  if (first.startsWith('aws') || first.startsWith('ssm')) {
    throw fail('it may not begin with "aws" or "ssm"');
  }
  const arnLength = arnPrefixLength(region) + (hierarchical ? 0 : 1) + name.length;
  if (arnLength > MAX_ARN_LENGTH) {
    throw fail(`its ARN would be ${arnLength} characters; the limit is ${MAX_ARN_LENGTH}`);
  }
}

/**
 * The lock (lease) parameter name for a cache parameter.
 *
 * @example
 * ```ts
 * lockParameterName('/vwc/dev/auth0-token-cache'); // '/vwc/dev/auth0-token-cache-lock'
 * ```
 */
export function lockParameterName(parameterName: string): string {
  return `${parameterName}${LOCK_PARAMETER_SUFFIX}`;
}

/** Echo names in errors, but never control characters or an unbounded string. */
function printable(name: unknown): string {
  const text = String(name).replace(/[^\x20-\x7e]/g, '?');
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
