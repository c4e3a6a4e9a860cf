/**
 * The `token-cache` command end to end: each command as a spawned process against the local
 * stack (real SSM wire protocol through the AWS SDK, the Auth0-compatible token endpoint),
 * `--json` parsed, exit codes, and the failure modes an operator meets.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  baseEnv,
  closedPort,
  type JsonDocument,
  JWT_SHAPE,
  json,
  runCli,
  startCli,
  transcript,
} from './support/run-cli.js';

let stack: LocalStack;
let parameterCount = 0;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await start({ ssm: { readsPerSecond: 0, writesPerSecond: 0 } });
});

afterAll(async () => {
  await stack.stop();
});

/** An environment with a parameter of its own: the fleet state of one test never leaks into another. */
function freshEnv(): Record<string, string> {
  parameterCount += 1;
  return baseEnv({ ...stack.env, AUTH0_TOKEN_PARAMETER_NAME: `/it/cli/${parameterCount}` });
}

beforeEach(() => {
  stack.faults.clear();
  stack.counters.reset();
  env = freshEnv();
});

async function callApi(token: string): Promise<number> {
  const response = await fetch(`${stack.url}/vehicles/1/overview`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

describe('get', () => {
  it('prints a working token, and a second process reuses it through the store', async () => {
    const first = await runCli(['get'], env);
    expect(first.code).toBe(0);
    const token = first.stdout.trim();
    expect(token).toMatch(JWT_SHAPE);
    expect(await callApi(token)).toBe(200);
    expect(stack.counters.get('idp.token')).toBe(1);

    const second = await runCli(['get'], env);
    expect(second.stdout.trim()).toBe(token);
    // A new process (a cold start) read the store: no second token was issued.
    expect(stack.counters.get('idp.token')).toBe(1);
  });

  it('--json gives the token with its expiry and claims', async () => {
    const run = await runCli(['get', '--json'], env);
    expect(run.code).toBe(0);
    const document = json(run);
    expect(document.ok).toBe(true);
    expect(document.token.accessToken).toMatch(JWT_SHAPE);
    expect(document.token.expiresInMs).toBeGreaterThan(23 * 3_600_000);
    expect(document.token.claims).toMatchObject({
      iss: stack.issuer,
      aud: DEFAULT_CLIENT.audience,
      azp: DEFAULT_CLIENT.clientId,
      scope: DEFAULT_CLIENT.scope,
    });
  });

  it('exits 4 when the endpoint rejects the credentials', async () => {
    const run = await runCli(['get', '--json'], {
      ...env,
      AUTH0_M2M_CLIENT_SECRET: 'wrong-secret-value-123',
    });
    expect(run.code).toBe(4);
    expect(json(run).error).toMatchObject({ status: 401, error: 'access_denied' });
  });
});

describe('inspect', () => {
  it('describes the stored token without printing it', async () => {
    const token = (await runCli(['get'], env)).stdout.trim();
    const run = await runCli(['inspect', '--json'], env);

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(token);
    const document = json(run);
    expect(document.parameter).toMatchObject({
      name: env.AUTH0_TOKEN_PARAMETER_NAME,
      exists: true,
      version: 1,
      type: 'SecureString',
      tier: 'Standard',
      maxValueLength: 4096,
    });
    expect(document.parameter.valueLength).toBeGreaterThan(token.length);
    expect(document.parameter.headroom).toBe(4096 - document.parameter.valueLength);
    expect(document.value).toMatchObject({
      format: 'envelope',
      clientId: DEFAULT_CLIENT.clientId,
      freshness: 'fresh',
      verdict: 'usable',
      claims: {
        iss: stack.issuer,
        aud: DEFAULT_CLIENT.audience,
        azp: DEFAULT_CLIENT.clientId,
        scope: DEFAULT_CLIENT.scope,
      },
    });
    expect(document.value.expiresInMs).toBeGreaterThan(23 * 3_600_000);
    expect(typeof document.parameter.lastModified).toBe('string');
    // On SSM the lock parameter stays after a release (never deleted): a lease nobody holds.
    expect(document.lease).toMatchObject({
      name: `${env.AUTH0_TOKEN_PARAMETER_NAME}-lock`,
      held: false,
      released: true,
      backoffUntil: null,
    });
    const text = await runCli(['inspect'], env);
    expect(text.stdout).toMatch(/Lease +free \(released by /);
    expect(document.value).not.toHaveProperty('accessToken');
  });

  it('shows the token only with --show-token', async () => {
    const token = (await runCli(['get'], env)).stdout.trim();
    const run = await runCli(['inspect', '--json', '--show-token'], env);
    expect(json(run).value.accessToken).toBe(token);
  });

  it('reports a missing parameter with exit 1 and how to create it', async () => {
    const run = await runCli(['inspect'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('does not exist');
    expect(run.stdout).toContain('Terraform');
  });

  it('exits 3 when the store is unreachable', async () => {
    const port = await closedPort();
    const run = await runCli(['inspect', '--json'], {
      ...env,
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
    });
    expect(run.code).toBe(3);
    expect(json(run).error).toMatchObject({
      code: 'STORE_ERROR',
      kind: 'unavailable',
      operation: 'GetParameter',
    });
  });
});

describe('refresh and clear', () => {
  it('refreshes only when forced or when the token expires within the given time', async () => {
    const token = (await runCli(['get'], env)).stdout.trim();

    const notNeeded = json(await runCli(['refresh', '--json'], env));
    expect(notNeeded.refreshed).toBe(false);
    expect(stack.counters.get('idp.token')).toBe(1);

    const forced = await runCli(['refresh', '--force', '--json'], env);
    expect(forced.code).toBe(0);
    expect(json(forced).refreshed).toBe(true);
    expect(json(forced).token).not.toHaveProperty('accessToken');
    expect(stack.counters.get('idp.token')).toBe(2);

    // Tokens live 24 h: "within 25 h" is always true, so it refreshes again.
    const within = json(await runCli(['refresh', '--if-expiring-within', '25h', '--json'], env));
    expect(within.refreshed).toBe(true);
    expect(stack.counters.get('idp.token')).toBe(3);

    const stored = json(await runCli(['inspect', '--json', '--show-token'], env));
    expect(stored.value.accessToken).not.toBe(token);
  });

  it('rejects a malformed duration with exit 2, naming the flag', async () => {
    const run = await runCli(['refresh', '--if-expiring-within', 'soon'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--if-expiring-within');
    expect(stack.counters.get('idp.token')).toBe(0);
  });

  it('clear leaves the placeholder, and the next get obtains a new token', async () => {
    await runCli(['get'], env);
    const cleared = await runCli(['clear', '--json'], env);
    expect(cleared.code).toBe(0);
    expect(json(cleared)).toMatchObject({ ok: true, cleared: true });

    const inspected = json(await runCli(['inspect', '--json'], env));
    expect(inspected.value.format).toBe('placeholder');

    await runCli(['get'], env);
    expect(stack.counters.get('idp.token')).toBe(2);
  });

  it('clear exits 3 when the store denies the write', async () => {
    await runCli(['get'], env);
    stack.faults.set('ssm.PutParameter', { failure: 'access-denied' });
    const run = await runCli(['clear', '--json'], env);
    expect(run.code).toBe(3);
    expect(json(run).error).toMatchObject({ kind: 'access-denied' });
  });
});

// These runs neither count requests nor inject faults, so they run side by side.
describe.concurrent('configuration errors', () => {
  it.each([
    ['AUTH0_TOKEN_PARAMETER_NAME', { AUTH0_TOKEN_PARAMETER_NAME: 'has spaces' }],
    ['TOKEN_CACHE_SHARED', { TOKEN_CACHE_SHARED: 'maybe' }],
    ['TOKEN_CACHE_DEADLINE_MS', { TOKEN_CACHE_DEADLINE_MS: '-5' }],
  ])('exits 2 and names %s', async (variable, bad) => {
    const run = await runCli(['get', '--json'], { ...freshEnv(), ...bad });
    expect(run.code).toBe(2);
    expect(json(run).error).toMatchObject({ code: 'CONFIG_INVALID', variable });
    expect(json(run).error.message).toContain(variable);
  });

  it('names the variable of a missing credential', async () => {
    const { AUTH0_AUDIENCE: _, ...withoutAudience } = freshEnv();
    const run = await runCli(['get'], withoutAudience);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AUTH0_AUDIENCE');
  });

  it('names the flag when a flag is at fault', async () => {
    const run = await runCli(['inspect', '--parameter-name', 'not valid'], freshEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--parameter-name: AUTH0_TOKEN_PARAMETER_NAME must be a valid SSM parameter name/,
    );
  });

  it('reports an unknown command as a usage error, in JSON too', async () => {
    const run = await runCli(['fetch-token', '--json'], freshEnv());
    expect(run.code).toBe(2);
    expect(json(run)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('also runs through tsx, the launcher fallback without esbuild', async () => {
    const run = await runCli(['get', '--json'], { ...freshEnv(), TOKEN_CACHE_CLI_RUNNER: 'tsx' });
    expect(run.code).toBe(0);
    expect(json(run).token.accessToken).toMatch(JWT_SHAPE);
  });

  it('documents the exit codes in --help', async () => {
    const run = await runCli(['--help'], freshEnv());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Exit codes:');
    for (const command of ['get', 'inspect', 'refresh', 'clear', 'doctor', 'dev']) {
      expect(run.stdout).toContain(command);
    }
  });
});

describe('doctor', () => {
  const statuses = (document: JsonDocument) =>
    Object.fromEntries(
      (document.checks as Array<{ id: string; status: string }>).map((c) => [c.id, c.status]),
    );

  it('passes every check on a healthy setup, without writing the value', async () => {
    await runCli(['get'], env);
    const before = stack.counters.get('idp.token');
    const version = json(await runCli(['inspect', '--json'], env)).parameter.version;

    const run = await runCli(['doctor', '--json'], env);

    expect(run.code).toBe(0);
    const document = json(run);
    expect(document.healthy).toBe(true);
    expect(statuses(document)).toEqual({
      config: 'pass',
      credentials: 'pass',
      'store-read': 'pass',
      'store-write': 'pass',
      'secure-string': 'pass',
      'value-size': 'pass',
      'stored-token': 'pass',
      endpoint: 'pass',
      'clock-skew': 'pass',
    });
    // The write probe did not touch the value, and no token was issued.
    expect(json(await runCli(['inspect', '--json'], env)).parameter.version).toBe(version);
    expect(stack.counters.get('idp.issued')).toBe(before);
  });

  it('--fetch obtains one real token without storing it', async () => {
    const run = await runCli(['doctor', '--fetch', '--json'], env);
    expect(run.code).toBe(0);
    expect(statuses(json(run))['token-fetch']).toBe('pass');
    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(json(await runCli(['inspect', '--json'], env)).value.format).toBe('placeholder');
  });

  it('fails the write check with a fix when PutParameter is denied', async () => {
    await runCli(['get'], env);
    stack.faults.set('ssm.PutParameter', { failure: 'access-denied' });
    const run = await runCli(['doctor', '--json'], env);

    expect(run.code).toBe(1);
    const write = (json(run).checks as Array<Record<string, string>>).find(
      (c) => c.id === 'store-write',
    );
    expect(write).toMatchObject({ status: 'fail' });
    expect(write?.detail).toContain('access-denied');
    expect(write?.fix).toContain('ssm:PutParameter');
    expect(write?.fix).toContain(env.AUTH0_TOKEN_PARAMETER_NAME);
  });

  it('fails the store check with a fix when the store is unreachable, and still checks the endpoint', async () => {
    const port = await closedPort();
    const run = await runCli(['doctor'], {
      ...env,
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\[FAIL\] Store is reachable and readable: .*unavailable/);
    expect(run.stdout).toMatch(/fix: The store did not answer/);
    expect(run.stdout).toMatch(/\[ ok \] Token endpoint is reachable/);
  });

  describe('tells missing AWS credentials from wrong ones, with a fix for each', () => {
    /** The stack's environment without any AWS key, and no other place the SDK could find one. */
    function withoutKeys(extra: Record<string, string> = {}): Record<string, string> {
      const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...rest } = env;
      return {
        ...rest,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        // No instance metadata service to wait for on a developer machine or in CI.
        AWS_EC2_METADATA_DISABLED: 'true',
        ...extra,
      };
    }
    const wrongSecret = 'doctor-wrong-secret-value';

    it.each([
      [
        'no credentials',
        () => withoutKeys(),
        /^no AWS credentials \(CredentialsProviderError/,
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      ],
      [
        'an unknown access key id',
        () =>
          withoutKeys({ AWS_ACCESS_KEY_ID: 'AKIDDOCTORUNKNOWN', AWS_SECRET_ACCESS_KEY: 'test' }),
        /^wrong AWS credentials: SSM does not know the access key id \(UnrecognizedClientException\)/,
        'Check AWS_ACCESS_KEY_ID',
      ],
      [
        'a wrong secret',
        () => withoutKeys({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: wrongSecret }),
        /^wrong AWS credentials: SSM computed another signature \(InvalidSignatureException\)/,
        'Set AWS_SECRET_ACCESS_KEY',
      ],
    ])('%s', async (_, runEnv, detail, fix) => {
      const run = await runCli(['doctor', '--json'], runEnv());
      expect(run.code).toBe(1);
      const read = (json(run).checks as Array<Record<string, string>>).find(
        (c) => c.id === 'store-read',
      );
      expect(read).toMatchObject({ status: 'fail' });
      expect(read?.detail).toMatch(detail);
      expect(read?.fix).toContain(fix);
      // Not the IAM grant that fixes a real denial.
      expect(read?.fix).not.toContain('Grant');
      expect(run.stdout + run.stderr).not.toContain(wrongSecret);
    });

    it('says the same of the Secrets Manager read behind AWS_SECRET_ID', async () => {
      const run = await runCli(
        ['doctor', '--json'],
        withoutKeys({
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: wrongSecret,
          AWS_SECRET_ID: 'doctor/credentials',
        }),
      );
      expect(run.code).toBe(1);
      const credentials = (json(run).checks as Array<Record<string, string>>).find(
        (c) => c.id === 'credentials',
      );
      expect(credentials).toMatchObject({ status: 'fail' });
      expect(credentials?.detail).toContain(
        'wrong AWS credentials: Secrets Manager computed another signature (InvalidSignatureException)',
      );
      expect(credentials?.fix).toContain('Set AWS_SECRET_ACCESS_KEY');
      expect(run.stdout + run.stderr).not.toContain(wrongSecret);
    });
  });

  it('fails the configuration check, naming the variable and the fix', async () => {
    const run = await runCli(['doctor', '--json'], { ...env, TOKEN_CACHE_STORE: 'redis' });
    expect(run.code).toBe(1);
    const [config] = json(run).checks as Array<Record<string, string>>;
    expect(config).toMatchObject({ id: 'config', status: 'fail' });
    expect(config?.detail).toContain('TOKEN_CACHE_STORE');
    expect(config?.fix).toContain('TOKEN_CACHE_STORE');
  });

  it('flags a stored token that belongs to another client', async () => {
    await runCli(['get'], env);
    const other = { clientId: 'doctor-other-client', clientSecret: 'doctor-other-secret-123456' };
    stack.idp.addClient({ ...other, grants: [{ audience: DEFAULT_CLIENT.audience }] });
    const run = await runCli(['doctor', '--json'], {
      ...env,
      AUTH0_M2M_CLIENT_ID: other.clientId,
      AUTH0_M2M_CLIENT_SECRET: other.clientSecret,
    });
    const stored = (json(run).checks as Array<Record<string, string>>).find(
      (c) => c.id === 'stored-token',
    );
    expect(stored).toMatchObject({ status: 'warn' });
    expect(stored?.detail).toContain('foreign-client');
    expect(run.code).toBe(0);
  });
});

describe('what the store holds, judged', () => {
  async function putParameter(
    name: string,
    value: string,
    type: 'String' | 'SecureString',
  ): Promise<void> {
    const ssm = new SSMClient({
      endpoint: stack.url,
      region: 'us-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      await ssm.send(
        new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }),
      );
    } finally {
      ssm.destroy();
    }
  }

  it('inspect shows a refresh lease and the endpoint back-off marker', async () => {
    await runCli(['get'], env);
    const until = Date.now() + 120_000;
    const marker = {
      v: 1,
      owner: 'container-7',
      leaseExpiresAt: until,
      backoffUntil: until,
      reason: '429',
    };
    await putParameter(`${env.AUTH0_TOKEN_PARAMETER_NAME}-lock`, JSON.stringify(marker), 'String');

    const [asJson, asText] = await Promise.all([
      runCli(['inspect', '--json'], env),
      runCli(['inspect'], env),
    ]);
    expect(json(asJson).lease).toMatchObject({
      name: `${env.AUTH0_TOKEN_PARAMETER_NAME}-lock`,
      owner: 'container-7',
      held: true,
      backoffUntil: new Date(until).toISOString(),
      backoffReason: '429',
    });
    expect(asText.stdout).toMatch(/Lease +held by container-7 .*endpoint back-off until .*\(429\)/);
  });

  it('doctor fails a plain String parameter and warns when the value nears the tier limit', async () => {
    const plain = freshEnv();
    const crowded = freshEnv();
    await putParameter(plain.AUTH0_TOKEN_PARAMETER_NAME as string, 'not-initialized', 'String');
    await putParameter(
      crowded.AUTH0_TOKEN_PARAMETER_NAME as string,
      'x'.repeat(3_500),
      'SecureString',
    );

    const [plainRun, crowdedRun] = await Promise.all([
      runCli(['doctor', '--json'], plain),
      runCli(['doctor', '--json'], crowded),
    ]);
    const byId = (run: Awaited<ReturnType<typeof runCli>>) =>
      Object.fromEntries((json(run).checks as Array<Record<string, string>>).map((c) => [c.id, c]));

    expect(plainRun.code).toBe(1);
    expect(byId(plainRun)['secure-string']).toMatchObject({ status: 'fail' });
    expect(byId(plainRun)['secure-string']?.fix).toContain('SecureString');
    expect(crowdedRun.code).toBe(0);
    expect(byId(crowdedRun)['value-size']).toMatchObject({ status: 'warn' });
    expect(byId(crowdedRun)['value-size']?.detail).toContain('3500 of 4096');
    expect(byId(crowdedRun)['stored-token']).toMatchObject({ status: 'warn' });
  });
});

describe('with the DynamoDB store', () => {
  it('get, inspect and doctor work through the same SharedStore the fleet uses', async () => {
    // Another engineer's test helper: dynalite on loopback, driven by the real AWS SDK.
    const { startLocalDynamoDb } = await import('../../token-cache/test/dynamodb-local.js');
    const dynamo = await startLocalDynamoDb();
    try {
      await dynamo.createTable('cli-tokens');
      const dynamoEnv = {
        ...env,
        TOKEN_CACHE_STORE: 'dynamodb',
        TOKEN_CACHE_DYNAMODB_TABLE: 'cli-tokens',
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      };
      const token = (await runCli(['get'], dynamoEnv)).stdout.trim();
      expect(await callApi(token)).toBe(200);

      const [inspected, doctor] = await Promise.all([
        runCli(['inspect', '--json'], dynamoEnv),
        runCli(['doctor', '--json'], dynamoEnv),
      ]);
      expect(json(inspected)).toMatchObject({
        store: 'dynamodb:cli-tokens/auth0-token-cache',
        record: { exists: true },
        value: { format: 'envelope', verdict: 'usable', clientId: DEFAULT_CLIENT.clientId },
      });
      expect(inspected.stdout).not.toContain(token);
      expect(doctor.code).toBe(0);
      const checks = json(doctor).checks as Array<{ id: string; status: string }>;
      expect(checks.filter((c) => c.id.startsWith('store') || c.id === 'value-size')).toEqual([
        expect.objectContaining({ id: 'store-read', status: 'pass' }),
        expect.objectContaining({ id: 'store-write', status: 'pass' }),
        expect.objectContaining({ id: 'value-size', status: 'pass' }),
        expect.objectContaining({ id: 'stored-token', status: 'pass' }),
      ]);
      // No SSM traffic at all: the store is DynamoDB.
      expect(stack.counters.get('ssm.GetParameter')).toBe(0);
    } finally {
      await dynamo.stop();
    }
  });
});

describe('dev', () => {
  it('starts a stack, prints an environment that works, and stops on Ctrl-C', async () => {
    const { child, firstLine, exited } = await startCli(
      ['dev', '--port', '0', '--json'],
      baseEnv({}),
    );
    try {
      const announced = JSON.parse(firstLine) as { url: string; env: Record<string, string> };
      expect(announced.env.AWS_SECRET_ID).toBeTruthy();
      expect(announced.env).not.toHaveProperty('AUTH0_M2M_CLIENT_SECRET');

      const devEnv = baseEnv(announced.env);
      const placeholder = json(await runCli(['inspect', '--json'], devEnv));
      expect(placeholder.value.format).toBe('placeholder');
      const token = (await runCli(['get'], devEnv)).stdout.trim();
      const response = await fetch(`${announced.url}/vehicles/7/overview`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect((await exited).code).toBe(0);
  });
});

afterAll(() => {
  // Everything this file's runs printed: no client secret anywhere, no token outside `get`
  // and the explicit --show-token runs (redaction.test.ts covers logs and metrics as well).
  for (const run of transcript) {
    const printed = run.stdout + run.stderr;
    expect(printed).not.toContain(DEFAULT_CLIENT.clientSecret);
    const mayShowToken = run.args[0] === 'get' || run.args.includes('--show-token');
    if (!mayShowToken)
      expect(printed, `${run.args.join(' ')} printed a token`).not.toMatch(JWT_SHAPE);
  }
});
