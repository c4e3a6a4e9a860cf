/**
 * The vocabulary of `token-cache doctor`: a check's outcome and how a list of them is summed up.
 */

/** A check's outcome: `fail` makes doctor exit 1; `warn` is worth reading but not broken. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One line of the checklist. */
export interface CheckResult {
  /** Stable id for scripts, e.g. `store-write`. */
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about a `fail` or `warn`. */
  readonly fix?: string;
}

/**
 * Builds a result; `fix` is dropped for passing checks so the output stays short.
 *
 * @example
 * ```ts
 * check('config', 'Configuration', 'pass', 'auth0 provider, ssm store');
 * ```
 */
export function check(
  id: string,
  title: string,
  status: CheckStatus,
  detail: string,
  fix?: string,
): CheckResult {
  return { id, title, status, detail, ...(fix !== undefined && status !== 'pass' ? { fix } : {}) };
}

/**
 * Counts results per status.
 *
 * @example
 * ```ts
 * summarise(results).fail; // 0 when healthy
 * ```
 */
export function summarise(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) summary[result.status] += 1;
  return summary;
}
