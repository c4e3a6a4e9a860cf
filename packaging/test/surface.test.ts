/**
 * The public surface of @token-cache/core: the root entry stays small (the cache, the sources,
 * the store contract, the errors and the types), and every subpath in the manifest's
 * `exports` has a source file the workspace resolves through the `source` condition.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/commands.js';

const PACKAGE_DIR = join(REPO_ROOT, 'packages', 'token-cache');

describe('@token-cache/core entry points', () => {
  it('the root entry exports the cache, the sources, a memory store and the errors only', async () => {
    const root = await import('@token-cache/core');
    expect(Object.keys(root).sort()).toEqual([
      'ConfigError',
      'MemoryStore',
      'SecretContentError',
      'StoreError',
      'StoreThrottledError',
      'TokenCacheError',
      'TokenEndpointError',
      'TokenLifetimeError',
      'TokenUnavailableError',
      'auth0ClientCredentials',
      'createClientCredentialsSource',
      'createTokenCache',
      'createTokenCacheFromEnv',
      'oauth2ClientCredentials',
      'rotatingClientCredentials',
    ]);
  });

  it('each subpath resolves, in the workspace, to the source its manifest names', async () => {
    const manifest = JSON.parse(await readFile(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      exports: Record<string, { source?: string } | string>;
    };
    const subpaths = Object.keys(manifest.exports).filter((path) => path !== './package.json');
    expect(subpaths).toEqual([
      '.',
      './ssm',
      './dynamodb',
      './multi-region',
      './telemetry',
      './middy',
      './fetch',
      './internal',
    ]);
    for (const subpath of subpaths) {
      const specifier = `@token-cache/core${subpath.slice(1)}`;
      const module = (await import(specifier)) as Record<string, unknown>;
      expect(Object.keys(module).length, specifier).toBeGreaterThan(0);
    }
    const ssm = await import('@token-cache/core/ssm');
    const internal = await import('@token-cache/core/internal');
    // One class, whichever entry it comes through.
    expect(internal.SsmStore).toBe(ssm.SsmStore);
  });
});
