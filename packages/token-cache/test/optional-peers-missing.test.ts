/**
 * What happens without an optional peer dependency installed: the module that needs it fails
 * to load (simulated here by a module mock that throws Node's "not found" error, the one
 * unit-level stand-in in this file), and the library says which package to install instead of
 * failing somewhere else.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}'`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

afterEach(() => {
  vi.doUnmock('../src/telemetry/powertools-telemetry.js');
  vi.doUnmock('../src/stores/dynamodb-store.js');
  vi.resetModules();
});

describe('without the optional peers', () => {
  it('the default telemetry is off, says so once naming the Powertools packages, and never throws', async () => {
    // Reading the export fails as loading the module would: vitest wraps a throwing factory.
    vi.doMock('../src/telemetry/powertools-telemetry.js', () => ({
      get powertoolsTelemetry() {
        throw notFound('@aws-lambda-powertools/logger');
      },
    }));
    const { defaultTelemetry } = await import('../src/telemetry/default-telemetry.js');
    const warnings: string[] = [];
    const telemetry = defaultTelemetry({
      cacheName: 'c',
      env: {},
      warn: (line) => warnings.push(line),
    });
    telemetry({ type: 'hit', tier: 'memory' });
    telemetry({ type: 'endpoint-fetch', durationMs: 1, clientId: 'x' });
    await telemetry.flush();
    telemetry({ type: 'hit', tier: 'memory' });
    await telemetry.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /@aws-lambda-powertools\/logger and @aws-lambda-powertools\/metrics/,
    );
  });

  it('a DynamoDB store fails its calls with a ConfigError naming TOKEN_CACHE_STORE and the package', async () => {
    vi.doMock('../src/stores/dynamodb-store.js', () => ({
      get DynamoDbStore() {
        throw notFound('@aws-sdk/client-dynamodb');
      },
    }));
    const { lazyDynamoDbStore } = await import('../src/config/lazy-dynamodb-store.js');
    const { ConfigError } = await import('../src/errors.js');
    const store = lazyDynamoDbStore({ tableName: 'token-cache', region: 'us-west-2' });
    const error = await store.get('token').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as { variable?: string }).variable).toBe('TOKEN_CACHE_STORE');
    expect((error as Error).message).toMatch(/npm install @aws-sdk\/client-dynamodb/);
  });
});
