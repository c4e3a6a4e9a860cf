/**
 * The published build of @token-cache/core: ESM (`.js` + `.d.ts`) for `import` and CommonJS
 * (`.cjs` + `.d.cts`) for `require`, so each kind of consumer gets declarations of its own
 * module format (TypeScript reads a `.d.ts` in a `"type": "module"` package as ESM, and a
 * `require` of it from a CommonJS file then fails to compile).
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  // One file per public entry point (the package's `exports`), with shared chunks: an
  // application that imports the root entry loads neither a store it does not use nor the
  // telemetry, and every entry sees the same classes (one `TokenCacheError`).
  entry: {
    index: 'src/index.ts',
    ssm: 'src/entries/ssm.ts',
    dynamodb: 'src/entries/dynamodb.ts',
    'multi-region': 'src/entries/multi-region.ts',
    telemetry: 'src/entries/telemetry.ts',
    middy: 'src/entries/middy.ts',
    fetch: 'src/entries/fetch.ts',
    internal: 'src/entries/internal.ts',
  },
  // CommonJS too: without it each CommonJS entry would carry its own copy of the classes.
  splitting: true,
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node22',
  outDir: 'dist',
  dts: true,
  clean: true,
});
