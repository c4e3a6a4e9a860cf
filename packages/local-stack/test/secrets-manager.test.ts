import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../src/index.js';
import { caught, secretsManagerClient, startStack } from './helpers.js';

describe('Secrets Manager over JSON 1.1 with the real SDK', () => {
  let stack: LocalStack;
  let sm: SecretsManagerClient;
  const seeded = JSON.stringify({ AUTH0_DOMAIN: 'http://127.0.0.1', AUTH0_M2M_CLIENT_ID: 'id' });

  beforeAll(async () => {
    stack = await startStack({ secrets: { 'vwc/dev/auth0': seeded } });
    sm = secretsManagerClient(stack);
  });
  afterAll(() => stack.stop());

  it('serves a secret pre-created through the options', async () => {
    const result = await sm.send(new GetSecretValueCommand({ SecretId: 'vwc/dev/auth0' }));
    expect(result).toMatchObject({
      Name: 'vwc/dev/auth0',
      SecretString: seeded,
      VersionStages: ['AWSCURRENT'],
    });
    expect(result.ARN).toMatch(
      /^arn:aws:secretsmanager:us-west-2:000000000000:secret:vwc\/dev\/auth0-[0-9a-f]{6}$/,
    );
    expect(result.CreatedDate).toBeInstanceOf(Date);
  });

  it('creates a secret, reads it by name and by ARN', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'app/one', SecretString: 's1' }));
    expect(created.VersionId).toBeDefined();
    const byArn = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(byArn).toMatchObject({
      Name: 'app/one',
      SecretString: 's1',
      VersionId: created.VersionId,
    });
  });

  it('refuses to create a secret twice with ResourceExistsException', async () => {
    const error = await caught(() =>
      sm.send(new CreateSecretCommand({ Name: 'app/one', SecretString: 'x' })),
    );
    expect(error.name).toBe('ResourceExistsException');
  });

  it('moves AWSCURRENT to a new version and keeps the old one as AWSPREVIOUS', async () => {
    const put = await sm.send(
      new PutSecretValueCommand({ SecretId: 'app/one', SecretString: 's2' }),
    );
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'app/one' }))).SecretString).toBe(
      's2',
    );
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: 'app/one', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('s1');
  });

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    const error = await caught(() => sm.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe("Secrets Manager can't find the specified secret.");
  });

  it('counts requests per operation', () => {
    expect(stack.counters.get('secretsmanager.CreateSecret')).toBe(2);
    expect(stack.counters.get('secretsmanager.GetSecretValue')).toBe(5);
    expect(stack.counters.get('secretsmanager.PutSecretValue')).toBe(1);
  });
});
