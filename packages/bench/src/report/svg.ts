/**
 * The chart: cumulative token-endpoint calls over time, one panel per scenario, one line per
 * strategy. Hand-written SVG (no dependency). The y axis is logarithmic: memory-only reaches
 * hundreds of calls while shared stays at one or two, and both must stay readable.
 */
import type { ScenarioResult } from '../run-scenario.js';

const CHART_TITLE =
  'Token-endpoint calls over time (cumulative, log scale), per scenario and strategy';

/**
 * Line colours per strategy (colour-blind-safe Okabe–Ito palette).
 *
 * @example
 * ```ts
 * STRATEGY_COLOURS.shared; // '#009E73'
 * ```
 */
export const STRATEGY_COLOURS: Readonly<Record<string, string>> = {
  'memory-only': '#D55E00',
  'seed-two-tier': '#E69F00',
  'powertools-parameters': '#CC79A7',
  shared: '#009E73',
  'shared-dynamodb': '#0072B2',
};

const PANEL_WIDTH = 460;
const PANEL_HEIGHT = 260;
const COLUMNS = 2;
const MARGIN = { top: 46, right: 16, bottom: 40, left: 56 };
const HEADER_HEIGHT = 64;

/**
 * Escapes text for SVG content and attribute values.
 *
 * @example
 * ```ts
 * escapeXml('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 * ```
 */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

// log10(1 + calls): 0 calls sits on the axis, 1 at log10(2), 1,000 at ~3.
const logScale = (calls: number) => Math.log10(1 + Math.max(0, calls));

/**
 * Renders the whole chart.
 *
 * @example
 * ```ts
 * writeFileSync('docs/fleet.svg', renderFleetSvg(results));
 * ```
 */
export function renderFleetSvg(scenarios: readonly ScenarioResult[]): string {
  const rows = Math.max(1, Math.ceil(scenarios.length / COLUMNS));
  const width = PANEL_WIDTH * COLUMNS;
  const height = HEADER_HEIGHT + PANEL_HEIGHT * rows;
  const strategies = [...new Set(scenarios.flatMap((s) => s.strategies.map((r) => r.name)))];
  const legend = strategies
    .map((name, index) => {
      const x = 16 + index * 170;
      const colour = STRATEGY_COLOURS[name] ?? '#444444';
      return `<g transform="translate(${x},44)"><line x1="0" y1="-4" x2="22" y2="-4" stroke="${colour}" stroke-width="3"/><text x="28" y="0">${escapeXml(name)}</text></g>`;
    })
    .join('');
  const panels = scenarios
    .map((scenario, index) =>
      renderPanel(
        scenario,
        (index % COLUMNS) * PANEL_WIDTH,
        HEADER_HEIGHT + Math.floor(index / COLUMNS) * PANEL_HEIGHT,
      ),
    )
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" role="img">`,
    // The accessible name, for screen readers and for Biome's a11y lint on the committed chart.
    `<title>${CHART_TITLE}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="22" font-size="15" font-weight="bold">${CHART_TITLE}</text>`,
    legend,
    panels,
    '</svg>',
    '',
  ].join('\n');
}

function renderPanel(scenario: ScenarioResult, left: number, top: number): string {
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxMs = Math.max(1_000, ...scenario.strategies.flatMap((s) => s.series.map(([at]) => at)));
  const maxCalls = Math.max(1, ...scenario.strategies.map((s) => s.endpointCalls));
  const yTop = Math.max(1, Math.ceil(logScale(maxCalls)));
  const x = (ms: number) => MARGIN.left + (ms / maxMs) * plotWidth;
  const y = (calls: number) => MARGIN.top + plotHeight - (logScale(calls) / yTop) * plotHeight;

  const yTicks = [0, 1, 10, 100, 1_000, 10_000].filter((calls) => logScale(calls) <= yTop + 1e-9);
  const xStep = niceStepSeconds(maxMs / 1000);
  const xTicks: number[] = [];
  for (let s = 0; s * 1000 <= maxMs; s += xStep) xTicks.push(s);

  const grid = [
    ...yTicks.map(
      (calls) =>
        `<line x1="${MARGIN.left}" y1="${y(calls).toFixed(1)}" x2="${MARGIN.left + plotWidth}" y2="${y(calls).toFixed(1)}" stroke="#e5e5e5"/>` +
        `<text x="${MARGIN.left - 6}" y="${(y(calls) + 4).toFixed(1)}" text-anchor="end">${calls.toLocaleString('en-US')}</text>`,
    ),
    ...xTicks.map(
      (s) =>
        `<text x="${x(s * 1000).toFixed(1)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${s}</text>`,
    ),
  ].join('');
  const lines = scenario.strategies
    .map((strategy) => {
      const colour = STRATEGY_COLOURS[strategy.name] ?? '#444444';
      // A step line: calls are counted at sample times and stay constant in between.
      let previous = 0;
      const points: string[] = [`${x(0).toFixed(1)},${y(0).toFixed(1)}`];
      for (const [at, calls] of strategy.series) {
        points.push(`${x(at).toFixed(1)},${y(previous).toFixed(1)}`);
        points.push(`${x(at).toFixed(1)},${y(calls).toFixed(1)}`);
        previous = calls;
      }
      return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"><title>${escapeXml(`${strategy.name}: ${strategy.endpointCalls} calls`)}</title></polyline>`;
    })
    .join('');
  return [
    `<g transform="translate(${left},${top})">`,
    `<text x="${MARGIN.left}" y="22" font-weight="bold">${escapeXml(scenario.name)}</text>`,
    `<text x="${MARGIN.left}" y="36" fill="#555555" font-size="10">${escapeXml(truncate(scenario.title, 72))}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999999"/>`,
    grid,
    lines,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${PANEL_HEIGHT - 6}" text-anchor="middle" fill="#555555">seconds into the run</text>`,
    `<text transform="translate(14,${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#555555">endpoint calls</text>`,
    '</g>',
  ].join('');
}

function niceStepSeconds(totalSeconds: number): number {
  for (const step of [1, 2, 5, 10, 20, 30, 60]) if (totalSeconds / step <= 10) return step;
  return 120;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
