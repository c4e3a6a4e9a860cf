#!/usr/bin/env node
// Launcher for the `token-cache` command.
//
// - Installed from a package (`npm pack`, `npm install -g`): runs the bundle in dist/ that
//   `npm run build -w @token-cache/cli` produced before packing.
// - In the repository checkout (`npx token-cache` after `npm ci`): runs the TypeScript sources
//   directly, with no build step, through tsx plus the `source` export condition, so workspace
//   packages resolve to their src/index.ts exactly as in tests.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const sources = new URL('../src/main.ts', import.meta.url);
const bundle = new URL('../dist/main.js', import.meta.url);

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const tsx = existsSync(sources) ? await loadTsx() : undefined;
if (tsx) {
  tsx.register();
  // Registered after tsx so it runs first: every resolution then also matches `source`.
  register('./source-condition.js', import.meta.url);
  await import(sources.href);
} else if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'token-cache: neither the TypeScript sources with tsx nor a built dist/main.js were found.\n' +
      'Run `npm ci` in the repository, or `npm run build -w @token-cache/cli` before packing.\n',
  );
  process.exit(2);
}
