/**
 * One local stack per strategy run, driven only through its HTTP control API (`/_stack/...`),
 * so the same code works whether the stack runs in this process or in a child process.
 *
 * The fleet benchmark runs the stack in a child process: the simulated fleet (hundreds of SDK
 * clients and caches) and the stack (SSM, IdP signing, JWT verification) then use separate
 * cores and event loops, as the real fleet and AWS do, and neither's CPU shows up as the
 * other's latency. Tests run it in-process, which starts faster.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FaultSpec } from '@token-cache/local-stack';
import { DEFAULT_CLIENT, start } from '@token-cache/local-stack';

/** Limits the stack enforces; the benchmark keeps AWS's and Auth0's real rates. */
export interface BenchStackOptions {
  /** `child` (default): a separate Node.js process; `in-process`: this event loop. */
  readonly mode?: 'child' | 'in-process';
  /** SSM token buckets (AWS defaults: 40 reads/s, 3 writes/s). */
  readonly readsPerSecond: number;
  readonly writesPerSecond: number;
  /** `expires_in` of issued tokens, seconds. */
  readonly expiresInSeconds: number;
  /** IdP requests per second before 429 (Auth0 free plan: 30). */
  readonly idpRateLimitPerSecond: number;
}

/** A running stack, as the benchmark sees it. */
export interface BenchStack {
  readonly url: string;
  /** `${url}/`, the `iss` of issued tokens. */
  readonly issuer: string;
  readonly client: typeof DEFAULT_CLIENT;
  counters(): Promise<Record<string, number>>;
  resetCounters(): Promise<void>;
  setFault(target: string, spec: FaultSpec): Promise<void>;
  clearFault(target: string): Promise<void>;
  setExpiresIn(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a stack and returns its control handle.
 *
 * @example
 * ```ts
 * const stack = await launchBenchStack({ readsPerSecond: 40, writesPerSecond: 3, expiresInSeconds: 20, idpRateLimitPerSecond: 30 });
 * await stack.setFault('idp.token', { latencyMs: 100 });
 * (await stack.counters())['idp.token'];
 * await stack.stop();
 * ```
 */
export async function launchBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const { url, stop } =
    options.mode === 'in-process' ? await startInProcess(options) : await startChild(options);
  return controlHandle(url, stop);
}

async function startInProcess(
  options: BenchStackOptions,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const stack = await start({
    ssm: { readsPerSecond: options.readsPerSecond, writesPerSecond: options.writesPerSecond },
    // The monthly quota is not simulated: a run lasts seconds; the report projects months.
    idp: {
      expiresInSeconds: options.expiresInSeconds,
      rateLimitPerSecond: options.idpRateLimitPerSecond,
      monthlyQuota: 0,
    },
  });
  return { url: stack.url, stop: () => stack.stop() };
}

const STACK_MAIN = fileURLToPath(new URL('../../local-stack/src/main.ts', import.meta.url));
const LISTENING = /listening on (http:\/\/\S+)/;
const STARTUP_TIMEOUT_MS = 30_000;

async function startChild(
  options: BenchStackOptions,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      '--conditions=source',
      STACK_MAIN,
      '--port=0',
      `--reads-per-second=${options.readsPerSecond}`,
      `--writes-per-second=${options.writesPerSecond}`,
      `--expires-in=${options.expiresInSeconds}`,
      `--idp-rate-limit=${options.idpRateLimitPerSecond}`,
      '--monthly-quota=0',
    ],
    // The banner prints the stack's local-only client secret: keep it out of our output.
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await waitForUrl(child);
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the local stack did not start within ${STARTUP_TIMEOUT_MS} ms`));
    }, STARTUP_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = LISTENING.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local stack exited (code ${code}) before listening: ${stderr.trim()}`));
    });
  });
}

function controlHandle(url: string, stop: () => Promise<void>): BenchStack {
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/_stack/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `local stack control ${method} /_stack/${path} failed: ${response.status} ${text}`,
      );
    }
    return text === '' ? {} : JSON.parse(text);
  };
  return {
    url,
    issuer: `${url}/`,
    client: DEFAULT_CLIENT,
    counters: async () => (await control('GET', 'counters')) as Record<string, number>,
    resetCounters: async () => {
      await control('DELETE', 'counters');
    },
    setFault: async (target, spec) => {
      await control('POST', 'faults', { target, ...spec });
    },
    clearFault: async (target) => {
      await control('DELETE', `faults?target=${encodeURIComponent(target)}`);
    },
    setExpiresIn: async (seconds) => {
      await control('POST', 'idp/expires-in', { seconds });
    },
    stop,
  };
}
