/**
 * `npm run bundle`: one ESM bundle per Lambda under `backend/.build/<function>/`: `index.mjs`,
 * the chunks it loads (`chunks/`), and their source maps. Terraform's `archive_file` zips the
 * directory (infra/lambda.tf); `<function>.zip` holds the same files for tests and manual uploads.
 *
 * Decisions:
 * - The AWS SDK v3 is bundled, not marked external. The nodejs22.x runtime ships an SDK v3,
 *   but its version is whatever the runtime carries that day; bundling pins the exact clients
 *   the tests ran against (AWS: "for full control of the dependencies your function uses, we
 *   recommend packaging all dependencies", Lambda Node.js docs), and tree-shaking keeps only
 *   the commands used.
 * - Packages are read through their `module` field first (the SDK's `dist-es`). esbuild's
 *   default for Node is `main` first, the SDK's CommonJS build, which cannot be tree-shaken
 *   (every SSM command was bundled) and whose `require()` of the credential providers is
 *   bundled eagerly. The ES build keeps only what is used and leaves the SDK's own dynamic
 *   `import()`s dynamic.
 * - Code splitting: every dynamic `import()` (the DynamoDB store, Secrets Manager, Powertools
 *   telemetry, the SDK's SSO/STS/INI credential providers) becomes a chunk that a cold start
 *   loads only if that path runs. What a cold start always loads is the entry and its static
 *   imports, reported as `coldStartBytes`.
 * - Workspace packages resolve through the `source` condition to their TypeScript, so no
 *   library build is needed first.
 * - ESM (`.mjs`): the runtime loads it natively; the banner gives CommonJS dependencies a
 *   `require` for Node built-ins (in every chunk: each is its own module).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
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

/**
 * The esbuild settings that shape a Lambda bundle (everything but its entry and output
 * directory), for other bundles that should be built the same way, e.g. a baseline to compare with.
 */
export const LAMBDA_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  mainFields: ['module', 'main'],
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;

/** One bundled function. */
export interface BundledFunction {
  readonly name: LambdaFunctionName;
  /** Directory with `index.mjs` and `chunks/` (what `archive_file` zips). */
  readonly directory: string;
  /** The same files zipped. */
  readonly zipFile: string;
  /** Size of `index.mjs` in bytes. */
  readonly bytes: number;
  /** What a cold start loads: `index.mjs` and every chunk it imports statically, in bytes. */
  readonly coldStartBytes: number;
  /** Those files, relative to `directory` (`index.mjs`, `chunks/…`). */
  readonly coldStartFiles: readonly string[];
  /** Every `.mjs` file of the bundle, the chunks only some paths load included, in bytes. */
  readonly totalBytes: number;
}

// Fixed timestamps make the zip byte-identical for identical code: Lambda's code hash, and
// so Terraform's plan, change only when the code does.
const ZIP_MTIME = new Date('1980-01-01T00:00:00Z');

/**
 * Bundles every Lambda into `outDir/<function>/` and zips that directory to `outDir/<function>.zip`.
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
    // One build per function: a chunk shared by two functions would have to ship in both zips.
    const { metafile } = await build({
      ...LAMBDA_BUILD_OPTIONS,
      entryPoints: [join(BACKEND_DIR, entry)],
      outdir: directory,
      // `module` too: esbuild applies its default `module` condition only when none is given,
      // and without it the SDK's packages resolve to builds a third larger (bowser, more of
      // @smithy/core): 517 KB loaded at a cold start instead of 364 KB.
      conditions: ['source', 'module'],
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
    });
    const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
    // Sorted, so the zip's order (and so its bytes) does not depend on the file system.
    const written = await readdir(directory, { recursive: true, withFileTypes: true });
    const paths = written
      .filter((each) => each.isFile())
      .map((each) => relative(directory, join(each.parentPath, each.name)));
    for (const file of paths.sort()) {
      // Zip paths use `/` whatever the platform.
      files[file.split(sep).join('/')] = [
        await readFile(join(directory, file)),
        { mtime: ZIP_MTIME },
      ];
    }
    const zipFile = join(outDir, `${name}.zip`);
    await writeFile(zipFile, zipSync(files, { level: 9 }));
    bundled.push({ name, directory, zipFile, ...bundleSizes(metafile, directory) });
  }
  return bundled;
}

/**
 * The entry's size, the bytes its static imports pull in with it, and every output's, from an
 * esbuild metafile of a build into `directory` with `LAMBDA_BUILD_OPTIONS`.
 *
 * @example
 * ```ts
 * bundleSizes(result.metafile, outdir).coldStartBytes; // what a cold start loads
 * ```
 */
export function bundleSizes(
  metafile: Metafile,
  directory: string,
): Pick<BundledFunction, 'bytes' | 'coldStartBytes' | 'coldStartFiles' | 'totalBytes'> {
  const outputs = metafile.outputs;
  const code = Object.keys(outputs).filter((file) => file.endsWith('.mjs'));
  const entry = code.find((file) => resolve(file) === resolve(directory, 'index.mjs'));
  if (entry === undefined) throw new Error(`esbuild wrote no index.mjs in ${directory}`);
  const loaded = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (loaded.has(file)) continue;
    loaded.add(file);
    for (const imported of outputs[file]?.imports ?? []) {
      // Node built-ins are external; a dynamic import() is loaded only when its path runs.
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
  }
  const size = (files: Iterable<string>) =>
    [...files].reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0);
  return {
    bytes: size([entry]),
    coldStartBytes: size(loaded),
    coldStartFiles: [...loaded].map((file) =>
      relative(directory, resolve(file)).split(sep).join('/'),
    ),
    totalBytes: size(code),
  };
}

// Run as a script (`tsx scripts/bundle.ts [outDir]`), not when imported by a test.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? DEFAULT_OUT_DIR;
  const bundles = await bundleLambdas(outDir);
  for (const bundle of bundles) {
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    process.stdout.write(
      `${bundle.name}: ${relative(process.cwd(), bundle.zipFile)} (index.mjs ${kib(bundle.bytes)}, loaded at a cold start ${kib(bundle.coldStartBytes)}, all code ${kib(bundle.totalBytes)})\n`,
    );
  }
  process.stdout.write(
    `Terraform zips ${relative(process.cwd(), dirname(bundles[0]?.directory ?? outDir))}/<function>/ via archive_file.\n`,
  );
}
