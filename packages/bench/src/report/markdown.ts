/**
 * The results as Markdown, for `docs/benchmarks.md`: per scenario its setup and table, then
 * the monthly projections with their formulas.
 */
import {
  AUTH0_FREE_TOKENS_PER_MONTH,
  MONTHLY_PROFILES,
  type MonthlyProjection,
  TOKEN_LIFETIMES_PER_MONTH,
} from '../projections.js';
import type { ScenarioResult } from '../run-scenario.js';
import { boundLines } from './bounds.js';
import { formatCount } from './format.js';
import { renderMarkdownTable, strategyRow, TABLE_HEADINGS } from './table.js';

/**
 * Markdown for every scenario.
 *
 * @example
 * ```ts
 * const text = scenariosMarkdown(results);
 * ```
 */
export function scenariosMarkdown(results: readonly ScenarioResult[]): string {
  return results
    .map((result) => {
      const { setup } = result;
      const facts = [
        `${formatCount(setup.containers)} containers, ${formatCount(setup.invocations)} invocations over ${(setup.traceDurationMs / 1000).toFixed(1)} s`,
        setup.preSeedLifetimeS === undefined
          ? 'the store starts empty'
          : `a token with ${setup.preSeedLifetimeS} s of life is in the store when the run starts`,
        ...setup.events.map((event) => `at ${(event.atMs / 1000).toFixed(1)} s: ${event.label}`),
      ];
      return [
        `### \`${result.name}\`: ${result.title}`,
        '',
        `${facts.join('; ')}.`,
        '',
        renderMarkdownTable(TABLE_HEADINGS, result.strategies.map(strategyRow)),
        ...(result.bounds?.length
          ? ['', ...boundLines(result).map((line) => `- Bound: ${line}`)]
          : []),
      ].join('\n');
    })
    .join('\n\n');
}

/**
 * Markdown for the projections.
 *
 * @example
 * ```ts
 * const text = projectionsMarkdown(projectMonthly(steady.strategies, steady.setup.containers));
 * ```
 */
export function projectionsMarkdown(rows: readonly MonthlyProjection[]): string {
  const headings = [
    'profile',
    'strategy',
    'endpoint calls / month',
    'SSM reads / month',
    'SSM writes / month',
    `within Auth0 free plan (${formatCount(AUTH0_FREE_TOKENS_PER_MONTH)})`,
  ];
  const table = renderMarkdownTable(
    headings,
    rows.map((row) => [
      row.profile,
      row.strategy,
      formatCount(row.endpointCalls),
      formatCount(row.ssmReads),
      formatCount(row.ssmWrites),
      row.withinAuth0FreePlan ? 'yes' : 'no',
    ]),
  );
  const profiles = MONTHLY_PROFILES.map(
    (profile) =>
      `- \`${profile.name}\`: ${profile.description} (C = ${formatCount(profile.coldStartsPerMonth)}).`,
  ).join('\n');
  return [
    profiles,
    '',
    `Formulas, with C cold starts a month and ${TOKEN_LIFETIMES_PER_MONTH} lifetimes of a 24-h token a month, from the rates measured in \`steady\`:`,
    '',
    '- `memory-only`, `seed-two-tier`: a container (15–45 min) lives far less than a token (24 h), so every cold start costs what it cost in `steady`: endpoint calls = C × (calls ÷ cold starts); SSM reads and writes likewise.',
    `- \`shared\`: endpoint calls = min(C, ${TOKEN_LIFETIMES_PER_MONTH}) × (calls ÷ physical minimum), at most one refresh per 24-h lifetime that sees traffic; SSM writes = min(C, ${TOKEN_LIFETIMES_PER_MONTH}) × (writes ÷ physical minimum); SSM reads = C × (reads ÷ cold starts).`,
    '',
    table,
  ].join('\n');
}
