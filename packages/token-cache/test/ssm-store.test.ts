import {
  DescribeParametersCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { LocalStack } from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, StoreError } from '../src/errors.js';
import { validateParameterName } from '../src/stores/ssm-names.js';
import { SsmStore } from '../src/stores/ssm-store.js';
import { rejectionOf, ssmClientFor, startStack } from './e2e/stack-helpers.js';

let stack: LocalStack;
let client: SSMClient;
let counter = 0;
/** A fresh parameter name per test: tests share one stack. */
let name: string;

beforeAll(async () => {
  stack = await startStack();
  client = ssmClientFor(stack);
});
afterAll(async () => {
  client.destroy();
  await stack.stop();
});
beforeEach(() => {
  counter += 1;
  name = `/vwc/test/ssm-store-${counter}`;
  stack.faults.clear();
  stack.counters.reset();
});

const store = (options: Partial<ConstructorParameters<typeof SsmStore>[0]> = {}) =>
  new SsmStore({ parameterName: name, client, ...options });

async function rawParameter(parameterName: string, decrypt: boolean) {
  const output = await client.send(
    new GetParameterCommand({ Name: parameterName, WithDecryption: decrypt }),
  );
  return output.Parameter;
}

describe('SsmStore over the real SDK and the local SSM endpoint', () => {
  it('reads an absent parameter as undefined', async () => {
    expect(await store().get('token')).toBeUndefined();
    expect(stack.counters.get('ssm.GetParameter')).toBe(1);
  });

  it('creates only if absent (Overwrite=false), then overwrites with put', async () => {
    const s = store();
    expect(await s.create('token', 'first')).toBe(true);
    expect(await s.create('token', 'second')).toBe(false);
    expect(await s.get('token')).toEqual({ value: 'first', version: 1 });
    expect(await s.put('token', 'third')).toBe(true);
    expect(await s.get('token')).toEqual({ value: 'third', version: 2 });
    expect(stack.counters.get('ssm.PutParameter')).toBe(3);
  });

  it('writes the token as a SecureString by default and reads it decrypted', async () => {
    await store().put('token', 'secret-envelope');
    const encrypted = await rawParameter(name, false);
    expect(encrypted?.Type).toBe('SecureString');
    expect(encrypted?.Value).not.toBe('secret-envelope');
    expect((await store().get('token'))?.value).toBe('secret-envelope');
  });

  it('writes a String when asked to', async () => {
    await store({ type: 'String' }).put('token', 'plain');
    expect((await rawParameter(name, false))?.Type).toBe('String');
  });

  it('keeps the lease in the <parameter>-lock parameter, as a plain String', async () => {
    const s = store();
    expect(s.leaseParameterName).toBe(`${name}-lock`);
    expect(await s.create('lease', '{"owner":"a"}')).toBe(true);
    const lock = await rawParameter(`${name}-lock`, false);
    expect(lock?.Type).toBe('String');
    expect(lock?.Value).toBe('{"owner":"a"}');
    expect(await s.get('token')).toBeUndefined();
    await s.delete('lease');
    expect(await s.get('lease')).toBeUndefined();
  });

  it('deletes, and deleting an absent parameter is not an error', async () => {
    const s = store();
    await s.put('token', 'x');
    await s.delete('token');
    expect(await s.get('token')).toBeUndefined();
    await expect(s.delete('token')).resolves.toBe(true);
    expect(stack.counters.get('ssm.DeleteParameter')).toBe(2);
  });

  it('refuses a value over the Standard limit before any request (too-large)', async () => {
    const s = store();
    expect(s.maxValueLength).toBe(4096);
    const error = await rejectionOf(s.put('token', 'x'.repeat(4097)));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('too-large');
    expect((error as StoreError).message).toMatch(/4097 characters; the Standard tier allows 4096/);
    expect((error as StoreError).message).not.toContain('xxxx');
    expect(stack.counters.get('ssm.PutParameter')).toBe(0);
    await expect(s.put('token', 'x'.repeat(4096))).resolves.toBe(true);
  });

  it('accepts up to 8,192 characters with tier Advanced and sends the tier', async () => {
    const s = store({ tier: 'Advanced' });
    expect(s.maxValueLength).toBe(8192);
    await s.put('token', 'y'.repeat(8000));
    expect((await s.get('token'))?.value).toHaveLength(8000);
    const error = await rejectionOf(s.put('token', 'y'.repeat(8193)));
    expect((error as StoreError).kind).toBe('too-large');
    // The lock parameter stays Standard (Advanced parameters are billed).
    await s.create('lease', 'owner');
    const described = await client.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Values: [name, `${name}-lock`] }],
      }),
    );
    const tiers = Object.fromEntries(
      (described.Parameters ?? []).map((parameter) => [parameter.Name, parameter.Tier]),
    );
    expect(tiers).toEqual({ [name]: 'Advanced', [`${name}-lock`]: 'Standard' });
  });

  it('does not send a tier by default, so an Advanced parameter keeps its tier', async () => {
    await client.send(
      new PutParameterCommand({ Name: name, Value: 'v', Type: 'SecureString', Tier: 'Advanced' }),
    );
    // A Tier=Standard on an Advanced parameter would be a ValidationException.
    await expect(store().put('token', 'w')).resolves.toBe(true);
  });

  it('refuses to write an empty value (SSM rejects it; the seed swallowed that)', async () => {
    const error = await rejectionOf(store().put('token', ''));
    expect((error as StoreError).kind).toBe('invalid');
    expect(stack.counters.get('ssm.PutParameter')).toBe(0);
  });

  it.each([
    ['throttle', 'throttled', 'ThrottlingException'],
    ['too-many-updates', 'throttled', 'TooManyUpdates'],
    ['access-denied', 'access-denied', 'AccessDeniedException'],
    ['http-500', 'unavailable', ''],
    ['reset', 'unavailable', ''],
  ] as const)('maps the %s fault to StoreError kind %s', async (failure, kind, awsName) => {
    stack.faults.set('ssm', { failure });
    const error = await rejectionOf(store().put('token', 'the-token-value'));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe(kind);
    expect((error as StoreError).operation).toBe('PutParameter');
    expect((error as StoreError).message).toContain(name);
    expect((error as StoreError).message).toContain(awsName);
    expect((error as StoreError).message).not.toContain('the-token-value');
  });

  it('times out a hung request (timeout) within its own bound', async () => {
    stack.faults.set('ssm.GetParameter', { failure: 'hang' });
    const error = await rejectionOf(store({ timeoutMs: 150 }).get('token'));
    expect((error as StoreError).kind).toBe('timeout');
    expect((error as StoreError).message).toContain('150 ms');
  });

  it("rethrows the caller's abort reason when the caller's signal fires", async () => {
    stack.faults.set('ssm.GetParameter', { failure: 'hang' });
    const controller = new AbortController();
    const reason = new Error('deadline');
    const pending = store().get('token', { signal: controller.signal });
    setImmediate(() => controller.abort(reason));
    expect(await rejectionOf(pending)).toBe(reason);
  });

  it('reports a store that is not listening as unavailable', async () => {
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    const dead = new SSMClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-west-2',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    const error = await rejectionOf(store({ client: dead }).get('token'));
    expect((error as StoreError).kind).toBe('unavailable');
    dead.destroy();
  });
});

