/**
 * The deployable artefacts end to end: `npm run bundle`'s zips are unzipped into a temporary
 * directory, and each handler is loaded from there by a fresh Node process (a cold Lambda
 * container) whose environment is what Terraform sets, pointed at the local stack (SSM,
 * Secrets Manager, the IdP and the protected API on loopback). Upstream calls are counted.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundledFunction, bundleLambdas, type LAMBDA_FUNCTIONS } from '../scripts/bundle.js';

const PARAMETER_NAME = '/vwc/dev/auth0-token-cache';

let stack: LocalStack;
let workDir: string;
let bundles: BundledFunction[];
let ssm: SSMClient;
/** Terraform's environment for the functions, pointed at the stack. */
let lambdaEnv: Record<string, string>;

/** The runner stands in for the Lambda runtime: import `index.mjs`, call `handler(event)`. */
const RUNNER = `
import { pathToFileURL } from 'node:url';
const [bundle, event] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const result = await handler(JSON.parse(event));
process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');
`;

interface Invocation {
  readonly result: Record<string, unknown>;
  /** Everything the function wrote: its logs and EMF metrics. */
  readonly output: string;
}

/** Runs one handler in a new Node process (a cold container) with `env`. */
async function invoke(
  fn: keyof typeof LAMBDA_FUNCTIONS,
  event: unknown,
  env: Record<string, string> = {},
): Promise<Invocation> {
  const child = spawn(
    process.execPath,
    [
      join(workDir, 'runner.mjs'),
      join(workDir, 'unzipped', fn, 'index.mjs'),
      JSON.stringify(event),
    ],
    {
      env: { PATH: process.env.PATH ?? '', ...lambdaEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = output.split('\n').find((each) => each.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`${fn} exited with ${code}:\n${output}`);
  return { result: JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>, output };
}

/** The metrics in a function's EMF log lines, one entry per metric and dimension set. */
function emfMetrics(output: string): Array<Record<string, unknown>> {
  const metrics: Array<Record<string, unknown>> = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"_aws"')) continue;
    const document = JSON.parse(line) as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: Array<{
          Namespace: string;
          Dimensions: string[][];
          Metrics: Array<{ Name: string }>;
        }>;
      };
    };
    for (const directive of document._aws.CloudWatchMetrics) {
      for (const dimensions of directive.Dimensions) {
        for (const { Name } of directive.Metrics) {
          metrics.push({
            namespace: directive.Namespace,
            dimensions,
            ...Object.fromEntries(dimensions.map((name) => [name, document[name]])),
            metric: Name,
            value: document[Name],
          });
        }
      }
    }
  }
  return metrics;
}

async function storedValue(): Promise<string> {
  const { Parameter } = await ssm.send(
    new GetParameterCommand({ Name: PARAMETER_NAME, WithDecryption: true }),
  );
  return Parameter?.Value ?? '';
}

/** What `terraform apply` leaves behind: the SecureString placeholder. */
async function resetParameter(): Promise<void> {
  await ssm.send(
    new PutParameterCommand({
      Name: PARAMETER_NAME,
      Value: 'not-initialized',
      Type: 'SecureString',
      Overwrite: true,
    }),
  );
}

