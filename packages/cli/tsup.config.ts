/**
 * The packed CLI (`npm pack -w @token-cache/cli`, then `npm install -g <tarball>`): one ESM
 * bundle in dist/main.js. The workspace packages (@token-cache/core, @token-cache/local-stack)
 * are bundled from their TypeScript sources because they are not published; third-party
 * packages stay external and are installed from the registry as the CLI's dependencies.
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node22',
  outDir: 'dist',
  clean: true,
  noExternal: ['@token-cache/core', '@token-cache/local-stack'],
  esbuildOptions(options) {
    // Resolve the workspace packages to src/index.ts, as tests and the dev launcher do.
    options.conditions = ['source'];
  },
});
