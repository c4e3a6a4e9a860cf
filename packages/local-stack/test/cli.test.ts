import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderBanner } from '../src/banner.js';
import { parseStackArgs } from '../src/cli-args.js';
import { DEFAULT_CLIENT } from '../src/index.js';
import { startStack } from './helpers.js';

describe('npm run stack: arguments', () => {
  it('defaults to port 4566 and AWS/Auth0 limits', () => {
    const command = parseStackArgs([]);
    expect(command).toMatchObject({ help: false, options: { port: 4566 } });
  });

  it('maps flags to start() options', () => {
    const command = parseStackArgs([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--reads-per-second',
      '0',
      '--writes-per-second',
      '10',
      '--expires-in',
      '600',
      '--idp-rate-limit',
      '5',
      '--monthly-quota',
      '0',
    ]);
    expect(command).toEqual({
      help: false,
      options: {
        port: 0,
        host: '127.0.0.1',
        ssm: { readsPerSecond: 0, writesPerSecond: 10 },
        idp: { expiresInSeconds: 600, rateLimitPerSecond: 5, monthlyQuota: 0 },
      },
    });
  });

  it.each([
    [['--port', 'abc'], '--port must be a non-negative integer, got "abc"'],
    [['--port', '70000'], '--port must be at most 65535, got 70000'],
    [['--expires-in', '0'], '--expires-in must be a positive integer, got "0"'],
    [['--reads-per-second=1.5'], '--reads-per-second must be a non-negative integer, got "1.5"'],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(() => parseStackArgs(argv)).toThrow(message);
  });

  it('refuses unknown flags', () => {
    expect(() => parseStackArgs(['--bogus'])).toThrow(/bogus/);
  });

  it('prints export lines that only ever carry the published local default secret', async () => {
    const stack = await startStack({
      idp: {
        clients: [
          {
            clientId: 'custom',
            clientSecret: 'real-looking-secret',
            grants: [{ audience: 'https://a' }],
          },
        ],
      },
    });
    try {
      const banner = renderBanner(stack);
      expect(banner).toContain(`export AWS_ENDPOINT_URL=${stack.url}`);
      expect(banner).toContain('export AUTH0_M2M_CLIENT_ID=custom');
      expect(banner).not.toContain('real-looking-secret');
    } finally {
      await stack.stop();
    }
  });
});

describe('npm run stack: process', () => {
  it('starts, prints the endpoints and the environment, and stops cleanly on SIGINT', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'packages/local-stack/src/main.ts', '--port', '0'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    await expect.poll(() => output, { timeout: 20_000 }).toContain('Press Ctrl-C to stop.');
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] as string;
    expect(output).toContain(`export AWS_ENDPOINT_URL=${url}`);
    expect(output).toContain(`export AUTH0_M2M_CLIENT_SECRET=${DEFAULT_CLIENT.clientSecret}`);
    expect(await (await fetch(`${url}/_stack/health`)).json()).toEqual({ status: 'ok' });
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output).toContain('Local stack stopped.');
  });
});
