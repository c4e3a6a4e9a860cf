import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../src/index.js';
import { caught, ssmClient, startStack } from './helpers.js';

describe('SSM input rules with AWS messages', () => {
  let stack: LocalStack;
  let ssm: SSMClient;

  beforeAll(async () => {
    stack = await startStack();
    ssm = ssmClient(stack);
  });
  afterAll(() => stack.stop());

  const put = (input: ConstructorParameters<typeof PutParameterCommand>[0]) =>
    ssm.send(new PutParameterCommand(input));

  it('refuses Overwrite together with Tags', async () => {
    const error = await caught(() =>
      put({
        Name: '/rules/tags',
        Value: 'x',
        Type: 'String',
        Overwrite: true,
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  });

  it('accepts Tags on creation', async () => {
    await expect(
      put({
        Name: '/rules/tagged',
        Value: 'x',
        Type: 'String',
        Tags: [{ Key: 'Project', Value: 'vwc' }],
      }),
    ).resolves.toMatchObject({ Version: 1 });
  });

  it.each([
    ['empty', '', 'Member must have length greater than or equal to 1'],
    [
      '4,097 characters on Standard',
      'x'.repeat(4097),
      'Standard tier parameters support a maximum parameter value of 4096 characters',
    ],
    ['8,193 characters', 'x'.repeat(8193), 'Member must have length less than or equal to 8192'],
  ])('refuses a value that is %s', async (_label, value, message) => {
    const error = await caught(() =>
      put({ Name: '/rules/value', Value: value, Type: 'String', Overwrite: true }),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(message);
  });

  it.each([
    ['exactly 4,096 characters on Standard', 4096, 'Standard' as const],
    ['exactly 8,192 characters on Advanced', 8192, 'Advanced' as const],
  ])('accepts a value of %s', async (_label, length, tier) => {
    const result = await put({
      Name: `/rules/len-${length}`,
      Value: 'y'.repeat(length),
      Type: 'String',
      Tier: tier,
    });
    expect(result.Tier).toBe(tier);
  });

  it('lets Intelligent-Tiering choose Advanced only for values above 4 KB', async () => {
    const small = await put({
      Name: '/rules/it-small',
      Value: 'x',
      Type: 'String',
      Tier: 'Intelligent-Tiering',
    });
    const large = await put({
      Name: '/rules/it-large',
      Value: 'x'.repeat(5000),
      Type: 'String',
      Tier: 'Intelligent-Tiering',
    });
    expect([small.Tier, large.Tier]).toEqual(['Standard', 'Advanced']);
  });

  it.each([
    ['an "aws" prefix', '/aws/token'],
    ['an "ssm" prefix (case-insensitive)', 'SSM-token'],
    ['a space', '/vwc/my token'],
    ['a disallowed symbol', '/vwc/token#1'],
    ['a path without a leading slash', 'vwc/token'],
    ['an empty segment', '/vwc//token'],
  ])('refuses a name with %s', async (_label, name) => {
    const error = await caught(() => put({ Name: name, Value: 'x', Type: 'String' }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive)',
    );
  });

  it('accepts 15 levels and refuses 16 with HierarchyLevelLimitExceededException', async () => {
    const levels = (n: number) => `/${Array.from({ length: n }, (_, i) => `l${i}`).join('/')}`;
    await expect(put({ Name: levels(15), Value: 'x', Type: 'String' })).resolves.toMatchObject({
      Version: 1,
    });
    const error = await caught(() => put({ Name: levels(16), Value: 'x', Type: 'String' }));
    expect(error.name).toBe('HierarchyLevelLimitExceededException');
  });

  it('refuses names longer than 1,011 characters', async () => {
    const error = await caught(() =>
      put({ Name: `/${'n'.repeat(1011)}`, Value: 'x', Type: 'String' }),
    );
    expect(error.name).toBe('ValidationException');
  });

  it('requires a Type on creation and refuses unknown types', async () => {
    expect((await caught(() => put({ Name: '/rules/notype', Value: 'x' }))).message).toBe(
      'A parameter type is required when you create a parameter.',
    );
    const error = await caught(() =>
      put({ Name: '/rules/badtype', Value: 'x', Type: 'Str' as 'String' }),
    );
    expect(error.name).toBe('ValidationException');
  });

  it('refuses an AWS request without a SigV4 Authorization header', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParameter',
      },
      body: JSON.stringify({ Name: '/rules/tagged' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect(stack.counters.get('ssm.GetParameter')).toBeGreaterThan(0);
  });

  it('refuses a malformed Authorization header with IncompleteSignatureException', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSSM.GetParameter', authorization: 'Bearer abc' },
      body: JSON.stringify({ Name: '/rules/tagged' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'IncompleteSignatureException' });
  });

  it('answers UnknownOperationException for an operation it does not implement', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonSSM.SendCommand',
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20260115/us-west-2/ssm/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'UnknownOperationException' });
  });
});
