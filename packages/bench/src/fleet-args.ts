/**
 * The command line of `npm run bench:fleet`, parsed with `node:util` parseArgs; errors name
 * the option and what was expected.
 */
import { parseArgs } from 'node:util';
import { SCENARIOS, type Scenario, scenarioNamed } from './scenarios.js';
import { STRATEGIES } from './strategies/index.js';
import type { StrategyName } from './strategies/types.js';

/**
 * Usage text.
 *
 * @example
 * ```ts
 * process.stderr.write(`${FLEET_USAGE}\n`);
 * ```
 */
export const FLEET_USAGE = `Usage: npm run bench:fleet -- [options]

Simulates a Lambda fleet against the local stack and compares memory-only, the seed's
two-tier design, a Powertools Parameters cache and the shared cache on the same arrival
trace; each scenario prints the bounds the shared cache must meet there.

Options:
  --scenario <name>   run one scenario (${SCENARIOS.map((s) => s.name).join(', ')})
  --out <file>        write the results as JSON
  --svg <file>        write the chart of endpoint calls over time
  --markdown <file>   write the tables and projections as Markdown
  --seed <n>          seed of the arrival trace (non-negative integer, default 1)
  --strategies <list> comma-separated strategies instead of each scenario's own
                      (${Object.keys(STRATEGIES).join(', ')})
  --in-process        run the stack in this process (default: a child process)
  -h, --help          show this help`;

/** Parsed command line. */
export interface FleetCommand {
  readonly help: boolean;
  readonly scenarios: readonly Scenario[];
  readonly seed: number;
  readonly out?: string;
  readonly svg?: string;
  readonly markdown?: string;
  readonly inProcess: boolean;
}

/**
 * Parses the arguments; errors name the option and what was expected.
 *
 * @example
 * ```ts
 * parseFleetArgs(['--scenario', 'cold-burst', '--seed', '7']).seed; // 7
 * ```
 */
export function parseFleetArgs(argv: readonly string[]): FleetCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: 'string' },
      out: { type: 'string' },
      svg: { type: 'string' },
      markdown: { type: 'string' },
      seed: { type: 'string' },
      strategies: { type: 'string' },
      'in-process': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const seedText = values.seed ?? '1';
  const seed = Number(seedText);
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(seed)) {
    throw new TypeError(`--seed must be a non-negative integer, got "${seedText}"`);
  }
  for (const option of ['out', 'svg', 'markdown'] as const) {
    if (values[option] === '') throw new TypeError(`--${option} must be a file path, got ""`);
  }
  const strategies =
    values.strategies === undefined ? undefined : parseStrategies(values.strategies);
  const chosen = values.scenario === undefined ? SCENARIOS : [scenarioNamed(values.scenario)];
  return {
    help: values.help === true,
    scenarios: strategies === undefined ? chosen : chosen.map((s) => ({ ...s, strategies })),
    seed,
    inProcess: values['in-process'] === true,
    ...(values.out === undefined ? {} : { out: values.out }),
    ...(values.svg === undefined ? {} : { svg: values.svg }),
    ...(values.markdown === undefined ? {} : { markdown: values.markdown }),
  };
}

function parseStrategies(list: string): StrategyName[] {
  const names = list.split(',').map((name) => name.trim());
  const known = Object.keys(STRATEGIES);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new TypeError(`--strategies must list names from ${known.join(', ')}; got "${name}"`);
    }
  }
  if (new Set(names).size !== names.length) {
    throw new TypeError(`--strategies must not repeat a name, got "${list}"`);
  }
  return names as StrategyName[];
}
