/**
 * Child processes for the packaging checks: every tool runs as its own command line, exactly
 * as a developer would type it, and a failure reports the whole output.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `packaging/test/support/`). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What a command printed, and how it ended. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Milliseconds before the command is killed; a hung tool must not hang the suite. */
  readonly timeoutMs?: number;
}

/**
 * Runs `file args…` and resolves with its exit code and output (it never rejects on a
 * non-zero exit: the caller asserts on the code, so the failure message shows the output).
 *
 * @example
 * ```ts
 * const { code, stdout } = await run('npm', ['--version']);
 * ```
 */
export function run(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`${file} ${args.join(' ')} failed to run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * Runs a package's command-line script with the current Node (`node <bin> args…`): no
 * dependence on `npx` or on which `node` comes first on PATH.
 *
 * @example
 * ```ts
 * await runBin('publint', 'src/cli.js', ['--strict', tarball]);
 * ```
 */
export function runBin(
  packageName: string,
  binPath: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const script = join(REPO_ROOT, 'node_modules', packageName, binPath);
  return run(process.execPath, [script, ...args], options);
}

/** A workspace package's manifest, as far as the checks read it. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly bin?: Record<string, string>;
  readonly exports?: Record<string, unknown>;
  readonly files?: readonly string[];
  readonly scripts?: Record<string, string>;
  readonly engines?: Record<string, string>;
  readonly [key: string]: unknown;
}

/** One workspace package: its directory (relative to the root) and manifest. */
export interface WorkspacePackage {
  readonly directory: string;
  readonly manifest: Manifest;
}

/**
 * Every workspace package that is published (not `private`), in the root manifest's order.
 *
 * @example
 * ```ts
 * (await publishablePackages()).map((p) => p.manifest.name); // ['@token-cache/core', '@token-cache/cli']
 * ```
 */
export async function publishablePackages(): Promise<WorkspacePackage[]> {
  const root = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const packages: WorkspacePackage[] = [];
  for (const directory of root.workspaces) {
    const manifest = JSON.parse(
      await readFile(join(REPO_ROOT, directory, 'package.json'), 'utf8'),
    ) as Manifest;
    if (manifest.private !== true) packages.push({ directory, manifest });
  }
  return packages;
}