function expectNoSecrets(output: string, accessToken: string): void {
  expect(output).not.toContain(accessToken);
  expect(output).not.toContain(DEFAULT_CLIENT.clientSecret);
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'vwc-bundle-'));
  bundles = await bundleLambdas(join(workDir, 'build'));
  // Unzip exactly what would be uploaded: the test loads nothing from the repository.
  for (const bundle of bundles) {
    for (const [file, bytes] of Object.entries(unzipSync(await readFile(bundle.zipFile)))) {
      const target = join(workDir, 'unzipped', bundle.name, file);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
  }
  await writeFile(join(workDir, 'runner.mjs'), RUNNER);

  stack = await start({ ssm: { readsPerSecond: 0, writesPerSecond: 0 } });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  ssm = new SSMClient({ endpoint: stack.url, region: 'us-west-2', credentials });
  const secrets = new SecretsManagerClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials,
  });
  const secret = await secrets.send(
    new CreateSecretCommand({
      Name: 'vwc/dev/app',
      SecretString: JSON.stringify({
        AUTH0_DOMAIN: stack.url,
        AUTH0_M2M_CLIENT_ID: DEFAULT_CLIENT.clientId,
        AUTH0_M2M_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
        AUTH0_AUDIENCE: DEFAULT_CLIENT.audience,
      }),
    }),
  );
  await resetParameter();

  // infra/lambda.tf's environment; credentials come from the secret, as in AWS, so the
  // stack's AUTH0_* variables are left out.
  lambdaEnv = {
    AWS_ENDPOINT_URL: stack.url,
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SECRET_ID: secret.ARN ?? '',
    AUTH0_TOKEN_PARAMETER_NAME: PARAMETER_NAME,
    TOKEN_CACHE_SHARED: 'on',
    TOKEN_CACHE_PARAMETER_TYPE: 'SecureString',
    TOKEN_CACHE_PARAMETER_TIER: 'Standard',
    TOKEN_CACHE_ENVIRONMENT: 'dev',
    TOKEN_CACHE_NAME: 'auth0',
    NODE_OPTIONS: '--enable-source-maps',
    MONGODB_DATABASE: 'vehicle_wellness_center',
    VEHICLE_API_URL: stack.url,
  };
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Markers of code a cold start of the SSM-backed functions should not load. */
const LAZY_CODE = {
  // The DynamoDB client's service target, in its protocol settings.
  '@aws-sdk/client-dynamodb': 'DynamoDB_20120810',
  // A variable only Powertools reads.
  '@aws-lambda-powertools/metrics': 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

describe('the bundles', () => {
  it('zip every chunk, and a cold start loads at most 700 KB of them: no DynamoDB, no Powertools', async () => {
    for (const bundle of bundles) {
      const zipped = Object.keys(unzipSync(await readFile(bundle.zipFile))).sort();
      expect(zipped, bundle.name).toContain('index.mjs');
      expect(zipped, bundle.name).toEqual(expect.arrayContaining([...bundle.coldStartFiles]));
      expect(zipped.filter((file) => file.startsWith('chunks/')).length).toBeGreaterThan(0);
      expect(bundle.coldStartBytes, bundle.name).toBeLessThanOrEqual(700_000);
      expect(bundle.coldStartBytes, bundle.name).toBeLessThan(bundle.totalBytes);

      const read = async (files: readonly string[]) =>
        (
          await Promise.all(files.map((file) => readFile(join(bundle.directory, file), 'utf8')))
        ).join('\n');
      const coldStart = await read(bundle.coldStartFiles);
      const everything = await read(zipped.filter((file) => file.endsWith('.mjs')));
      for (const [name, marker] of Object.entries(LAZY_CODE)) {
        // In the zip (the paths that need it load it), not in what every cold start loads.
        expect(everything, `${bundle.name}: ${name}`).toContain(marker);
        expect(coldStart, `${bundle.name}: ${name}`).not.toContain(marker);
      }
    }
  });
});

describe('get-vehicle-overview.zip', () => {
  it('answers 200 with the API result, and the first cold container fetches the one token', async () => {
    stack.counters.reset();
    const { result, output } = await invoke('get-vehicle-overview', {
      pathParameters: { id: 'v-42' },
    });

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toMatchObject({ vehicleId: 'v-42', status: 'parked' });
    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(stack.counters.get('secretsmanager.GetSecretValue')).toBe(1);
    expect(stack.counters.get('api.accepted')).toBe(1);

    const envelope = JSON.parse(await storedValue()) as {
      v: number;
      accessToken: string;
      expiresAt: number;
    };
    expect(envelope).toMatchObject({ v: 1, accessToken: expect.any(String) });
    expect(envelope.expiresAt).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expectNoSecrets(output, envelope.accessToken);

    // The EMF line the endpoint-fetch alarm (infra/alarms.tf) watches: same namespace, metric
    // name and exact dimension set as the alarm, with the values Terraform sets.
    expect(emfMetrics(output)).toContainEqual({
      namespace: 'TokenCache',
      dimensions: ['CacheName', 'Environment'],
      CacheName: 'auth0',
      Environment: 'dev',
      metric: 'EndpointFetch',
      value: 1,
    });
  });

  it('serves a second cold container from Parameter Store without calling the IdP', async () => {
    stack.counters.reset();
    const { result, output } = await invoke('get-vehicle-overview', {
      pathParameters: { id: 'v-7' },
    });

    expect(result.statusCode).toBe(200);
    expect(stack.counters.get('idp.token')).toBe(0);
    expect(stack.counters.get('ssm.GetParameter')).toBe(1);
    expect(stack.counters.get('ssm.PutParameter')).toBe(0);
    expectNoSecrets(
      output,
      (JSON.parse(await storedValue()) as { accessToken: string }).accessToken,
    );
  });

  it('answers 500 and names the variable when VEHICLE_API_URL is missing', async () => {
    stack.counters.reset();
    const { result, output } = await invoke(
      'get-vehicle-overview',
      { pathParameters: { id: 'v-1' } },
      { VEHICLE_API_URL: '' },
    );
    expect(result.statusCode).toBe(500);
    expect(output).toContain('VEHICLE_API_URL');
    expect(stack.counters.get('idp.token')).toBe(0);
  });
});

describe('token-refresher.zip', () => {
  it('refreshes a placeholder once; the next run finds the fresh token and does nothing', async () => {
    await resetParameter();
    stack.counters.reset();

    const first = await invoke('token-refresher', { source: 'vwc.token-refresher.schedule' });
    expect(first.result).toMatchObject({ refreshed: true, thresholdMinutes: 120 });
    expect(first.result.remainingMinutes).toBeGreaterThan(23 * 60);
    expect(stack.counters.get('idp.issued')).toBe(1);
    const stored = JSON.parse(await storedValue()) as { accessToken: string; expiresAt: number };
    expect(new Date(String(first.result.expiresAt)).getTime()).toBe(stored.expiresAt);
    expectNoSecrets(first.output, stored.accessToken);

    const second = await invoke('token-refresher', { source: 'vwc.token-refresher.schedule' });
    expect(second.result).toMatchObject({ refreshed: false, expiresAt: first.result.expiresAt });
    expect(stack.counters.get('idp.issued')).toBe(1);
    expect((JSON.parse(await storedValue()) as { accessToken: string }).accessToken).toBe(
      stored.accessToken,
    );
  });

  it('refreshes a stored token whose remaining life is below the threshold', async () => {
    stack.counters.reset();
    const before = JSON.parse(await storedValue()) as { accessToken: string; expiresAt: number };
    // 25 hours: longer than the 24-hour token, so the stored one counts as expiring.
    const { result } = await invoke(
      'token-refresher',
      {},
      { TOKEN_REFRESH_THRESHOLD_MINUTES: '1500' },
    );

    expect(result).toMatchObject({ refreshed: true, thresholdMinutes: 1500 });
    expect(stack.counters.get('idp.issued')).toBe(1);
    // The IdP may mint a byte-identical JWT within the same second (same claims, RS256 is
    // deterministic), so the proof of the refresh is the issued count and the reported expiry.
    const after = JSON.parse(await storedValue()) as { accessToken: string; expiresAt: number };
    expect(after.expiresAt).toBeGreaterThanOrEqual(before.expiresAt);
    expect(new Date(String(result.expiresAt)).getTime()).toBe(after.expiresAt);
  });

  it('does nothing with the shared tier switched off (the rollback switch)', async () => {
    await resetParameter();
    stack.counters.reset();
    const { result } = await invoke('token-refresher', {}, { TOKEN_CACHE_SHARED: 'off' });

    expect(result).toMatchObject({
      refreshed: false,
      skipped: expect.stringContaining('TOKEN_CACHE_SHARED'),
    });
    expect(stack.counters.get('idp.token')).toBe(0);
    expect(stack.counters.get('ssm.GetParameter')).toBe(0);
  });
});
