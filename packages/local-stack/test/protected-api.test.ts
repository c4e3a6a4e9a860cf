import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../src/index.js';
import { manualClock, requestToken, startStack } from './helpers.js';

describe('JWT-protected API (API Gateway JWT authorizer semantics)', () => {
  const clock = manualClock();
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startStack({
      now: clock.now,
      idp: {
        clients: [
          {
            clientId: 'vwc',
            clientSecret: 's',
            grants: [{ audience: 'https://api.vwc.local', scope: 'read:vehicles' }],
          },
          { clientId: 'other', clientSecret: 's2', grants: [{ audience: 'https://other.api' }] },
        ],
      },
    });
  });
  afterAll(() => stack.stop());

  const overview = (authorization?: string) =>
    fetch(`${stack.url}/vehicles/VIN123/overview`, {
      headers: authorization === undefined ? {} : { authorization },
    });

  async function token(
    clientId = 'vwc',
    secret = 's',
    audience = 'https://api.vwc.local',
  ): Promise<string> {
    const { body } = await requestToken(stack, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
      audience,
    });
    return body.access_token as string;
  }

  it('answers 200 for a valid token for its audience and issuer', async () => {
    const response = await overview(`Bearer ${await token()}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      vehicleId: 'VIN123',
      requestedBy: 'vwc@clients',
    });
    expect(stack.counters.get('api.accepted')).toBe(1);
  });

  it('answers 401 without a token', async () => {
    const response = await overview();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('answers 401 for a token issued for another audience', async () => {
    const response = await overview(`Bearer ${await token('other', 's2', 'https://other.api')}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('aud');
  });

  it('answers 401 once the token has expired (injected clock)', async () => {
    const fresh = await token();
    clock.advance(86_400 * 1000 + 1000);
    const response = await overview(`Bearer ${fresh}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('expired');
  });

  it('answers 401 for a tampered signature', async () => {
    const valid = await token();
    const [header, payload, signature = ''] = valid.split('.');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await overview(`Bearer ${header}.${payload}.${flipped}`)).status).toBe(401);
  });

  it('counts every request and every rejection', () => {
    expect(stack.counters.get('api.requests')).toBe(5);
    expect(stack.counters.get('api.rejected')).toBe(4);
  });
});
