/**
 * `npm run bench:cold-start`: what a Lambda cold start pays to load the handler's code. The
 * deployable bundle of `get-vehicle-overview` (built exactly as `npm run bundle` builds it) is
 * measured side by side with a bundle of `@aws-sdk/client-ssm` alone (a handler that reads one
 * parameter, built with the same esbuild settings): each sample is a fresh Node process that
 * times one `import()` of the bundle, the two bundles alternating so both see the same machine.
 * The handler is also imported with `--enable-source-maps`, which the deployment leaves off,
 * for what reading its source map at load would cost. Reported: the bytes each loads at a cold
 * start (entry and static chunks), median and p90 import times, and the ratio of the medians
 * (the target is at most 1.3).
 *
 *   npm run bench:cold-start [-- --samples 40]
 */

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import {
  bundleLambdas,
  bundleSizes,
  LAMBDA_BUILD_OPTIONS,
} from '../../../backend/scripts/bundle.js';
import { renderTextTable } from './report/table.js';
import { percentile, round } from './stats.js';

/** The handler the bundle of the SDK alone carries: one client, one command, as a handler uses them. */
const SSM_ONLY_HANDLER = `
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
export const handler = async (event) =>
  new SSMClient({}).send(new GetParameterCommand({ Name: event.name, WithDecryption: true }));
`;

/** The repository root (this file lives in `packages/bench/src/`). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The ratio the handler's cold import should stay within, against the SDK alone. */
const TARGET_RATIO = 1.3;

// A child process times only the import: process start-up is the same for both bundles and
// would only dilute the difference.
const CHILD = `
const started = performance.now();
await import(process.argv[1]);
process.stdout.write(String(performance.now() - started));
`;

function importOnce(bundle: string, nodeFlags: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...nodeFlags, '--input-type=module', '-e', CHILD, pathToFileURL(bundle).href],
      // The SDK reads its region lazily; a region keeps any eager check quiet.
      { env: { ...process.env, AWS_REGION: 'us-west-2' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`import of ${bundle} failed: ${stderr || error.message}`));
        else resolve(Number(stdout));
      },
    );
  });
}

// Built exactly as the handler is (backend/scripts/bundle.ts): split, from the SDK's ES build.
async function ssmOnlyBundle(dir: string): Promise<{ file: string; coldStartBytes: number }> {
  const entry = join(dir, 'ssm-only.mjs');
  await writeFile(entry, SSM_ONLY_HANDLER);
  const outdir = join(dir, 'ssm-only');
  const result = await build({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: [entry],
    outdir,
    conditions: ['module'],
    metafile: true,
    // Resolve the SDK from the workspace, as the handler's bundle does.
    nodePaths: [join(REPO_ROOT, 'node_modules')],
  });
  return {
    file: join(outdir, 'index.mjs'),
    coldStartBytes: bundleSizes(result.metafile, outdir).coldStartBytes,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '30' } } });
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 3 || samples > 1_000) {
    throw new Error(`--samples must be an integer from 3 to 1000, got "${values.samples}"`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'token-cache-cold-start-'));
  try {
    const bundles = await bundleLambdas(join(dir, 'build'));
    const handler = bundles.find((b) => b.name === 'get-vehicle-overview');
    if (!handler) throw new Error('npm run bundle built no get-vehicle-overview');
    const handlerFile = join(handler.directory, 'index.mjs');
    const ssmOnly = await ssmOnlyBundle(dir);
    const contestants = [
      {
        name: 'get-vehicle-overview',
        file: handlerFile,
        flags: [],
        bytes: handler.coldStartBytes,
      },
      {
        name: '@aws-sdk/client-ssm alone',
        file: ssmOnly.file,
        flags: [],
        bytes: ssmOnly.coldStartBytes,
      },
      // What --enable-source-maps would add: the source map is read and parsed at load.
      {
        name: 'get-vehicle-overview, --enable-source-maps',
        file: handlerFile,
        flags: ['--enable-source-maps'],
        bytes: handler.coldStartBytes,
      },
    ];
    const times = contestants.map(() => [] as number[]);
    // One warm-up each (the file system cache), then alternate.
    for (const contestant of contestants) await importOnce(contestant.file, contestant.flags);
    for (let i = 0; i < samples; i += 1) {
      for (const [index, contestant] of contestants.entries()) {
        times[index]?.push(await importOnce(contestant.file, contestant.flags));
      }
      process.stderr.write(`\rsample ${i + 1}/${samples}`);
    }
    process.stderr.write('\n');
    const rows: string[][] = [];
    const medians: number[] = [];
    for (const [index, contestant] of contestants.entries()) {
      const sample = times[index] ?? [];
      const median = percentile(sample, 50);
      medians.push(median);
      rows.push([
        contestant.name,
        `${round(contestant.bytes / 1024, 0)} KiB`,
        `${round(median)} ms`,
        `${round(percentile(sample, 90))} ms`,
      ]);
    }
    process.stdout.write(
      renderTextTable(['bundle', 'loaded at a cold start', 'median', 'p90'], rows),
    );
    const ratio = (medians[0] ?? 0) / (medians[1] ?? 1);
    process.stdout.write(
      `\ncold import ratio (median): ${round(ratio, 2)}x (target <= ${TARGET_RATIO}x, ${ratio <= TARGET_RATIO ? 'met' : 'missed'})\n`,
    );
    process.stdout.write(
      `--enable-source-maps adds ${round((medians[2] ?? 0) - (medians[0] ?? 0))} ms to the median cold import\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
