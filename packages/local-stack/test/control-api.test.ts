import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../src/index.js';
import { caught, defaultTokenRequest, requestToken, ssmClient, startStack } from './helpers.js';

describe('HTTP control API under /_stack/', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}/_stack/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('reports health and the environment to use', async () => {
    expect((await control('GET', 'health')).body).toEqual({ status: 'ok' });
    const info = await control('GET', 'info');
    expect(info.body).toMatchObject({ url: stack.url, issuer: stack.issuer, env: stack.env });
  });

  it('serves counters, and control requests are not counted', async () => {
    await ssmClient(stack).send(
      new PutParameterCommand({ Name: '/c/p', Value: 'x', Type: 'String' }),
    );
    const counters = await control('GET', 'counters');
    expect(counters.body).toEqual({ 'ssm.PutParameter': 1 });
  });

  it('sets, lists and clears faults for another process', async () => {
    const set = await control('POST', 'faults', {
      target: 'ssm.GetParameter',
      failure: 'throttle',
      count: 1,
    });
    expect(set.body).toEqual({ 'ssm.GetParameter': { failure: 'throttle', count: 1 } });
    const error = await caught(() =>
      ssmClient(stack).send(new GetParameterCommand({ Name: '/c/p' })),
    );
    expect(error.name).toBe('ThrottlingException');
    await control('POST', 'faults', { target: 'idp.token', failure: 'http-500' });
    expect((await control('DELETE', 'faults?target=idp.token')).body).toEqual({});
    expect((await requestToken(stack, defaultTokenRequest(stack))).status).toBe(200);
  });

  it('refuses an invalid fault with 400 and a message naming the field', async () => {
    const result = await control('POST', 'faults', { target: 'ssm', failure: 'boom' });
    expect(result.status).toBe(400);
    expect(result.body.message).toMatch(/"failure" must be one of/);
  });

  it('registers and revokes clients', async () => {
    const client = {
      clientId: 'ctl',
      clientSecret: 'ctl-secret',
      grants: [{ audience: 'https://api.vwc.local' }],
    };
    expect((await control('POST', 'clients', client)).status).toBe(200);
    const request = {
      grant_type: 'client_credentials',
      client_id: 'ctl',
      client_secret: 'ctl-secret',
      audience: 'https://api.vwc.local',
    };
    expect((await requestToken(stack, request)).status).toBe(200);
    await control('POST', 'clients/ctl/revoke');
    expect((await requestToken(stack, request)).status).toBe(401);
  });

  it('changes expires_in and the SSM throttle', async () => {
    await control('POST', 'idp/expires-in', { seconds: 90 });
    expect((await requestToken(stack, defaultTokenRequest(stack))).body.expires_in).toBe(90);
    expect((await control('POST', 'idp/expires-in', { seconds: -1 })).status).toBe(400);
    const throttle = await control('POST', 'ssm/throttle', {
      readsPerSecond: 40,
      writesPerSecond: 3,
    });
    expect(throttle.body).toEqual({ readsPerSecond: 40, writesPerSecond: 3 });
    await control('POST', 'ssm/throttle', { readsPerSecond: 0, writesPerSecond: 0 });
  });

  it('resets data and counters', async () => {
    await control('POST', 'reset');
    expect((await control('GET', 'counters')).body).toEqual({});
    const error = await caught(() =>
      ssmClient(stack).send(new GetParameterCommand({ Name: '/c/p' })),
    );
    expect(error.name).toBe('ParameterNotFound');
  });

  it('answers 404 for an unknown control endpoint', async () => {
    expect((await control('GET', 'nope')).status).toBe(404);
  });
});
