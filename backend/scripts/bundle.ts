/**
 * `npm run bundle`: one self-contained ESM file per Lambda under `backend/.build/<function>/`
 * (`index.mjs` + source map), which Terraform's `archive_file` zips (infra/lambda.tf), plus a
 * `<function>.zip` of the same files for tests and manual uploads.
 *
 * Decisions:
 * - The AWS SDK v3 is bundled, not marked external. The nodejs22.x runtime ships an SDK v3,
 *   but its version is whatever the runtime carries that day; bundling pins the exact clients
 *   the tests ran against (AWS: "for full control of the dependencies your function uses, we
 *   recommend packaging all dependencies", Lambda Node.js docs), and tree-shaking keeps only
 *   the commands used.
 * - Workspace packages resolve through the `source` condition to their TypeScript, so no
 *   library build is needed first.
 * - ESM (`.mjs`): the runtime loads it natively; the banner gives CommonJS dependencies a
 *   `require` for Node built-ins.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

/** Backend package root (this file lives in `backend/scripts/`). */
const BACKEND_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Lambda functions: bundle directory name → handler source. Terraform names the same dirs. */
export const LAMBDA_FUNCTIONS = {
  'get-vehicle-overview': 'src/handlers/get-vehicle-overview.ts',
  'token-refresher': 'src/handlers/token-refresher.ts',
} as const;

/** Name of a bundled function, e.g. `token-refresher`. */
export type LambdaFunctionName = keyof typeof LAMBDA_FUNCTIONS;

/** Where bundles go by default: `backend/.build`. */
export const DEFAULT_OUT_DIR = join(BACKEND_DIR, '.build');

/** One bundled function. */
export interface BundledFunction {
  readonly name: LambdaFunctionName;
  /** Directory with `index.mjs` (what `archive_file` zips). */
  readonly directory: string;
  /** The same files zipped. */
  readonly zipFile: string;
  /** Size of `index.mjs` in bytes. */
  readonly bytes: number;
}

// Fixed timestamps make the zip byte-identical for identical code: Lambda's code hash, and
// so Terraform's plan, change only when the code does.
const ZIP_MTIME = new Date('1980-01-01T00:00:00Z');

/**
 * Bundles every Lambda into `outDir/<function>/index.mjs` and zips it to `outDir/<function>.zip`.
 *
 * @example
 * ```ts
 * const bundles = await bundleLambdas();
 * bundles.map((b) => b.zipFile); // ['.../.build/get-vehicle-overview.zip', '.../.build/token-refresher.zip']
 * ```
 */
export async function bundleLambdas(outDir: string = DEFAULT_OUT_DIR): Promise<BundledFunction[]> {
  const bundled: BundledFunction[] = [];
  for (const [name, entry] of Object.entries(LAMBDA_FUNCTIONS) as Array<
    [LambdaFunctionName, string]
  >) {
    const directory = join(outDir, name);
    // Start clean: a stale file left in the directory would be zipped and deployed.
    await rm(directory, { recursive: true, force: true });
    await mkdir(directory, { recursive: true });
    const outfile = join(directory, 'index.mjs');
    await build({
      entryPoints: [join(BACKEND_DIR, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      conditions: ['source'],
      minify: true,
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
      },
    });
    const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
    for (const file of ['index.mjs', 'index.mjs.map']) {
      files[file] = [await readFile(join(directory, file)), { mtime: ZIP_MTIME }];
    }
    const zipFile = join(outDir, `${name}.zip`);
    await writeFile(zipFile, zipSync(files, { level: 9 }));
    bundled.push({ name, directory, zipFile, bytes: files['index.mjs']?.[0].byteLength ?? 0 });
  }
  return bundled;
}

// Run as a script (`tsx scripts/bundle.ts [outDir]`), not when imported by a test.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? DEFAULT_OUT_DIR;
  const bundles = await bundleLambdas(outDir);
  for (const bundle of bundles) {
    const kib = (bundle.bytes / 1024).toFixed(0);
    process.stdout.write(
      `${bundle.name}: ${relative(process.cwd(), bundle.zipFile)} (index.mjs ${kib} KiB)\n`,
    );
  }
  process.stdout.write(
    `Terraform zips ${relative(process.cwd(), dirname(bundles[0]?.directory ?? outDir))}/<function>/ via archive_file.\n`,
  );
}
