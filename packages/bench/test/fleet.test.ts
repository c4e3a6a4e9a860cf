/**
 * A tiny fleet run end to end: the same trace through every strategy, each against its
 * own in-process local stack, then the JSON and SVG reports. Behaviour only: counts and
 * shapes, never wall-clock times.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectMonthly } from '../src/projections.js';
import { writeJsonReport } from '../src/report/json.js';
import { renderFleetSvg } from '../src/report/svg.js';
import { scenarioText } from '../src/report/table.js';
import { runScenario, type ScenarioResult } from '../src/run-scenario.js';
import type { Scenario } from '../src/scenarios.js';
import { expectWellFormedXml } from './xml.js';

const TINY: Scenario = {
  name: 'tiny',
  title: '20 containers over 2 s on an empty store',
  strategies: ['memory-only', 'seed-two-tier', 'powertools-parameters', 'shared'],
  trace: { durationMs: 2_000, steadyContainers: 20, invocationGapMs: 100 },
  bounds: () => [
    {
      label: 'tokens issued ≤ physical minimum',
      metric: 'tokensIssued',
      atMost: (r) => r.physicalMinimum,
      strategies: ['shared'],
    },
  ],
};

const STRATEGY_FIELDS = [
  'name',
  'endpointCalls',
  'endpointCallsWithoutLease',
  'physicalMinimum',
  'ssmReads',
  'ssmWrites',
  'ssmThrottles',
  'withoutToken',
  'rejectedByApi',
  'p50Ms',
  'p99Ms',
  'maxMs',
] as const;

let result: ScenarioResult;
const directory = mkdtempSync(join(tmpdir(), 'bench-fleet-'));

beforeAll(async () => {
  result = await runScenario(TINY, { seed: 5, stackMode: 'in-process' });
}, 60_000);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('a tiny fleet run', () => {
  it('writes JSON with every strategy in the documented shape', () => {
    const file = join(directory, 'fleet.json');
    writeJsonReport(file, {
      generatedAt: new Date(0).toISOString(),
      setup: {},
      scenarios: [result],
      projections: projectMonthly(result.strategies, result.setup.containers),
    });
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
      scenarios: Array<{ name: string; strategies: Array<Record<string, unknown>> }>;
    };
    expect(parsed.scenarios.map((scenario) => scenario.name)).toEqual(['tiny']);
    const strategies = parsed.scenarios[0]?.strategies ?? [];
    expect(strategies.map((strategy) => strategy.name)).toEqual([
      'memory-only',
      'seed-two-tier',
      'powertools-parameters',
      'shared',
    ]);
    for (const strategy of strategies) {
      for (const field of STRATEGY_FIELDS) expect(strategy).toHaveProperty(field);
      for (const field of STRATEGY_FIELDS.slice(1)) expect(typeof strategy[field]).toBe('number');
    }
  });

  it('replays the same trace for every strategy', () => {
    expect(result.setup.containers).toBe(20);
    for (const strategy of result.strategies) {
      expect(strategy.coldStarts).toBe(20);
      expect(strategy.invocations).toBe(result.setup.invocations);
      expect(strategy.physicalMinimum).toBe(1);
    }
  });

  it('makes the shared cache call the endpoint less than memory-only, and no token is rejected', () => {
    const byName = Object.fromEntries(result.strategies.map((s) => [s.name, s]));
    expect(byName['memory-only']?.endpointCalls).toBe(20);
    expect(byName['seed-two-tier']?.endpointCalls).toBe(20);
    expect(byName['seed-two-tier']?.ssmReads).toBeGreaterThanOrEqual(20);
    expect(byName.shared?.endpointCalls).toBeLessThan(byName['memory-only']?.endpointCalls ?? 0);
    // Without a lease every call is lease-less; the shared cache made none on a healthy store.
    expect(byName['memory-only']?.endpointCallsWithoutLease).toBe(20);
    expect(byName.shared?.endpointCallsWithoutLease).toBe(0);
    for (const strategy of result.strategies) {
      expect(strategy.rejectedByApi).toBe(0);
      expect(strategy.withoutToken).toBe(0);
      expect(strategy.served).toBe(strategy.invocations);
    }
  });

  it('renders a well-formed SVG with one line per strategy', () => {
    const svg = renderFleetSvg([result, { ...result, name: 'tiny & <escaped>' }]);
    expectWellFormedXml(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(8);
    expect(svg).toContain('tiny &amp; &lt;escaped&gt;');
  });

  it('prints a table with a row per strategy, and the bounds checked', () => {
    const text = scenarioText(result);
    for (const name of ['memory-only', 'seed-two-tier', 'powertools-parameters', 'shared']) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(result.bounds[0]?.results.map((r) => r.strategy)).toHaveLength(4);
    expect(text).toMatch(
      /bound: tokens issued ≤ physical minimum \(tokensIssued\): shared 1 ≤ 1 ✓; for comparison memory-only 20/,
    );
  });
});
