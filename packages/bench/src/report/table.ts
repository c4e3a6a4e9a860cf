/**
 * The results table, as aligned text for the terminal and as Markdown for `docs/`.
 */
import type { ScenarioResult } from '../run-scenario.js';
import type { StrategyResult } from '../summarize.js';
import { boundLines } from './bounds.js';
import { formatCount, formatMs, formatRatio } from './format.js';

/**
 * Column headings, in order.
 *
 * @example
 * ```ts
 * renderTextTable(TABLE_HEADINGS, result.strategies.map(strategyRow));
 * ```
 */
export const TABLE_HEADINGS = [
  'strategy',
  'endpoint calls',
  'minimum',
  '× min',
  'w/o lease',
  'store reads',
  'store writes',
  'throttled',
  'served',
  'no token',
  '…while usable',
  'rejected',
  'p50 ms',
  'p99 ms',
  'max ms',
] as const;

/**
 * One row of the table for a strategy.
 *
 * @example
 * ```ts
 * strategyRow(result.strategies[0]); // ['memory-only', '1,000', '3', '333×', ...]
 * ```
 */
export function strategyRow(strategy: StrategyResult): string[] {
  return [
    strategy.name,
    formatCount(strategy.endpointCalls),
    formatCount(strategy.physicalMinimum),
    formatRatio(strategy.endpointCalls, strategy.physicalMinimum),
    formatCount(strategy.endpointCallsWithoutLease),
    formatCount(strategy.storeReads),
    formatCount(strategy.storeWrites),
    formatCount(strategy.ssmThrottles),
    `${formatCount(strategy.served)}/${formatCount(strategy.invocations)}`,
    formatCount(strategy.withoutToken),
    formatCount(strategy.withoutTokenWhileUsable),
    formatCount(strategy.rejectedByApi),
    formatMs(strategy.p50Ms),
    formatMs(strategy.p99Ms),
    formatMs(strategy.maxMs),
  ];
}

/**
 * Aligned plain-text table (first column left-aligned, numbers right-aligned).
 *
 * @example
 * ```ts
 * console.log(renderTextTable(['a', 'b'], [['x', '1']]));
 * ```
 */
export function renderTextTable(headings: readonly string[], rows: readonly string[][]): string {
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headings), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

/**
 * A Markdown table (numbers right-aligned).
 *
 * @example
 * ```ts
 * renderMarkdownTable(['a', 'b'], [['x', '1']]); // '| a | b |\n|:--|--:|\n| x | 1 |'
 * ```
 */
export function renderMarkdownTable(
  headings: readonly string[],
  rows: readonly string[][],
): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const align = headings.map((_, column) => (column === 0 ? ':--' : '--:'));
  return [line(headings), `|${align.join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * A scenario's heading and table, as text.
 *
 * @example
 * ```ts
 * console.log(scenarioText(result));
 * ```
 */
export function scenarioText(result: ScenarioResult): string {
  const { setup } = result;
  const details = [
    `${formatCount(setup.containers)} containers`,
    `${formatCount(setup.invocations)} invocations`,
    `token ${setup.tokenLifetimeS} s`,
    ...(setup.preSeedLifetimeS === undefined
      ? ['empty store']
      : [`pre-seeded token of ${setup.preSeedLifetimeS} s`]),
    ...setup.events.map((event) => `${(event.atMs / 1000).toFixed(1)} s: ${event.label}`),
  ];
  return [
    `${result.name}: ${result.title}`,
    `  (${details.join('; ')})`,
    renderTextTable(TABLE_HEADINGS, result.strategies.map(strategyRow)),
    ...boundLines(result).map((line) => `  bound: ${line}`),
  ].join('\n');
}
