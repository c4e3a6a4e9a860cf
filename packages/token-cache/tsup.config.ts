/**
 * The published build of @token-cache/core: ESM (`.js` + `.d.ts`) for `import` and CommonJS
 * (`.cjs` + `.d.cts`) for `require`, so each kind of consumer gets declarations of its own
 * module format (TypeScript reads a `.d.ts` in a `"type": "module"` package as ESM, and a
 * `require` of it from a CommonJS file then fails to compile).
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node22',
  outDir: 'dist',
  dts: true,
  clean: true,
});
