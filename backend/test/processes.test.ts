/**
 * Separate OS processes (separate containers, nothing shared but SSM) importing the backend
 * facade from a plain `tsx` script: one token-endpoint call for all of them.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DEFAULT_AWS_CREDENTIALS, type LocalStack, start } from '@token-cache/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/print-token-digest.ts', import.meta.url));
// tsx's loader, resolved from here so the child runs on this Node with the same packages.
const tsxLoader = createRequire(import.meta.url).resolve('tsx');

let stack: LocalStack;
beforeAll(async () => {
  stack = await start({ port: 0, ssm: { readsPerSecond: 0, writesPerSecond: 0 } });
});
afterAll(async () => {
  await stack.stop();
});

interface ChildRun {
  readonly digest: string;
  readonly output: string;
}

/** Runs the fixture in a new Node process with the given environment. */
function runContainer(env: Record<string, string>): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', tsxLoader, script], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((each) => each.startsWith('RESULT '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`container exited with ${code}:\n${output}`));
        return;
      }
      resolve({
        digest: (JSON.parse(line.slice('RESULT '.length)) as { digest: string }).digest,
        output,
      });
    });
  });
}

describe('separate OS processes share one token through SSM', () => {
  it('3 processes started together on an empty store: 1 token-endpoint call, 1 token', async () => {
    const parameterName = `/vwc/test/processes-${process.pid}`;
    const env = {
      ...stack.env,
      AUTH0_TOKEN_PARAMETER_NAME: parameterName,
      // Metrics on: the EMF lines the children print are checked for secrets below.
      TOKEN_CACHE_METRICS: 'on',
    };

    const runs = await Promise.all([runContainer(env), runContainer(env), runContainer(env)]);

    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(new Set(runs.map((run) => run.digest)).size).toBe(1);
    // The one token is the one in the parameter.
    const ssm = new SSMClient({
      endpoint: stack.url,
      region: 'us-west-2',
      credentials: DEFAULT_AWS_CREDENTIALS,
    });
    const stored = await ssm.send(
      new GetParameterCommand({ Name: parameterName, WithDecryption: true }),
    );
    ssm.destroy();
    const token = (JSON.parse(stored.Parameter?.Value ?? '{}') as { accessToken: string })
      .accessToken;
    expect(createHash('sha256').update(token).digest('hex')).toBe(runs[0]?.digest);
    // Nothing the processes printed contains the token or the client secret.
    const printed = runs.map((run) => run.output).join('\n');
    expect(printed).not.toContain(token);
    expect(printed).not.toContain(stack.env.AUTH0_M2M_CLIENT_SECRET);
  });
});
