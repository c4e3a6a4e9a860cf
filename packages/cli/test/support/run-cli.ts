/**
 * Runs the real `token-cache` launcher as a child process, as a user would, and records every
 * byte it prints so the redaction assertions can inspect the whole run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The launcher under test (`npx token-cache` resolves to this file). */
export const BIN = fileURLToPath(new URL('../../bin/token-cache.js', import.meta.url));

/** The outcome of one run. */
export interface CliRun {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Everything every run printed, for the redaction checks. */
export const transcript: CliRun[] = [];

/**
 * A clean environment: nothing from the developer's shell (no real AWS credentials, no
 * POWERTOOLS_DEV) leaks into a run.
 */
export function baseEnv(extra: Readonly<Record<string, string>>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    ...extra,
  };
}

/**
 * Runs `token-cache <args>` with `env` and resolves when it exits.
 *
 * @example
 * ```ts
 * const run = await runCli(['inspect', '--json'], baseEnv(stack.env));
 * ```
 */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const run = { args, code, stdout, stderr };
      transcript.push(run);
      resolve(run);
    });
  });
}

/**
 * Starts a long-running command and resolves with the child once its first stdout line arrives.
 *
 * @example
 * ```ts
 * const { child, firstLine } = await startCli(['dev', '--port', '0', '--json'], env);
 * ```
 */
export function startCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<{ child: ChildProcess; firstLine: string; exited: Promise<CliRun> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let announced = false;
    const exited = new Promise<CliRun>((done) => {
      child.on('close', (code) => {
        const run = { args, code, stdout, stderr };
        transcript.push(run);
        done(run);
        if (!announced) reject(new Error(`exited (${code}) before printing: ${stderr}`));
      });
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (!announced && newline >= 0) {
        announced = true;
        resolve({ child, firstLine: stdout.slice(0, newline), exited });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
  });
}

/** A loopback port with nothing listening: connections are refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A parsed JSON document: the tests navigate it freely and assert on what they find. */
// biome-ignore lint/suspicious/noExplicitAny: untyped parsed JSON, checked by the assertions
export type JsonDocument = Record<string, any>;

/** Parses a `--json` run's stdout (exactly one JSON document). */
export function json(run: CliRun): JsonDocument {
  try {
    return JSON.parse(run.stdout) as JsonDocument;
  } catch {
    throw new Error(
      `stdout of ${run.args.join(' ')} is not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`,
    );
  }
}

/** JWT-shaped strings (header.payload.signature, base64url, starting like `{"`). */
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/;
