import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultKind, LocalStack } from '../src/index.js';
import {
  caught,
  defaultTokenRequest,
  requestToken,
  secretsManagerClient,
  ssmClient,
  startStack,
} from './helpers.js';

describe('fault injection', () => {
  let stack: LocalStack | undefined;
  afterEach(() => stack?.stop());

  async function ssmStack(): Promise<LocalStack> {
    stack = await startStack();
    await ssmClient(stack).send(
      new PutParameterCommand({ Name: '/f/p', Value: 'x', Type: 'String' }),
    );
    return stack;
  }

  it.each<[FaultKind, string, number]>([
    ['http-500', 'InternalServerError', 500],
    ['http-503', 'ServiceUnavailable', 503],
    ['throttle', 'ThrottlingException', 400],
    ['access-denied', 'AccessDeniedException', 400],
    ['rate-limit-429', 'ThrottlingException', 429],
  ])('SSM %s reaches the SDK as %s (HTTP %i) and is counted', async (failure, name, status) => {
    const s = await ssmStack();
    s.faults.set('ssm.GetParameter', { failure });
    const error = await caught(() => ssmClient(s).send(new GetParameterCommand({ Name: '/f/p' })));
    expect(error.name).toBe(name);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(status);
    expect(s.counters.get(`faults.${failure}`)).toBe(1);
    expect(s.counters.get('ssm.GetParameter')).toBe(1);
  });

  it('a target with a name applies to that parameter only, as a policy denying one would', async () => {
    const s = await ssmStack();
    await ssmClient(s).send(new PutParameterCommand({ Name: '/f/q', Value: 'y', Type: 'String' }));
    s.faults.set('ssm:/f/q', { failure: 'access-denied' });
    const denied = await caught(() => ssmClient(s).send(new GetParameterCommand({ Name: '/f/q' })));
    expect(denied.name).toBe('AccessDeniedException');
    const other = await ssmClient(s).send(new GetParameterCommand({ Name: '/f/p' }));
    expect(other.Parameter?.Value).toBe('x');
    // A rule naming the parameter wins over one for the whole operation (an explicit deny)...
    s.faults.set('ssm.GetParameter', { failure: 'http-503' });
    const stillDenied = await caught(() =>
      ssmClient(s).send(new GetParameterCommand({ Name: '/f/q' })),
    );
    expect(stillDenied.name).toBe('AccessDeniedException');
    // ...and the operation with the name over the name alone.
    s.faults.set('ssm.GetParameter:/f/q', { failure: 'throttle' });
    const throttled = await caught(() =>
      ssmClient(s).send(new GetParameterCommand({ Name: '/f/q' })),
    );
    expect(throttled.name).toBe('ThrottlingException');
  });

  it('too-many-updates reaches the SDK as TooManyUpdates on PutParameter', async () => {
    const s = await ssmStack();
    s.faults.set('ssm.PutParameter', { failure: 'too-many-updates' });
    const error = await caught(() =>
      ssmClient(s).send(
        new PutParameterCommand({ Name: '/f/p', Value: 'y', Type: 'String', Overwrite: true }),
      ),
    );
    expect(error.name).toBe('TooManyUpdates');
    expect(s.counters.get('faults.too-many-updates')).toBe(1);
  });

  it('malformed answers 200 with a body the SDK cannot parse', async () => {
    const s = await ssmStack();
    s.faults.set('ssm', { failure: 'malformed' });
    const error = await caught(() => ssmClient(s).send(new GetParameterCommand({ Name: '/f/p' })));
    expect(error.name).toMatch(/SyntaxError|Deserialization/);
    expect(s.counters.get('faults.malformed')).toBe(1);
  });

  it('reset destroys the connection without an answer', async () => {
    const s = await ssmStack();
    s.faults.set('ssm.GetParameter', { failure: 'reset' });
    const error = await caught(() => ssmClient(s).send(new GetParameterCommand({ Name: '/f/p' })));
    expect(`${error.name} ${error.message} ${String(error.code)}`).toMatch(
      /ECONNRESET|socket hang up/,
    );
    expect(s.counters.get('faults.reset')).toBe(1);
  });

  it('hang never answers, so the client gives up; stop() closes hung connections at once', async () => {
    const s = await ssmStack();
    s.faults.set('ssm.GetParameter', { failure: 'hang' });
    const error = await caught(() =>
      ssmClient(s).send(new GetParameterCommand({ Name: '/f/p' }), {
        abortSignal: AbortSignal.timeout(200),
      }),
    );
    expect(error.name).toMatch(/AbortError|TimeoutError/);
    expect(s.counters.get('faults.hang')).toBe(1);
    s.faults.set('api', { failure: 'hang' });
    const stillHanging = fetch(`${s.url}/vehicles/2/overview`).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    await expect.poll(() => s.counters.get('faults.hang')).toBe(2);
    await s.stop();
    expect(await stillHanging).toBe('TypeError');
  });

  it('hang with hangMs answers a late 500', async () => {
    const s = await ssmStack();
    s.faults.set('ssm.GetParameter', { failure: 'hang', hangMs: 20 });
    const error = await caught(() => ssmClient(s).send(new GetParameterCommand({ Name: '/f/p' })));
    expect(error.name).toBe('InternalServerError');
  });

  it('latency delays a request that then succeeds', async () => {
    const s = await ssmStack();
    s.faults.set('ssm.GetParameter', { latencyMs: 20 });
    const { Parameter } = await ssmClient(s).send(new GetParameterCommand({ Name: '/f/p' }));
    expect(Parameter?.Value).toBe('x');
    expect(s.counters.get('faults.injected')).toBe(0);
  });

  it('applies a rule to `count` requests, then removes it', async () => {
    const s = await ssmStack();
    s.faults.set('ssm', { failure: 'http-500', count: 2 });
    const ssm = ssmClient(s);
    expect((await caught(() => ssm.send(new GetParameterCommand({ Name: '/f/p' })))).name).toBe(
      'InternalServerError',
    );
    expect((await caught(() => ssm.send(new GetParameterCommand({ Name: '/f/p' })))).name).toBe(
      'InternalServerError',
    );
    await expect(ssm.send(new GetParameterCommand({ Name: '/f/p' }))).resolves.toBeDefined();
  });

  it('fails with the configured failureRate using the injected random source', async () => {
    const rolls = [0.9, 0.1, 0.6, 0.4];
    stack = await startStack({ random: () => rolls.shift() ?? 1 });
    const ssm = ssmClient(stack);
    await ssm.send(new PutParameterCommand({ Name: '/f/p', Value: 'x', Type: 'String' }));
    stack.faults.set('ssm.GetParameter', { failure: 'throttle', failureRate: 0.5 });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      outcomes.push(
        await ssm.send(new GetParameterCommand({ Name: '/f/p' })).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    }
    expect(outcomes).toEqual(['ok', 'ThrottlingException', 'ok', 'ThrottlingException']);
  });

  it('prefers the most specific rule and leaves other services alone', async () => {
    stack = await startStack({
      secrets: { s: 'v' },
      faults: { ssm: { failure: 'http-503' }, 'ssm.GetParameter': { failure: 'access-denied' } },
    });
    const ssm = ssmClient(stack);
    expect((await caught(() => ssm.send(new GetParameterCommand({ Name: '/x' })))).name).toBe(
      'AccessDeniedException',
    );
    expect(
      (
        await caught(() =>
          ssm.send(new PutParameterCommand({ Name: '/x', Value: 'v', Type: 'String' })),
        )
      ).name,
    ).toBe('ServiceUnavailable');
    const secret = await secretsManagerClient(stack).send(
      new GetSecretValueCommand({ SecretId: 's' }),
    );
    expect(secret.SecretString).toBe('v');
    stack.faults.clear();
    await expect(
      ssm.send(new PutParameterCommand({ Name: '/x', Value: 'v', Type: 'String' })),
    ).resolves.toBeDefined();
  });

  it.each<[FaultKind, number, string]>([
    ['rate-limit-429', 429, 'too_many_requests'],
    ['access-denied', 401, 'access_denied'],
    ['http-500', 500, 'server_error'],
    ['http-503', 503, 'temporarily_unavailable'],
  ])('IdP %s answers %i %s in Auth0 shape', async (failure, status, error) => {
    stack = await startStack();
    stack.faults.set('idp.token', { failure });
    const response = await requestToken(stack, defaultTokenRequest(stack));
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(error);
    if (status === 429) expect(response.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    expect(stack.counters.get('idp.token')).toBe(1);
    expect(stack.counters.get('idp.issued')).toBe(0);
  });

  it("IdP rate-limit-429 announces the rule's x-ratelimit-reset, however far ahead", async () => {
    stack = await startStack();
    stack.faults.set('idp.token', {
      failure: 'rate-limit-429',
      rateLimitResetEpochSeconds: 99_999_999_999,
    });
    const response = await requestToken(stack, defaultTokenRequest(stack));
    expect(response.status).toBe(429);
    expect(response.headers.get('x-ratelimit-reset')).toBe('99999999999');
  });

  it('API unauthorized answers 401, as a JWT authorizer refusing the token', async () => {
    stack = await startStack();
    stack.faults.set('api', { failure: 'unauthorized' });
    const response = await fetch(`${stack.url}/vehicles/7/overview`);
    expect(response.status).toBe(401);
    await response.arrayBuffer();
  });

  it('IdP malformed answers 200 with a body that is not JSON', async () => {
    stack = await startStack();
    stack.faults.set('idp.token', { failure: 'malformed' });
    const response = await fetch(stack.tokenEndpoint, { method: 'POST', body: '' });
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('refuses an invalid rule with a message naming the field', async () => {
    stack = await startStack();
    expect(() => stack?.faults.set('ssm', { failureRate: 2, failure: 'throttle' })).toThrow(
      /"failureRate" must be a number in \[0, 1\]/,
    );
    expect(() => stack?.faults.set('ssm', { failure: 'explode' as FaultKind })).toThrow(
      /"failure" must be one of/,
    );
  });
});
