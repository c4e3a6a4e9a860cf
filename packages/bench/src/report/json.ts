/**
 * The machine-readable results (`--out FILE`): `{scenarios: [{name, strategies: [{name,
 * endpointCalls, physicalMinimum, ssmReads, ssmWrites, ssmThrottles, withoutToken,
 * rejectedByApi, p50Ms, p99Ms, maxMs, ...}]}]}`, plus the setup and the projections.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MonthlyProjection } from '../projections.js';
import type { ScenarioResult } from '../run-scenario.js';

/** The JSON document. */
export interface FleetReport {
  readonly generatedAt: string;
  readonly setup: Readonly<Record<string, unknown>>;
  readonly scenarios: readonly ScenarioResult[];
  readonly projections: readonly MonthlyProjection[];
}

/**
 * Writes the report as pretty JSON, creating the directory if needed.
 *
 * @example
 * ```ts
 * writeJsonReport('bench-results/fleet.json', report);
 * ```
 */
export function writeJsonReport(file: string, report: FleetReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
