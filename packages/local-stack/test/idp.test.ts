import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, type LocalStack } from '../src/index.js';
import { defaultTokenRequest, manualClock, requestToken, startStack } from './helpers.js';

describe('Auth0-compatible token endpoint', () => {
  let stack: LocalStack | undefined;
  afterEach(() => stack?.stop());

  it('issues an RS256 JWT with Auth0 M2M claims, verifiable with the published JWKS', async () => {
    const clock = manualClock();
    stack = await startStack({ now: clock.now });
    const { status, headers, body } = await requestToken(stack, defaultTokenRequest(stack));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86_400,
      scope: DEFAULT_CLIENT.scope,
    });
    expect(headers.get('cache-control')).toBe('no-store');
    const token = body.access_token as string;
    const jwks = (await (await fetch(stack.jwksUri)).json()) as { keys: Array<{ kid: string }> };
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]?.kid });
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
      issuer: stack.issuer,
      audience: DEFAULT_CLIENT.audience,
      currentDate: new Date(clock.now()),
    });
    const iat = Math.floor(clock.now() / 1000);
    expect(payload).toMatchObject({
      iss: `${stack.url}/`,
      sub: `${DEFAULT_CLIENT.clientId}@clients`,
      aud: DEFAULT_CLIENT.audience,
      azp: DEFAULT_CLIENT.clientId,
      scope: DEFAULT_CLIENT.scope,
      gty: 'client-credentials',
      iat,
      exp: iat + 86_400,
    });
    expect(stack.counters.get('idp.token')).toBe(1);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('accepts a form body with client_secret_basic authentication', async () => {
    stack = await startStack();
    const basic = Buffer.from(
      `${encodeURIComponent(DEFAULT_CLIENT.clientId)}:${encodeURIComponent(DEFAULT_CLIENT.clientSecret)}`,
    ).toString('base64');
    const response = await fetch(stack.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        audience: DEFAULT_CLIENT.audience,
      }).toString(),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { token_type: string }).token_type).toBe('Bearer');
  });

  it('accepts a form body with client_secret_post authentication', async () => {
    stack = await startStack();
    const response = await fetch(stack.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(defaultTokenRequest(stack)).toString(),
    });
    expect(response.status).toBe(200);
  });

  it('answers 401 access_denied "Unauthorized" for a wrong secret, without echoing it', async () => {
    stack = await startStack();
    const { status, body } = await requestToken(stack, {
      ...defaultTokenRequest(stack),
      client_secret: 'wrong-secret-value',
    });
    expect(status).toBe(401);
    expect(body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    expect(JSON.stringify(body)).not.toContain('wrong-secret-value');
    expect(stack.counters.get('idp.issued')).toBe(0);
  });

  it('answers 403 access_denied when the client has no grant for the audience', async () => {
    stack = await startStack({
      idp: {
        clients: [
          { clientId: 'a', clientSecret: 'sa', grants: [{ audience: 'https://one' }] },
          { clientId: 'b', clientSecret: 'sb', grants: [{ audience: 'https://two' }] },
        ],
      },
    });
    const { status, body } = await requestToken(stack, {
      grant_type: 'client_credentials',
      client_id: 'a',
      client_secret: 'sa',
      audience: 'https://two',
    });
    expect(status).toBe(403);
    expect(body.error).toBe('access_denied');
    expect(body.error_description).toContain('Client is not authorized to access "https://two"');
  });

  it('answers 403 for an audience no API serves, and 400 for a missing or unsupported grant_type', async () => {
    stack = await startStack();
    const unknown = await requestToken(stack, {
      ...defaultTokenRequest(stack),
      audience: 'https://elsewhere',
    });
    expect([unknown.status, unknown.body.error_description]).toEqual([
      403,
      'Service not enabled within domain: https://elsewhere',
    ]);
    const { grant_type: _omitted, ...noGrant } = defaultTokenRequest(stack);
    const missing = await requestToken(stack, noGrant);
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
    const password = await requestToken(stack, {
      ...defaultTokenRequest(stack),
      grant_type: 'password',
    });
    expect([password.status, password.body.error]).toEqual([400, 'unsupported_grant_type']);
  });

  it('answers 429 with x-ratelimit headers past the per-second limit, and recovers the next second', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 15, 12, 0, 0, 0));
    stack = await startStack({ now: clock.now, idp: { rateLimitPerSecond: 2 } });
    const first = await requestToken(stack, defaultTokenRequest(stack));
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    await requestToken(stack, defaultTokenRequest(stack));
    const limited = await requestToken(stack, defaultTokenRequest(stack));
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: 'too_many_requests',
      error_description: 'Global limit has been reached',
    });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(
      String(Date.UTC(2026, 0, 15, 12, 0, 1) / 1000),
    );
    clock.advance(1000);
    expect((await requestToken(stack, defaultTokenRequest(stack))).status).toBe(200);
    expect(stack.counters.get('idp.rateLimited')).toBe(1);
  });

  it('answers 429 once the monthly quota is spent, until the next month', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 31, 23, 0, 0));
    stack = await startStack({ now: clock.now, idp: { monthlyQuota: 2 } });
    expect((await requestToken(stack, defaultTokenRequest(stack))).status).toBe(200);
    expect((await requestToken(stack, defaultTokenRequest(stack))).status).toBe(200);
    const spent = await requestToken(stack, defaultTokenRequest(stack));
    expect(spent.status).toBe(429);
    expect(spent.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 1, 1) / 1000));
    expect(stack.counters.get('idp.issued')).toBe(2);
    clock.set(Date.UTC(2026, 1, 1, 0, 0, 1));
    expect((await requestToken(stack, defaultTokenRequest(stack))).status).toBe(200);
  });

  it('issues tokens with the configured expires_in, changeable at run time', async () => {
    stack = await startStack({ idp: { expiresInSeconds: 600 } });
    expect((await requestToken(stack, defaultTokenRequest(stack))).body.expires_in).toBe(600);
    stack.idp.setExpiresIn(120);
    expect((await requestToken(stack, defaultTokenRequest(stack))).body.expires_in).toBe(120);
  });

  it('adds and revokes clients at run time', async () => {
    stack = await startStack();
    stack.idp.addClient({
      clientId: 'rotated',
      clientSecret: 'new-secret',
      grants: [{ audience: DEFAULT_CLIENT.audience }],
    });
    const request = {
      grant_type: 'client_credentials',
      client_id: 'rotated',
      client_secret: 'new-secret',
      audience: DEFAULT_CLIENT.audience,
    };
    expect((await requestToken(stack, request)).status).toBe(200);
    stack.idp.revokeClient('rotated');
    expect((await requestToken(stack, request)).status).toBe(401);
  });
});
