/**
 * `npm run bench:fleet [-- --scenario NAME] [--out FILE] [--svg FILE] [--markdown FILE] [--seed N]`
 *
 * Runs the fleet scenarios (all by default), prints progress on stderr and the table on
 * stdout, and writes the JSON, the SVG chart and the Markdown tables when asked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FLEET_USAGE, type FleetCommand, parseFleetArgs } from './fleet-args.js';
import { fleetSetup } from './fleet-setup.js';
import { projectMonthly } from './projections.js';
import { consoleReport } from './report/console.js';
import { writeJsonReport } from './report/json.js';
import { projectionsMarkdown, scenariosMarkdown } from './report/markdown.js';
import { renderFleetSvg } from './report/svg.js';
import { runScenario, type ScenarioResult } from './run-scenario.js';

function writeText(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function main(): Promise<number> {
  let command: FleetCommand;
  try {
    command = parseFleetArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${FLEET_USAGE}\n`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(`${FLEET_USAGE}\n`);
    return 0;
  }
  const setup = fleetSetup(command.seed);
  process.stderr.write(`${setup.lines.join('\n')}\n\n`);
  const results: ScenarioResult[] = [];
  for (const scenario of command.scenarios) {
    results.push(
      await runScenario(scenario, {
        seed: command.seed,
        stackMode: command.inProcess ? 'in-process' : 'child',
        onProgress: (line) => process.stderr.write(`${line}\n`),
      }),
    );
  }
  const steady = results.find((result) => result.name === 'steady');
  const projections = steady ? projectMonthly(steady.strategies, steady.setup.containers) : [];
  process.stdout.write(consoleReport(results, projections));
  if (command.out) {
    writeJsonReport(command.out, {
      generatedAt: new Date().toISOString(),
      setup: setup.data,
      scenarios: results,
      projections,
    });
  }
  if (command.svg) writeText(command.svg, renderFleetSvg(results));
  if (command.markdown) {
    const sections = [
      setup.lines.map((line) => `- ${line}`).join('\n'),
      scenariosMarkdown(results),
    ];
    if (projections.length > 0)
      sections.push(`### Monthly projections\n\n${projectionsMarkdown(projections)}`);
    writeText(command.markdown, `${sections.join('\n\n')}\n`);
  }
  return 0;
}

process.exitCode = await main();
