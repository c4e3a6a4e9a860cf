/**
 * The bounds under a scenario's table: each bound with its reason, what the strategies it is
 * meant for did against it (met or not), and the baselines' numbers beside it.
 */
import type { BoundOutcome } from '../bounds.js';
import type { ScenarioResult } from '../run-scenario.js';
import { formatCount } from './format.js';

function value(metric: BoundOutcome['metric'], n: number): string {
  if (!Number.isFinite(n)) return 'none';
  return metric === 'firstTokenIssuedAtMs' ? `${(n / 1000).toFixed(1)} s` : formatCount(n);
}

/**
 * One line per bound.
 *
 * @example
 * ```ts
 * boundLines(result); // ['endpoint calls ≤ 2 per error back-off …: shared 4 ≤ 10 ✓; memory-only 200']
 * ```
 */
export function boundLines(result: ScenarioResult): string[] {
  return (result.bounds ?? []).map((bound) => {
    const checked = bound.results
      .filter((r) => bound.strategies.includes(r.strategy))
      .map(
        (r) =>
          `${r.strategy} ${value(bound.metric, r.actual)} ≤ ${value(bound.metric, r.atMost)} ${r.met ? '✓' : '✗ NOT MET'}`,
      );
    const others = bound.results
      .filter((r) => !bound.strategies.includes(r.strategy))
      .map((r) => `${r.strategy} ${value(bound.metric, r.actual)}`);
    const parts = [
      checked.join(', '),
      ...(others.length > 0 ? [`for comparison ${others.join(', ')}`] : []),
    ];
    return `${bound.label} (${bound.metric}): ${parts.filter((part) => part !== '').join('; ')}`;
  });
}
