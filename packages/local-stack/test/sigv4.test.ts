/**
 * SigV4 is checked as AWS checks it: the real SDK with the stack's credentials passes; an unknown
 * access key, a wrong secret, a body changed after signing, an unsigned session token, a
 * signature outside the clock window and a credential scoped to another service are refused
 * with AWS's error names, statuses and messages.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderBanner } from '../src/banner.js';
import { DEFAULT_AWS_CREDENTIALS, type LocalStack, start } from '../src/index.js';
import { caught, signedFetch, ssmClient, startStack } from './helpers.js';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function ssmWith(stack: LocalStack, credentials: SSMClient['config']['credentials'] | object) {
  return new SSMClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials: credentials as { accessKeyId: string; secretAccessKey: string },
    maxAttempts: 1,
  });
}

describe('SigV4 verification with the real SDK', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());
  beforeEach(() => stack.reset());

  it('accepts the credentials the stack prints, and nothing is signed by hand', async () => {
    expect(stack.env).toMatchObject({
      AWS_ACCESS_KEY_ID: DEFAULT_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEFAULT_AWS_CREDENTIALS.secretAccessKey,
    });
    const ssm = ssmWith(stack, {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    });
    await ssm.send(new PutParameterCommand({ Name: '/sig/ok', Value: 'v', Type: 'String' }));
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/sig/ok' }));
    expect(Parameter?.Value).toBe('v');
  });

  it('answers UnrecognizedClientException (400) for an unknown access key id', async () => {
    const ssm = ssmWith(stack, { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'test' });
    const error = await caught(() => ssm.send(new GetParameterCommand({ Name: '/sig/any' })));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });

  it('answers InvalidSignatureException (400) for a wrong secret, and writes nothing', async () => {
    const ssm = ssmWith(stack, { accessKeyId: 'test', secretAccessKey: 'not-the-secret' });
    const error = await caught(() =>
      ssm.send(new PutParameterCommand({ Name: '/sig/denied', Value: 'v', Type: 'String' })),
    );
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toBe(MISMATCH);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
    const read = await caught(() =>
      ssmClient(stack).send(new GetParameterCommand({ Name: '/sig/denied' })),
    );
    expect(read.name).toBe('ParameterNotFound');
  });

  it('checks Secrets Manager requests the same way', async () => {
    const client = (secretAccessKey: string) =>
      new SecretsManagerClient({
        endpoint: stack.url,
        region: 'us-west-2',
        credentials: { accessKeyId: 'test', secretAccessKey },
        maxAttempts: 1,
      });
    const wrong = await caught(() =>
      client('wrong').send(new GetSecretValueCommand({ SecretId: 'sig/none' })),
    );
    expect(wrong.name).toBe('InvalidSignatureException');
    // The right secret gets past the signature check to the service's own answer.
    const right = await caught(() =>
      client('test').send(new GetSecretValueCommand({ SecretId: 'sig/none' })),
    );
    expect(right).toBeInstanceOf(ResourceNotFoundException);
  });

  it('accepts a session token when it is signed', async () => {
    const ssm = ssmWith(stack, {
      accessKeyId: 'test',
      secretAccessKey: 'test',
      sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
    });
    await ssm.send(new PutParameterCommand({ Name: '/sig/session', Value: 'v', Type: 'String' }));
    expect(stack.counters.get('ssm.PutParameter')).toBe(1);
  });
});

describe('SigV4 verification of requests a client cannot send', () => {
  const signingNow = Date.UTC(2026, 0, 15, 12, 0, 0);
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startStack({ aws: { signingClock: () => signingNow } });
  });
  afterAll(() => stack.stop());

  const at = (offsetMs: number) => ({ signingDate: new Date(signingNow + offsetMs) });

  it('accepts a correctly signed raw request', async () => {
    const response = await signedFetch(
      stack,
      'AmazonSSM.PutParameter',
      { Name: '/raw/ok', Value: 'v', Type: 'String' },
      at(0),
    );
    expect(response).toMatchObject({ status: 200, body: { Version: 1 } });
  });

  it.each([
    ['with', false],
    ['without', true],
  ])(
    'refuses a body changed after signing (%s x-amz-content-sha256)',
    async (_, omitPayloadHash) => {
      const response = await signedFetch(
        stack,
        'AmazonSSM.PutParameter',
        { Name: '/raw/tampered', Value: 'signed', Type: 'String' },
        {
          ...at(0),
          omitPayloadHash,
          // Same length: only the bytes differ.
          sentBody: JSON.stringify({ Name: '/raw/tampered', Value: 'SIGNED', Type: 'String' }),
        },
      );
      expect(response).toEqual({
        status: 400,
        body: { __type: 'InvalidSignatureException', message: MISMATCH },
      });
      const read = await signedFetch(
        stack,
        'AmazonSSM.GetParameter',
        { Name: '/raw/tampered' },
        at(0),
      );
      expect(read.body.__type).toBe('ParameterNotFound');
    },
  );

  it('refuses a session token added after signing', async () => {
    const response = await signedFetch(
      stack,
      'AmazonSSM.GetParameter',
      { Name: '/raw/ok' },
      { ...at(0), unsignedHeaders: { 'x-amz-security-token': 'injected' } },
    );
    expect(response.body.__type).toBe('InvalidSignatureException');
  });

  it('allows five minutes of clock skew either way, then answers "Signature expired"', async () => {
    const ok = await signedFetch(
      stack,
      'AmazonSSM.GetParameter',
      { Name: '/raw/ok' },
      at(-300_000),
    );
    expect(ok.status).toBe(200);
    const late = await signedFetch(
      stack,
      'AmazonSSM.GetParameter',
      { Name: '/raw/ok' },
      at(-301_000),
    );
    expect(late).toEqual({
      status: 400,
      body: {
        __type: 'InvalidSignatureException',
        message:
          'Signature expired: 20260115T115459Z is now earlier than 20260115T115500Z (20260115T120000Z - 5 min.)',
      },
    });
    const early = await signedFetch(
      stack,
      'AmazonSSM.GetParameter',
      { Name: '/raw/ok' },
      at(301_000),
    );
    expect(early.body).toEqual({
      __type: 'InvalidSignatureException',
      message:
        'Signature not yet current: 20260115T120501Z is still later than 20260115T120500Z (20260115T120000Z + 5 min.)',
    });
  });

  it('refuses a credential scoped to another service', async () => {
    const response = await signedFetch(
      stack,
      'AmazonSSM.GetParameter',
      { Name: '/raw/ok' },
      { ...at(0), service: 'secretsmanager' },
    );
    expect(response).toEqual({
      status: 400,
      body: {
        __type: 'InvalidSignatureException',
        message: "Credential should be scoped to correct service: 'ssm'. ",
      },
    });
  });

  it('refuses a signed request without X-Amz-Date as incomplete', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonSSM.GetParameter',
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20260115/us-west-2/ssm/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'IncompleteSignatureException' });
  });
});

describe('clock skew, as the SDK meets it', () => {
  // The stack's clock runs ten minutes ahead of this machine's, as a wrong local clock would
  // look from AWS. A function of the wall clock, because the SDK signs with the wall clock.
  const aheadMs = 10 * 60_000;
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startStack({ aws: { signingClock: () => Date.now() + aheadMs } });
  });
  afterAll(() => stack.stop());

  it('refuses the first attempt as "Signature expired"; the SDK corrects its clock from Date and succeeds', async () => {
    const once = ssmClient(stack);
    const error = await caught(() => once.send(new GetParameterCommand({ Name: '/skew/p' })));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than /);

    stack.counters.reset();
    const retrying = ssmClient(stack, { maxAttempts: 2 });
    const missing = await caught(() => retrying.send(new GetParameterCommand({ Name: '/skew/p' })));
    // Past the signature check on the second attempt: the service's own answer.
    expect(missing.name).toBe('ParameterNotFound');
    expect(stack.counters.get('ssm.GetParameter')).toBe(2);
  });
});

describe('configured credentials', () => {
  const own = { accessKeyId: 'AKIDLOCALSTACK', secretAccessKey: 'local-stack-secret-key' };
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await start({
      ssm: { readsPerSecond: 0, writesPerSecond: 0 },
      aws: { credentials: [own] },
    });
  });
  afterAll(() => stack.stop());

  it('accepts only the configured keys and puts the first into env', async () => {
    expect(stack.env).toMatchObject({
      AWS_ACCESS_KEY_ID: own.accessKeyId,
      AWS_SECRET_ACCESS_KEY: own.secretAccessKey,
    });
    await ssmWith(stack, own).send(
      new PutParameterCommand({ Name: '/own/p', Value: 'v', Type: 'String' }),
    );
    const error = await caught(() =>
      ssmWith(stack, DEFAULT_AWS_CREDENTIALS).send(new GetParameterCommand({ Name: '/own/p' })),
    );
    expect(error.name).toBe('UnrecognizedClientException');
  });

  it('prints only the published default secret in the banner', () => {
    const banner = renderBanner(stack);
    expect(banner).toContain(`export AWS_ACCESS_KEY_ID=${own.accessKeyId}`);
    expect(banner).toContain('export AWS_SECRET_ACCESS_KEY=<the secret you configured>');
    expect(banner).not.toContain(own.secretAccessKey);
  });

  it('rejects an unusable credentials option, naming it', async () => {
    await expect(start({ aws: { credentials: [] } })).rejects.toThrow(
      /^"aws.credentials" must be a non-empty array/,
    );
    await expect(
      start({ aws: { credentials: [{ accessKeyId: 'a', secretAccessKey: '' }] } }),
    ).rejects.toThrow('"aws.credentials[0].secretAccessKey" must be a non-empty string');
  });
});
