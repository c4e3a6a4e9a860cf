/**
 * Command-line conventions: `--version`/`-V`, every subcommand's help listing the global
 * options that work after it, and no AWS SDK runtime notice in a command's output.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_FLAGS } from '../src/flags.js';
import { baseEnv, closedPort, runCli } from './support/run-cli.js';

const manifest = JSON.parse(
  await readFile(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

const SUBCOMMANDS = ['get', 'inspect', 'refresh', 'clear', 'doctor', 'dev'] as const;
const GLOBAL_FLAGS = ['--json', '--verbose', '--show-token', ...CONFIG_FLAGS.map((f) => f.flags)];

describe('--version', () => {
  it.each(['--version', '-V'])('%s prints the package version and exits 0', async (flag) => {
    const run = await runCli([flag], baseEnv({}));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${manifest.version}\n`);
    expect(run.stderr).toBe('');
  });
});

describe('subcommand help', () => {
  it.each(SUBCOMMANDS)('`%s --help` lists the global options that apply after it', async (name) => {
    const run = await runCli([name, '--help'], baseEnv({}));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Usage: token-cache ${name}`);
    const globalSection = run.stdout.slice(run.stdout.indexOf('Global Options:'));
    expect(globalSection.length, run.stdout).toBeLessThan(run.stdout.length);
    for (const flag of GLOBAL_FLAGS) expect(globalSection, flag).toContain(flag);
  });
});

describe('runtime notices', () => {
  it('prints no AWS SDK Node.js support notice, even when the process reports Node 20', async () => {
    const pretend = fileURLToPath(new URL('./support/pretend-node-20.mjs', import.meta.url));
    // An endpoint nobody listens on: the SSM client is built (where the SDK would print its
    // notice) and the call fails fast with a store error.
    const run = await runCli(
      ['inspect'],
      baseEnv({
        NODE_OPTIONS: `--import=${pretend}`,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${await closedPort()}`,
        AUTH0_TOKEN_PARAMETER_NAME: '/it/cli/conventions',
      }),
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('SSM');
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|will require node/i);
  });
});