describe('SsmStore configuration', () => {
  it('names the variable it was told about when the parameter name is invalid', () => {
    const error = (() => {
      try {
        new SsmStore({
          parameterName: 'vwc/dev/cache',
          variableNames: { parameterName: 'AUTH0_TOKEN_PARAMETER_NAME' },
        });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.variable).toBe('AUTH0_TOKEN_PARAMETER_NAME');
    expect(error?.message).toMatch(/must start with "\/"/);
  });

  it('warns once when the SSM client given retries: a resent lease write would count twice', async () => {
    const lines: string[] = [];
    const retrying = new SSMClient({ region: 'us-west-2', maxAttempts: 3 });
    new SsmStore({ parameterName: name, client: retrying, warn: (line) => lines.push(line) });
    new SsmStore({ parameterName: name, client, warn: (line) => lines.push(line) });
    await new Promise((resolve) => setImmediate(resolve));
    retrying.destroy();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/maxAttempts 3\); create it with maxAttempts: 1/);
  });

  it('refuses a KMS key on a String parameter, and unknown types and tiers', () => {
    expect(() => store({ type: 'String', keyId: 'alias/x' })).toThrow(/^keyId must be/);
    expect(() => store({ type: 'StringList' as 'String' })).toThrow(/^type must be/);
    expect(() => store({ tier: 'Gold' as 'Standard' })).toThrow(/^tier must be one of/);
    expect(() => store({ timeoutMs: 0 })).toThrow(
      /^timeoutMs must be an integer number of milliseconds from 1 to/,
    );
  });
});

describe('SSM parameter name rules', () => {
  it.each([
    '/vwc/dev/auth0-token-cache',
    'plain_name.v1',
    `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`,
  ])('accepts %s', (parameterName) => {
    expect(() => validateParameterName(parameterName, 'X')).not.toThrow();
  });

  it.each([
    ['', /empty/],
    ['has space', /only letters/],
    ['/vwc//dev', /no empty level/],
    ['/vwc/dev/', /no empty level/],
    ['vwc/dev', /must start with "\/"/],
    ['/aws/reserved', /may not begin with "aws" or "ssm"/],
    ['SSMthing', /may not begin with "aws" or "ssm"/],
    [`/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, /at most 15 levels/],
    [`/${'a'.repeat(1000)}`, /limit is 1011/],
    ['/vwc/dev/ünïcode', /only letters/],
  ])('refuses %j', (parameterName, problem) => {
    expect(() => validateParameterName(parameterName, 'AUTH0_TOKEN_PARAMETER_NAME')).toThrow(
      new RegExp(
        `^AUTH0_TOKEN_PARAMETER_NAME must be a valid SSM parameter name .*${problem.source}`,
      ),
    );
  });
});
