// The checkout's fast path: bundle the CLI's TypeScript sources (and the workspace packages it
// uses) with esbuild into node_modules/.cache, and rebuild only when a source changed. Loading
// one bundled file takes about a quarter of the time of transpiling each module through tsx on
// every start. Third-party packages stay external and resolve from node_modules as usual.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cliRoot = fileURLToPath(new URL('..', import.meta.url));
const packagesRoot = dirname(cliRoot);
// Every workspace source tree the bundle contains; a change in any of them rebuilds it.
const sourceTrees = ['cli/src', 'token-cache/src', 'local-stack/src'].map((tree) =>
  join(packagesRoot, tree),
);
// Inside packages/cli so that externals resolve from the CLI's own node_modules first (its
// commander differs from the one hoisted at the root).
const cacheDir = join(cliRoot, 'node_modules', '.cache', 'token-cache-cli');
const bundlePath = join(cacheDir, 'main.mjs');

/** The newest modification time among the sources, directories included (a deleted file changes its directory). */
function newestSourceMtime() {
  // This file and the manifest (its dependencies are the externals) count as sources too.
  let newest = Math.max(
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
    statSync(join(cliRoot, 'package.json')).mtimeMs,
  );
  for (const tree of sourceTrees) {
    newest = Math.max(newest, statSync(tree).mtimeMs);
    for (const entry of readdirSync(tree, { recursive: true, withFileTypes: true })) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function isFresh() {
  try {
    return statSync(bundlePath).mtimeMs >= newestSourceMtime();
  } catch {
    return false;
  }
}

/**
 * Returns the URL of an up-to-date bundle of src/main.ts, building it if needed, or
 * `undefined` when esbuild is not installed (the caller then runs the sources through tsx).
 */
export async function devBundle() {
  if (isFresh()) return pathToFileURL(bundlePath).href;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(readFileSync(join(cliRoot, 'package.json'), 'utf8'));
  const external = Object.keys(manifest.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);
  mkdirSync(cacheDir, { recursive: true });
  // Several processes may build at once (parallel tests): each writes its own file, and the
  // atomic rename makes the last complete one win; none ever imports a half-written bundle.
  const temporary = join(cacheDir, `main.${process.pid}.${Date.now()}.mjs`);
  await esbuild.build({
    entryPoints: [join(cliRoot, 'src', 'main.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    conditions: ['source'],
    external,
    logLevel: 'error',
  });
  renameSync(temporary, bundlePath);
  return pathToFileURL(bundlePath).href;
}
