/**
 * What `bench:fleet` and `demo` print on stdout once the runs are done.
 */
import type { MonthlyProjection } from '../projections.js';
import type { ScenarioResult } from '../run-scenario.js';
import { formatCount } from './format.js';
import { renderTextTable, scenarioText } from './table.js';

/**
 * Every scenario's table, then the projections.
 *
 * @example
 * ```ts
 * process.stdout.write(consoleReport(results, projections));
 * ```
 */
export function consoleReport(
  results: readonly ScenarioResult[],
  projections: readonly MonthlyProjection[],
): string {
  const parts = results.map(scenarioText);
  if (projections.length > 0) {
    parts.push(
      [
        'Monthly projections (from steady; formulas in docs/benchmarks.md):',
        renderTextTable(
          ['profile', 'strategy', 'endpoint calls', 'SSM reads', 'SSM writes', 'Auth0 free plan'],
          projections.map((row) => [
            row.profile,
            row.strategy,
            formatCount(row.endpointCalls),
            formatCount(row.ssmReads),
            formatCount(row.ssmWrites),
            row.withinAuth0FreePlan ? 'fits' : 'exceeds',
          ]),
        ),
      ].join('\n'),
    );
  }
  return `${parts.join('\n\n')}\n`;
}
