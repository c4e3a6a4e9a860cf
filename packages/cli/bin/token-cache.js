#!/usr/bin/env node
// Launcher for the `token-cache` command.
//
// - Installed from a package (`npm pack`, `npm install -g`): runs dist/main.js, the bundle
//   `npm run build -w @token-cache/cli` produced before packing.
// - In the repository checkout (`npx token-cache` right after `npm ci`, no build step): runs
//   the TypeScript sources, bundled on demand by esbuild into node_modules/.cache (rebuilt when
//   a source changes), or, without esbuild or with TOKEN_CACHE_CLI_RUNNER=tsx, through tsx with
//   the `source` export condition, so workspace packages resolve to their src/index.ts.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const sources = new URL('../src/main.ts', import.meta.url);
const bundle = new URL('../dist/main.js', import.meta.url);

async function importOptional(specifier) {
  try {
    return await import(specifier);
  } catch {
    return undefined;
  }
}

async function runSources() {
  if (process.env.TOKEN_CACHE_CLI_RUNNER !== 'tsx') {
    const { devBundle } = await import('./dev-bundle.js');
    // A read-only checkout or a failed build is no reason to fail: tsx still runs the sources.
    const built = await devBundle().catch(() => undefined);
    if (built) return import(built);
  }
  const tsx = await importOptional('tsx/esm/api');
  if (!tsx) return undefined;
  tsx.register();
  // Registered after tsx so it runs first: every resolution then also matches `source`.
  register('./source-condition.js', import.meta.url);
  return import(sources.href);
}

const ran = existsSync(sources) ? await runSources() : undefined;
if (ran === undefined) {
  if (existsSync(bundle)) {
    await import(bundle.href);
  } else {
    process.stderr.write(
      'token-cache: neither the TypeScript sources (with esbuild or tsx) nor a built dist/main.js were found.\n' +
        'Run `npm ci` in the repository, or `npm run build -w @token-cache/cli` before packing.\n',
    );
    process.exit(2);
  }
}
