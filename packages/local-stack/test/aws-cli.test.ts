import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../src/index.js';
import { defaultTokenRequest, requestToken, ssmClient, startStack } from './helpers.js';

/** Debian's AWS CLI v2 (`apt-get install awscli`); CI installs it, elsewhere these tests skip. */
const AWS_CLI = '/usr/bin/aws';
const hasCli = existsSync(AWS_CLI);
if (!hasCli) {
  console.warn(
    `Skipping AWS CLI round trips: ${AWS_CLI} not found (install it with "apt-get install -y awscli").`,
  );
}

describe.skipIf(!hasCli)('AWS CLI v2 round trips against the stack', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  /** Runs the CLI asynchronously: the stack lives in this process, so blocking would deadlock. */
  function aws(
    ...args: string[]
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return awsWith({}, ...args);
  }

  /** Runs the CLI with some of the stack's variables replaced (other credentials). */
  function awsWith(
    overrides: Readonly<Record<string, string>>,
    ...args: string[]
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        AWS_CLI,
        ['--endpoint-url', stack.url, '--output', 'json', ...args],
        {
          // Isolate from any user configuration; the stack's env carries dummy credentials.
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: process.env.HOME ?? '/tmp',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            ...stack.env,
            ...overrides,
          },
          encoding: 'utf8',
          timeout: 20_000,
        },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          resolve({ status: code, stdout, stderr });
        },
      );
    });
  }

  it('puts a SecureString and reads it with and without --with-decryption', async () => {
    const put = await aws(
      'ssm',
      'put-parameter',
      '--name',
      '/cli/token',
      '--value',
      'cli-secret',
      '--type',
      'SecureString',
    );
    expect(put.status, put.stderr).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({ Version: 1, Tier: 'Standard' });

    const hidden = await aws('ssm', 'get-parameter', '--name', '/cli/token');
    expect(hidden.status, hidden.stderr).toBe(0);
    expect(JSON.parse(hidden.stdout).Parameter.Value).not.toBe('cli-secret');

    const shown = await aws('ssm', 'get-parameter', '--name', '/cli/token', '--with-decryption');
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).Parameter).toMatchObject({
      Name: '/cli/token',
      Value: 'cli-secret',
      Version: 1,
    });
  });

  it('exits non-zero and names the error for a missing parameter', async () => {
    const missing = await aws('ssm', 'get-parameter', '--name', '/cli/missing');
    // AWS CLI v2 return codes: 254 = "the command was parsed and a request made, but the
    // service returned an error".
    expect(missing.status).toBe(254);
    expect(missing.stderr).toContain('ParameterNotFound');
  });

  it("is refused as AWS refuses it when the credentials are not the stack's", async () => {
    const unknown = await awsWith(
      { AWS_ACCESS_KEY_ID: 'AKIDUNKNOWN' },
      'ssm',
      'get-parameter',
      '--name',
      '/cli/token',
    );
    expect(unknown.status).toBe(254);
    expect(unknown.stderr).toContain(
      '(UnrecognizedClientException) when calling the GetParameter operation: The security token included in the request is invalid.',
    );
    const wrongSecret = await awsWith(
      { AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
      'ssm',
      'get-parameter',
      '--name',
      '/cli/token',
    );
    expect(wrongSecret.status).toBe(254);
    expect(wrongSecret.stderr).toContain(
      '(InvalidSignatureException) when calling the GetParameter operation: The request signature we calculated does not match',
    );
    // A signed session token (temporary credentials) is accepted.
    const session = await awsWith(
      { AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN' },
      'ssm',
      'get-parameter',
      '--name',
      '/cli/missing',
    );
    expect(session.stderr).toContain('ParameterNotFound');
  });

  it('replays the seed integration: the SDK stores a token, the CLI reads it, the API accepts it', async () => {
    const { body } = await requestToken(stack, defaultTokenRequest(stack));
    const token = body.access_token as string;
    await ssmClient(stack).send(
      new PutParameterCommand({
        Name: '/vwc/dev/auth0-token-cache',
        Value: token,
        Type: 'SecureString',
      }),
    );
    const read = await aws(
      'ssm',
      'get-parameter',
      '--name',
      '/vwc/dev/auth0-token-cache',
      '--with-decryption',
    );
    expect(read.status, read.stderr).toBe(0);
    const fromCli = JSON.parse(read.stdout).Parameter.Value as string;
    expect(fromCli).toBe(token);
    const api = await fetch(`${stack.url}/vehicles/42/overview`, {
      headers: { authorization: `Bearer ${fromCli}` },
    });
    expect(api.status).toBe(200);
  });
});
