/**
 * `npm run demo`: the fleet benchmark in under a minute. Runs the `expiry-under-load` scenario
 * (a stored token expires while containers keep cold-starting, with a burst in the refresh
 * window) for every strategy on the local stack, then prints the table and what it means.
 */
import { fleetSetup } from './fleet-setup.js';
import { explainComparison } from './report/explain.js';
import { scenarioText } from './report/table.js';
import { runScenario } from './run-scenario.js';
import { scenarioNamed } from './scenarios.js';

/** The scenario the demo runs. */
const DEMO_SCENARIO = 'expiry-under-load';

async function main(): Promise<void> {
  const scenario = scenarioNamed(DEMO_SCENARIO);
  process.stdout.write(`Fleet demo: ${scenario.title}.\n${fleetSetup(1).lines.join('\n')}\n\n`);
  const result = await runScenario(scenario, {
    seed: 1,
    onProgress: (line) => process.stdout.write(`  ${line}\n`),
  });
  process.stdout.write(`\n${scenarioText(result)}\n\n${wrap(explainComparison(result), 100)}\n\n`);
  process.stdout.write(
    'Columns: endpoint calls = requests to the IdP; minimum = one per token lifetime spanned; store reads/writes and throttled = SSM requests; served = invocations whose API call succeeded; no token (…while usable = although a usable token existed in the fleet); rejected = tokens the API refused; p50/p99/max = getToken() latency.\nFull benchmark: npm run bench:fleet (all scenarios, JSON, SVG).\n',
  );
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

await main();
