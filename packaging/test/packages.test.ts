/**
 * The published packages as a user receives them: each publishable workspace package is built
 * and packed into a temporary directory, its tarball is linted by `publint --strict` and
 * `attw` (are the types wrong), and a fresh project installs the tarballs with npm and compiles
 * and runs a consumer as CommonJS (`.cts`) and ESM (`.mts`) under node16 resolution and as a
 * bundler-resolution file. Nothing here reads the workspace's sources: only the tarballs.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandResult,
  publishablePackages,
  REPO_ROOT,
  run,
  runBin,
  type WorkspacePackage,
} from './support/commands.js';

/** One packed package. */
interface Tarball {
  readonly pkg: WorkspacePackage;
  readonly file: string;
  readonly bytes: number;
  readonly files: readonly string[];
}

/** Generous: each step spawns a tool, and a CI machine has two cores shared with other tests. */
const STEP_TIMEOUT_MS = 120_000;

let workDir: string;
let tarballs: Tarball[] = [];
let consumerDir: string;

function output(result: CommandResult): string {
  return `exit ${result.code}\n${result.stdout}\n${result.stderr}`;
}

async function packAll(): Promise<Tarball[]> {
  const destination = join(workDir, 'tarballs');
  await mkdir(destination, { recursive: true });
  const packed: Tarball[] = [];
  // One after the other: two builds at once on a 2-core machine are no faster.
  for (const pkg of await publishablePackages()) {
    const build = await run('npm', ['run', 'build', '-w', pkg.manifest.name]);
    expect(build.code, output(build)).toBe(0);
    // The build ran just above; --ignore-scripts keeps prepack from running it a second time
    // and keeps the JSON report alone on stdout.
    const pack = await run('npm', [
      'pack',
      '-w',
      pkg.manifest.name,
      '--ignore-scripts',
      '--json',
      '--pack-destination',
      destination,
    ]);
    expect(pack.code, output(pack)).toBe(0);
    const [report] = JSON.parse(pack.stdout) as Array<{
      filename: string;
      size: number;
      files: Array<{ path: string }>;
    }>;
    if (!report) throw new Error(`npm pack printed no report for ${pkg.manifest.name}`);
    packed.push({
      pkg,
      file: join(destination, report.filename),
      bytes: report.size,
      files: report.files.map((file) => file.path),
    });
  }
  return packed;
}

/**
 * Installs the tarballs into a new project. The registry's metadata comes from npm's cache when
 * `npm ci` put it there; otherwise npm may ask the registry (package tarballs still come from
 * the cache).
 */
