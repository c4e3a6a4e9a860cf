import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../src/index.js';
import { caught, manualClock, signedFetch, ssmClient, startStack } from './helpers.js';

describe('SSM parameters over JSON 1.1 with the real SDK', () => {
  const clock = manualClock();
  let stack: LocalStack;
  let ssm: SSMClient;

  beforeAll(async () => {
    stack = await startStack({ now: clock.now });
    ssm = ssmClient(stack);
  });
  afterAll(() => stack.stop());

  it('creates a parameter at version 1 and reads it back', async () => {
    const put = await ssm.send(
      new PutParameterCommand({ Name: '/basic/one', Value: 'v1', Type: 'String' }),
    );
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/basic/one' }));
    expect(Parameter).toMatchObject({
      Name: '/basic/one',
      Type: 'String',
      Value: 'v1',
      Version: 1,
      DataType: 'text',
    });
    expect(Parameter?.ARN).toBe('arn:aws:ssm:us-west-2:000000000000:parameter/basic/one');
  });

  it('returns exactly the GetParameter shape of the AWS model: no Description, Tier or KeyId', async () => {
    await ssm.send(
      new PutParameterCommand({
        Name: '/shape/p',
        Value: 'x',
        Type: 'SecureString',
        Description: 'expires=123',
      }),
    );
    const response = await signedFetch(stack, 'AmazonSSM.GetParameter', { Name: '/shape/p' });
    const body = response.body as { Parameter: Record<string, unknown> };
    expect(Object.keys(body.Parameter).sort()).toEqual(
      ['ARN', 'DataType', 'LastModifiedDate', 'Name', 'Type', 'Value', 'Version'].sort(),
    );
    expect(body.Parameter).not.toHaveProperty('Description');
  });

  it('sends LastModifiedDate as fractional epoch seconds from the injected clock', async () => {
    clock.set(Date.UTC(2026, 0, 15, 12, 30, 0, 125));
    await ssm.send(new PutParameterCommand({ Name: '/time/p', Value: 'x', Type: 'String' }));
    const response = await signedFetch(stack, 'AmazonSSM.GetParameter', { Name: '/time/p' });
    const body = response.body as { Parameter: { LastModifiedDate: number } };
    expect(body.Parameter.LastModifiedDate).toBe(Date.UTC(2026, 0, 15, 12, 30, 0, 125) / 1000);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/time/p' }));
    expect(Parameter?.LastModifiedDate?.toISOString()).toBe('2026-01-15T12:30:00.125Z');
  });

  it('keeps DescribeParameters as the only place Description, Tier and KeyId appear', async () => {
    const { Parameters } = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/shape/p'] }] }),
    );
    expect(Parameters).toHaveLength(1);
    expect(Parameters?.[0]).toMatchObject({
      Name: '/shape/p',
      Description: 'expires=123',
      Tier: 'Standard',
      KeyId: 'alias/aws/ssm',
      Type: 'SecureString',
      Version: 1,
    });
    expect(Parameters?.[0]).not.toHaveProperty('Value');
  });

  it('stores SecureString encrypted and decrypts only WithDecryption', async () => {
    await ssm.send(
      new PutParameterCommand({ Name: '/secure/token', Value: 'eyJ-secret', Type: 'SecureString' }),
    );
    const hidden = await ssm.send(new GetParameterCommand({ Name: '/secure/token' }));
    expect(hidden.Parameter?.Value).not.toContain('eyJ-secret');
    expect(hidden.Parameter?.Value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const shown = await ssm.send(
      new GetParameterCommand({ Name: '/secure/token', WithDecryption: true }),
    );
    expect(shown.Parameter?.Value).toBe('eyJ-secret');
  });

  it('records a customer-managed KeyId and keeps it across overwrites', async () => {
    await ssm.send(
      new PutParameterCommand({
        Name: '/secure/cmk',
        Value: 'a',
        Type: 'SecureString',
        KeyId: 'alias/token-cache',
      }),
    );
    await ssm.send(
      new PutParameterCommand({
        Name: '/secure/cmk',
        Value: 'b',
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    const { Parameters } = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Values: ['/secure/cmk'] }],
      }),
    );
    expect(Parameters?.[0]?.KeyId).toBe('alias/token-cache');
    const shown = await ssm.send(
      new GetParameterCommand({ Name: '/secure/cmk', WithDecryption: true }),
    );
    expect(shown.Parameter?.Value).toBe('b');
  });

  it('refuses Overwrite=false on an existing name with ParameterAlreadyExists', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/exists/p', Value: 'first', Type: 'String' }));
    const error = await caught(() =>
      ssm.send(new PutParameterCommand({ Name: '/exists/p', Value: 'second', Type: 'String' })),
    );
    expect(error.name).toBe('ParameterAlreadyExists');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/exists/p' }));
    expect(Parameter?.Value).toBe('first');
  });

  it('overwrites with Overwrite=true, keeping the type when Type is omitted', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/over/p', Value: 'a', Type: 'SecureString' }));
    const put = await ssm.send(
      new PutParameterCommand({ Name: '/over/p', Value: 'b', Overwrite: true }),
    );
    expect(put.Version).toBe(2);
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: '/over/p', WithDecryption: true }),
    );
    expect(Parameter).toMatchObject({ Type: 'SecureString', Value: 'b', Version: 2 });
  });

  it('answers ParameterNotFound for a missing parameter', async () => {
    const error = await caught(() => ssm.send(new GetParameterCommand({ Name: '/missing/p' })));
    expect(error.name).toBe('ParameterNotFound');
  });

  it('deletes a parameter, and deleting it again is ParameterNotFound', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/delete/p', Value: 'x', Type: 'String' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/delete/p' }));
    expect(
      (await caught(() => ssm.send(new GetParameterCommand({ Name: '/delete/p' })))).name,
    ).toBe('ParameterNotFound');
    expect(
      (await caught(() => ssm.send(new DeleteParameterCommand({ Name: '/delete/p' })))).name,
    ).toBe('ParameterNotFound');
  });

  it('GetParameters lists found parameters and names the missing ones in InvalidParameters', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/many/a', Value: 'A', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/many/b', Value: 'B', Type: 'SecureString' }));
    const result = await ssm.send(
      new GetParametersCommand({
        Names: ['/many/a', '/many/b', '/many/nope'],
        WithDecryption: true,
      }),
    );
    expect(result.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ['/many/a', 'A'],
      ['/many/b', 'B'],
    ]);
    expect(result.InvalidParameters).toEqual(['/many/nope']);
  });

  it('filters DescribeParameters by path and name prefix, and pages with NextToken', async () => {
    for (const name of ['/desc/x/1', '/desc/x/2', '/desc/x/deep/3', '/desc/y']) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' }));
    }
    const oneLevel = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: ['/desc/x'] }],
      }),
    );
    expect(oneLevel.Parameters?.map((p) => p.Name)).toEqual(['/desc/x/1', '/desc/x/2']);
    const first = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/desc/'] }],
        MaxResults: 3,
      }),
    );
    expect(first.Parameters).toHaveLength(3);
    expect(first.NextToken).toBeDefined();
    const second = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/desc/'] }],
        MaxResults: 3,
        NextToken: first.NextToken,
      }),
    );
    expect(second.Parameters?.map((p) => p.Name)).toEqual(['/desc/y']);
    expect(second.NextToken).toBeUndefined();
  });

  it('counts every request per operation', async () => {
    const before = stack.counters.get('ssm.GetParameter');
    await ssm.send(new GetParameterCommand({ Name: '/basic/one' }));
    await caught(() => ssm.send(new GetParameterCommand({ Name: '/missing/q' })));
    expect(stack.counters.get('ssm.GetParameter')).toBe(before + 2);
  });
});
