import {
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../src/index.js';
import { caught, ssmClient, startStack } from './helpers.js';

describe('SSM versions, selectors and labels', () => {
  let stack: LocalStack;
  let ssm: SSMClient;

  beforeAll(async () => {
    stack = await startStack();
    ssm = ssmClient(stack);
  });
  afterAll(() => stack.stop());

  async function putVersions(name: string, count: number): Promise<void> {
    for (let i = 1; i <= count; i += 1) {
      await ssm.send(
        new PutParameterCommand({
          Name: name,
          Value: `value-${i}`,
          Type: 'String',
          Overwrite: true,
        }),
      );
    }
  }

  it('reads an older version with a name:version selector and echoes the Selector', async () => {
    await putVersions('/ver/sel', 3);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/ver/sel:2' }));
    expect(Parameter).toMatchObject({
      Name: '/ver/sel',
      Value: 'value-2',
      Version: 2,
      Selector: ':2',
    });
    const latest = await ssm.send(new GetParameterCommand({ Name: '/ver/sel' }));
    expect(latest.Parameter?.Version).toBe(3);
    expect(latest.Parameter).not.toHaveProperty('Selector');
  });

  it('answers ParameterVersionNotFound for a version that does not exist', async () => {
    const error = await caught(() => ssm.send(new GetParameterCommand({ Name: '/ver/sel:9' })));
    expect(error.name).toBe('ParameterVersionNotFound');
  });

  it('labels a version, reads it by name:label, and moves the label on relabel', async () => {
    const labelled = await ssm.send(
      new LabelParameterVersionCommand({
        Name: '/ver/sel',
        ParameterVersion: 1,
        Labels: ['Prod', '1bad', 'awsX'],
      }),
    );
    expect(labelled.ParameterVersion).toBe(1);
    expect(labelled.InvalidLabels).toEqual(['1bad', 'awsX']);
    expect(
      (await ssm.send(new GetParameterCommand({ Name: '/ver/sel:Prod' }))).Parameter,
    ).toMatchObject({
      Value: 'value-1',
      Selector: ':Prod',
    });
    await ssm.send(
      new LabelParameterVersionCommand({ Name: '/ver/sel', ParameterVersion: 3, Labels: ['Prod'] }),
    );
    expect(
      (await ssm.send(new GetParameterCommand({ Name: '/ver/sel:Prod' }))).Parameter?.Version,
    ).toBe(3);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/ver/sel' }));
    expect(history.Parameters?.map((p) => [p.Version, p.Labels])).toEqual([
      [1, []],
      [2, []],
      [3, ['Prod']],
    ]);
  });

  it('supports selectors in GetParameters', async () => {
    const { Parameters, InvalidParameters } = await ssm.send(
      new GetParametersCommand({ Names: ['/ver/sel:1', '/ver/sel:Prod', '/ver/sel:42'] }),
    );
    expect(Parameters?.map((p) => [p.Version, p.Selector])).toEqual([
      [1, ':1'],
      [3, ':Prod'],
    ]);
    expect(InvalidParameters).toEqual(['/ver/sel:42']);
  });

  it('returns the history oldest first with values decrypted only on request', async () => {
    await ssm.send(
      new PutParameterCommand({ Name: '/ver/secure', Value: 's1', Type: 'SecureString' }),
    );
    await ssm.send(
      new PutParameterCommand({
        Name: '/ver/secure',
        Value: 's2',
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    const hidden = await ssm.send(new GetParameterHistoryCommand({ Name: '/ver/secure' }));
    expect(hidden.Parameters?.map((p) => p.Value)).not.toContain('s1');
    const shown = await ssm.send(
      new GetParameterHistoryCommand({ Name: '/ver/secure', WithDecryption: true }),
    );
    expect(shown.Parameters?.map((p) => [p.Version, p.Value, p.KeyId])).toEqual([
      [1, 's1', 'alias/aws/ssm'],
      [2, 's2', 'alias/aws/ssm'],
    ]);
  });

  it('keeps the 100 most recent versions and drops the oldest on the 101st write', async () => {
    await putVersions('/ver/hundred', 101);
    const error = await caught(() => ssm.send(new GetParameterCommand({ Name: '/ver/hundred:1' })));
    expect(error.name).toBe('ParameterVersionNotFound');
    expect(
      (await ssm.send(new GetParameterCommand({ Name: '/ver/hundred:2' }))).Parameter?.Value,
    ).toBe('value-2');
    expect(
      (await ssm.send(new GetParameterCommand({ Name: '/ver/hundred' }))).Parameter?.Version,
    ).toBe(101);
    let count = 0;
    let token: string | undefined;
    do {
      const page = await ssm.send(
        new GetParameterHistoryCommand({ Name: '/ver/hundred', NextToken: token }),
      );
      count += page.Parameters?.length ?? 0;
      token = page.NextToken;
    } while (token !== undefined);
    expect(count).toBe(100);
  });

  it('refuses a new version with ParameterMaxVersionLimitExceeded while the oldest is labelled', async () => {
    await putVersions('/ver/labelled', 100);
    await ssm.send(
      new LabelParameterVersionCommand({
        Name: '/ver/labelled',
        ParameterVersion: 1,
        Labels: ['Pinned'],
      }),
    );
    const error = await caught(() =>
      ssm.send(
        new PutParameterCommand({
          Name: '/ver/labelled',
          Value: 'next',
          Type: 'String',
          Overwrite: true,
        }),
      ),
    );
    expect(error.name).toBe('ParameterMaxVersionLimitExceeded');
    expect(error.message).toContain(
      "Version 1, the oldest version, can't be deleted because it has a label",
    );
    // Moving the label away unblocks the write.
    await ssm.send(
      new LabelParameterVersionCommand({
        Name: '/ver/labelled',
        ParameterVersion: 50,
        Labels: ['Pinned'],
      }),
    );
    const put = await ssm.send(
      new PutParameterCommand({
        Name: '/ver/labelled',
        Value: 'next',
        Type: 'String',
        Overwrite: true,
      }),
    );
    expect(put.Version).toBe(101);
  });

  it('limits a version to 10 labels', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/ver/labels', Value: 'x', Type: 'String' }));
    const ten = Array.from({ length: 10 }, (_, i) => `L${i}`);
    await ssm.send(new LabelParameterVersionCommand({ Name: '/ver/labels', Labels: ten }));
    const error = await caught(() =>
      ssm.send(new LabelParameterVersionCommand({ Name: '/ver/labels', Labels: ['Eleventh'] })),
    );
    expect(error.name).toBe('ParameterVersionLabelLimitExceeded');
  });

  it('reads by ARN, with or without a selector, for hierarchical and single-level names', async () => {
    await ssm.send(new PutParameterCommand({ Name: 'flat', Value: 'f', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/single', Value: 's', Type: 'String' }));
    const arn = (name: string) => `arn:aws:ssm:us-west-2:000000000000:parameter/${name}`;
    expect(
      (await ssm.send(new GetParameterCommand({ Name: arn('ver/sel:1') }))).Parameter,
    ).toMatchObject({
      Name: '/ver/sel',
      Value: 'value-1',
      Selector: ':1',
    });
    expect((await ssm.send(new GetParameterCommand({ Name: arn('flat') }))).Parameter?.Value).toBe(
      'f',
    );
    expect((await ssm.send(new GetParameterCommand({ Name: arn('single') }))).Parameter?.Name).toBe(
      '/single',
    );
  });
});