async function installConsumer(): Promise<string> {
  const dir = join(workDir, 'consumer');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const args = ['install', '--no-audit', '--no-fund', ...tarballs.map((t) => t.file)];
  let install = await run('npm', [...args, '--offline'], { cwd: dir });
  if (install.code !== 0 && /ENOTCACHED/.test(install.stderr)) {
    install = await run('npm', [...args, '--prefer-offline'], { cwd: dir });
  }
  expect(install.code, output(install)).toBe(0);
  return dir;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'token-cache-packaging-'));
  tarballs = await packAll();
  consumerDir = await installConsumer();
}, 240_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('packed tarballs', { timeout: STEP_TIMEOUT_MS }, () => {
  it('are the publishable workspace packages', () => {
    expect(tarballs.map((t) => t.pkg.manifest.name).sort()).toEqual([
      '@token-cache/cli',
      '@token-cache/core',
    ]);
  });

  it('carry the license, a README and the metadata a registry page shows', () => {
    for (const { pkg, files } of tarballs) {
      const name = pkg.manifest.name;
      expect(files, name).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
      expect(pkg.manifest.license, name).toBe('MIT');
      expect(pkg.manifest.engines?.node, name).toBe('>=22');
      for (const field of ['repository', 'homepage', 'keywords', 'publishConfig']) {
        expect(pkg.manifest[field], `${name} ${field}`).toBeDefined();
      }
      expect(pkg.manifest.scripts?.prepack, name).toBeDefined();
    }
  });

  it('leave the AWS SDK and Powertools to the consumer: peer dependencies with ranges', () => {
    const core = tarballs.find((t) => t.pkg.manifest.name === '@token-cache/core');
    const manifest = core?.pkg.manifest as
      | { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }
      | undefined;
    const shared = /^@aws-sdk\/|^@aws-lambda-powertools\//;
    expect(Object.keys(manifest?.dependencies ?? {}).filter((name) => shared.test(name))).toEqual(
      [],
    );
    const peers = Object.entries(manifest?.peerDependencies ?? {});
    expect(peers.map(([name]) => name)).toContain('@aws-sdk/client-ssm');
    for (const [name, range] of peers) expect(range, name).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it('load an optional peer dependency only when it is used', async () => {
    const core = tarballs.find((t) => t.pkg.manifest.name === '@token-cache/core');
    const manifest = core?.pkg.manifest as
      | { peerDependenciesMeta?: Record<string, { optional?: boolean }> }
      | undefined;
    const optional = Object.entries(manifest?.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional === true)
      .map(([name]) => name);
    expect(optional.sort()).toEqual([
      '@aws-lambda-powertools/logger',
      '@aws-lambda-powertools/metrics',
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-secrets-manager',
    ]);
    // Every module an ESM entry loads up front: none of them may import an optional peer
    // statically (an application without it would fail at its first import), except the entry
    // that exists for it.
    const dist = join(REPO_ROOT, 'packages', 'token-cache', 'dist');
    const own: Record<string, readonly string[]> = {
      'index.js': [],
      'ssm.js': [],
      'multi-region.js': [],
      'fetch.js': [],
      'middy.js': [],
      'dynamodb.js': ['@aws-sdk/client-dynamodb'],
      'telemetry.js': ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics'],
    };
    const staticImportsOf = async (entry: string): Promise<Set<string>> => {
      const seen = new Set<string>();
      const pending = [entry];
      const found = new Set<string>();
      for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
        if (seen.has(file)) continue;
        seen.add(file);
        const code = await readFile(join(dist, file), 'utf8');
        for (const match of code.matchAll(
          /(?:^|[;\s])(?:import|export)[^'"()]*?['"]([^'"]+)['"]/g,
        )) {
          const specifier = match[1] ?? '';
          if (specifier.startsWith('./')) pending.push(specifier.slice(2));
          else found.add(specifier);
        }
      }
      return found;
    };
    expect([...(await staticImportsOf('index.js'))]).toContain('@aws-sdk/client-ssm');
    for (const [entry, allowed] of Object.entries(own)) {
      const imports = await staticImportsOf(entry);
      for (const name of optional) {
        if (allowed.includes(name)) expect([...imports], `${entry} ${name}`).toContain(name);
        else expect([...imports], `${entry} ${name}`).not.toContain(name);
      }
    }
  });

  it('pass publint --strict without a single message', async () => {
    for (const tarball of tarballs) {
      const lint = await runBin('publint', 'src/cli.js', ['--strict', tarball.file]);
      expect(lint.code, output(lint)).toBe(0);
      expect(lint.stdout, `${tarball.pkg.manifest.name}\n${output(lint)}`).toContain('All good!');
    }
  });

  it('have types that resolve for node10, node16 (CommonJS and ESM) and bundlers (attw)', async () => {
    for (const tarball of tarballs) {
      const attw = await runBin('@arethetypeswrong/cli', 'dist/index.js', [
        '--format',
        'json',
        tarball.file,
      ]);
      expect(attw.code, output(attw)).toBe(0);
      const report = JSON.parse(attw.stdout) as {
        analysis: { types: false | object };
        problems?: Record<string, unknown[]> | unknown[];
      };
      if (tarball.pkg.manifest.exports === undefined) {
        // A command-only package (the CLI) has no entry point to type.
        expect(report.analysis.types, tarball.pkg.manifest.name).toBe(false);
        expect(tarball.pkg.manifest.bin, tarball.pkg.manifest.name).toBeDefined();
        continue;
      }
      expect(report.analysis.types, tarball.pkg.manifest.name).not.toBe(false);
      expect(Object.values(report.problems ?? {}).flat(), output(attw)).toEqual([]);
    }
  });
});

describe('a consumer project with the tarballs installed', { timeout: STEP_TIMEOUT_MS }, () => {
  const usage = join(REPO_ROOT, 'packaging', 'test', 'consumer', 'usage.ts');
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const typeRoots = [join(REPO_ROOT, 'node_modules', '@types')];

  async function compile(config: object): Promise<CommandResult> {
    await writeFile(join(consumerDir, 'tsconfig.json'), JSON.stringify(config, null, 2));
    return run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumerDir });
  }

  it('compiles and runs a .cts and a .mts file under node16 resolution', async () => {
    await copyFile(usage, join(consumerDir, 'consumer.cts'));
    await copyFile(usage, join(consumerDir, 'consumer.mts'));
    const result = await compile({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        strict: true,
        outDir: 'out',
        // The library's declarations come from a type-checked build; checking the AWS SDK's
        // as well would only make this slower.
        skipLibCheck: true,
        types: ['node'],
        typeRoots,
      },
      files: ['consumer.cts', 'consumer.mts'],
    });
    expect(result.code, output(result)).toBe(0);

    for (const emitted of ['consumer.cjs', 'consumer.mjs']) {
      const program = await run(process.execPath, [join('out', emitted)], { cwd: consumerDir });
      expect(program.code, `${emitted}\n${output(program)}`).toBe(0);
      expect(JSON.parse(program.stdout), emitted).toEqual({
        endpointCalls: 1,
        sameToken: true,
        errorClass: 'function',
        fetch: 'function',
        store: 'function',
        sharedClasses: true,
      });
    }
    // Each format loaded its own build.
    const cjs = await readFile(join(consumerDir, 'out', 'consumer.cjs'), 'utf8');
    expect(cjs).toContain('require("@token-cache/core")');
  });

  it('shares one copy of the AWS SDK client with the library', async () => {
    const nested = join(consumerDir, 'node_modules', '@token-cache', 'core', 'node_modules');
    const nestedSdk = await readFile(
      join(nested, '@aws-sdk', 'client-ssm', 'package.json'),
      'utf8',
    ).catch(() => undefined);
    expect(nestedSdk).toBeUndefined();
    const hoisted = await readFile(
      join(consumerDir, 'node_modules', '@aws-sdk', 'client-ssm', 'package.json'),
      'utf8',
    );
    expect(JSON.parse(hoisted).name).toBe('@aws-sdk/client-ssm');
  });

  it('runs the installed token-cache command from its built bundle', async () => {
    const cli = tarballs.find((t) => t.pkg.manifest.name === '@token-cache/cli');
    const bin = join(consumerDir, 'node_modules', '@token-cache', 'cli', 'bin', 'token-cache.js');
    const version = await run(process.execPath, [bin, '--version'], { cwd: consumerDir });
    expect(version.code, output(version)).toBe(0);
    expect(version.stdout).toBe(`${cli?.pkg.manifest.version}\n`);
  });

  it('compiles a file under bundler resolution', async () => {
    await copyFile(usage, join(consumerDir, 'bundler.ts'));
    const result = await compile({
      compilerOptions: {
        module: 'preserve',
        moduleResolution: 'bundler',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots,
      },
      files: ['bundler.ts'],
    });
    expect(result.code, output(result)).toBe(0);
  });
});
