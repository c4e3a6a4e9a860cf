import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, TokenEndpointError } from '../src/errors.js';
import { auth0BaseUrl, auth0ClientCredentials } from '../src/sources/auth0.js';
import { isLoopbackHost, requireSecureUrl } from '../src/sources/endpoint-url.js';
import { basicAuthorization, oauth2ClientCredentials } from '../src/sources/oauth2.js';
import { MAX_EXPIRES_IN_SECONDS } from '../src/sources/token-response.js';

const NOW = 1_700_000_000_000;
const clock = () => NOW;
const SECRET = 'sup3r-s3cret:with&odd=chars é';
const CLIENT_ID = 'client id/1';
// A syntactically valid JWT whose exp is one hour after NOW (payload {"exp":1700003600}).
const JWT_EXP_1H = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp: 1_700_003_600 })).toString('base64url')}.sig`;

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (request: Recorded, response: ServerResponse) => void;

/** A tiny token endpoint on loopback that records requests and answers with `handler`. */
let server: Server;
let baseUrl: string;
let handler: Handler;
const requests: Recorded[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  requests.length = 0;
});

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}
const okBody = {
  access_token: 'header.payload.signature',
  token_type: 'Bearer',
  expires_in: 86_400,
};

function auth0(extra: Partial<Parameters<typeof auth0ClientCredentials>[0]> = {}) {
  return auth0ClientCredentials({
    domain: baseUrl,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    audience: 'https://api.example.test',
    clock,
    ...extra,
  });
}

/** Every string an error exposes: message, stack, JSON, and the same for its causes. */
function exposedText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    parts.push(String(current));
    if (current instanceof Error) parts.push(current.stack ?? '', JSON.stringify(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('auth0ClientCredentials', () => {
  it('POSTs the JSON client-credentials body to /oauth/token and returns the token', async () => {
    handler = answer(200, { ...okBody, scope: 'read:vehicles' });
    const source = auth0({ scope: 'read:vehicles' });
    const token = await source.getToken();

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/oauth/token');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: SECRET,
      audience: 'https://api.example.test',
      scope: 'read:vehicles',
    });
    expect(token).toEqual({
      accessToken: 'header.payload.signature',
      tokenType: 'Bearer',
      issuedAt: NOW,
      expiresAt: NOW + 86_400_000,
      clientId: CLIENT_ID,
      scope: 'read:vehicles',
    });
  });

  it('exposes its identity with the Auth0 issuer (trailing slash) and no secret', () => {
    const source = auth0();
    expect(source.identity).toEqual({
      issuer: `${baseUrl}/`,
      audience: 'https://api.example.test',
      clientIds: [CLIENT_ID],
    });
    expect(source.tokenEndpoint).toBe(`${baseUrl}/oauth/token`);
    expect(JSON.stringify(source)).not.toContain(SECRET);
  });

  it.each([
    ['tenant.us.auth0.com', 'https://tenant.us.auth0.com'],
    ['Tenant.Auth0.com', 'https://tenant.auth0.com'],
    ['tenant.auth0.com/', 'https://tenant.auth0.com'],
    ['login.example.com:8443', 'https://login.example.com:8443'],
    ['https://login.example.com/', 'https://login.example.com'],
    ['https://login.example.com/tenant-a', 'https://login.example.com/tenant-a'],
    ['http://127.0.0.1:4566', 'http://127.0.0.1:4566'],
    ['http://localhost:4566/', 'http://localhost:4566'],
  ])('normalizes the domain %s to the base URL %s', (domain, expected) => {
    expect(auth0BaseUrl(domain)).toBe(expected);
  });

  it.each([
    ['http://tenant.auth0.com', /https:\/\/ URL.*loopback/],
    ['ftp://tenant.auth0.com', /protocol "ftp:"/],
    ['tenant auth0.com', /bare domain/],
    ['tenant.auth0.com/oauth', /bare domain/],
    ['https://user:pw@tenant.auth0.com', /without user:password/],
    ['', /non-empty/],
  ])('refuses the domain %j with a ConfigError naming AUTH0_DOMAIN', (domain, message) => {
    const error = (() => {
      try {
        auth0BaseUrl(domain, 'AUTH0_DOMAIN');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('AUTH0_DOMAIN');
    expect((error as Error).message).toMatch(/^AUTH0_DOMAIN must be /);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses options that are missing or malformed, naming the option', () => {
    expect(() => auth0({ clientId: '' })).toThrow(/^clientId must be a non-empty string/);
    expect(() => auth0({ clientSecret: '' })).toThrow(/^clientSecret must be a non-empty string/);
    expect(() => auth0({ audience: ' x' })).toThrow(/^audience must be a string without leading/);
    expect(() => auth0({ timeoutMs: 0 })).toThrow(
      /^timeoutMs must be an integer number of milliseconds from 1 to/,
    );
    const padded = (() => {
      try {
        auth0({ clientSecret: ` ${SECRET}` });
      } catch (error) {
        return error as Error;
      }
    })();
    expect(padded?.message).toBe(
      'clientSecret must be a string without leading or trailing whitespace',
    );
  });
});

describe('oauth2ClientCredentials', () => {
  it('authenticates with client_secret_basic: form-urlencoded id and secret, then base64', async () => {
    handler = answer(200, okBody);
    const source = oauth2ClientCredentials({
      tokenEndpoint: `${baseUrl}/oauth2/token`,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      authMethod: 'client_secret_basic',
      scope: 'a b',
      resource: ['https://api.one.test', 'https://api.two.test'],
      clock,
    });
    await source.getToken();

    const [request] = requests;
    expect(request?.url).toBe('/oauth2/token');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const credentials = Buffer.from(
      (request?.headers.authorization ?? '').replace(/^Basic /, ''),
      'base64',
    ).toString('utf8');
    // RFC 6749 §2.3.1: each part form-urlencoded before joining with ':'.
    const [encodedId, encodedSecret, ...rest] = credentials.split(':');
    expect(rest).toEqual([]);
    expect(decodeURIComponent((encodedId ?? '').replace(/\+/g, ' '))).toBe(CLIENT_ID);
    expect(decodeURIComponent((encodedSecret ?? '').replace(/\+/g, ' '))).toBe(SECRET);
    const form = new URLSearchParams(request?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('a b');
    expect(form.getAll('resource')).toEqual(['https://api.one.test', 'https://api.two.test']);
    expect(form.has('client_secret')).toBe(false);
    expect(form.has('client_id')).toBe(false);
    expect(source.identity).toEqual({
      issuer: `${baseUrl}/`,
      audience: 'https://api.one.test https://api.two.test',
      clientIds: [CLIENT_ID],
    });
  });

  it('encodes Basic credentials exactly as RFC 6749 §2.3.1 specifies', () => {
    expect(basicAuthorization('id', 'p@ss:w')).toBe(
      `Basic ${Buffer.from('id:p%40ss%3Aw').toString('base64')}`,
    );
  });

  it('authenticates with client_secret_post: credentials in the form body, no Authorization', async () => {
    handler = answer(200, okBody);
    const source = oauth2ClientCredentials({
      tokenEndpoint: `${baseUrl}/token`,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      authMethod: 'client_secret_post',
      audience: 'https://api.example.test',
      issuer: 'https://issuer.example.test/',
      clock,
    });
    const token = await source.getToken();

    const [request] = requests;
    expect(request?.headers.authorization).toBeUndefined();
    const form = new URLSearchParams(request?.body);
    expect(form.get('client_id')).toBe(CLIENT_ID);
    expect(form.get('client_secret')).toBe(SECRET);
    expect(form.get('audience')).toBe('https://api.example.test');
    expect(token.expiresAt).toBe(NOW + 86_400_000);
    expect(source.identity.issuer).toBe('https://issuer.example.test/');
    expect(source.identity.audience).toBe('https://api.example.test');
  });

  it('refuses a non-loopback http:// endpoint and a bad auth method, naming the option', () => {
    const base = { clientId: 'a', clientSecret: 'b', authMethod: 'client_secret_post' as const };
    expect(() =>
      oauth2ClientCredentials({ ...base, tokenEndpoint: 'http://idp.example.com/token' }),
    ).toThrow(/^tokenEndpoint must be an https:\/\/ URL \(http:\/\/ is allowed only for loopback/);
    expect(() => oauth2ClientCredentials({ ...base, tokenEndpoint: 'not a url' })).toThrow(
      /^tokenEndpoint must be an absolute https:\/\/ URL/,
    );
    expect(() =>
      oauth2ClientCredentials({
        ...base,
        tokenEndpoint: 'https://idp.example.com/token',
        authMethod: 'private_key_jwt' as 'client_secret_post',
      }),
    ).toThrow(/^authMethod must be "client_secret_basic" or "client_secret_post"/);
    expect(() =>
      oauth2ClientCredentials({
        ...base,
        tokenEndpoint: 'https://idp.example.com/token',
        resource: 'relative/path',
      }),
    ).toThrow(/^resource must be an absolute URI/);
  });
});

describe('loopback rule', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.255.3.4', true],
    ['[::1]', true],
    ['128.0.0.1', false],
    ['127.0.0.1.example.com', false],
    ['localhost.example.com', false],
    ['[::2]', false],
  ])('isLoopbackHost(%s) is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('accepts http:// on loopback spellings that URL normalizes (127.1, [0::1])', () => {
    expect(requireSecureUrl('http://127.1:80/t', 'x').hostname).toBe('127.0.0.1');
    expect(requireSecureUrl('http://[0::1]/t', 'x').hostname).toBe('[::1]');
  });
});

describe('response parsing', () => {
  it.each([
    ['bearer', 'lowercase token_type', { ...okBody, token_type: 'bearer' }],
    ['a numeric string expires_in', '', { ...okBody, expires_in: '3600' }],
    ['the largest sane expires_in', '', { ...okBody, expires_in: MAX_EXPIRES_IN_SECONDS }],
  ])('accepts %s %s', async (_label, _more, body) => {
    handler = answer(200, body);
    const token = await auth0().getToken();
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresAt).toBeGreaterThan(NOW);
  });

  it('takes the expiry from the JWT exp claim when expires_in is absent', async () => {
    handler = answer(200, { access_token: JWT_EXP_1H, token_type: 'Bearer' });
    const token = await auth0().getToken();
    expect(token.expiresAt).toBe(NOW + 3_600_000);
  });

  it.each([
    ['a body that is not JSON', 'not json at all'],
    ['a JSON array', [okBody]],
    ['no access_token', { token_type: 'Bearer', expires_in: 60 }],
    ['an empty access_token', { ...okBody, access_token: '' }],
    ['an access_token with spaces', { ...okBody, access_token: 'a b' }],
    ['a numeric access_token', { ...okBody, access_token: 42 }],
    ['no token_type', { access_token: 'x', expires_in: 60 }],
    ['token_type MAC', { ...okBody, token_type: 'MAC' }],
    ['expires_in 0', { ...okBody, expires_in: 0 }],
    ['a negative expires_in', { ...okBody, expires_in: -5 }],
    ['expires_in beyond a year', { ...okBody, expires_in: MAX_EXPIRES_IN_SECONDS + 1 }],
    ['expires_in NaN-like', { ...okBody, expires_in: 'soon' }],
    ['no expires_in and an opaque token', { access_token: 'opaque', token_type: 'Bearer' }],
    ['a non-string scope', { ...okBody, scope: ['a'] }],
  ])('rejects %s with ENDPOINT_RESPONSE_INVALID', async (_label, body) => {
    handler = answer(200, body);
    const error = await rejection(auth0().getToken());
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).code).toBe('ENDPOINT_RESPONSE_INVALID');
    expect(exposedText(error)).not.toContain(SECRET);
  });

  it('never echoes the access token of a rejected response', async () => {
    handler = answer(200, { access_token: 'leaky.token.value', token_type: 'MAC', expires_in: 60 });
    const error = await rejection(auth0().getToken());
    expect(exposedText(error)).not.toContain('leaky.token.value');
  });
});

describe('error responses', () => {
  it('carries the HTTP status and the RFC 6749 §5.2 error fields', async () => {
    handler = answer(401, { error: 'access_denied', error_description: 'Unauthorized' });
    const error = (await rejection(auth0().getToken())) as TokenEndpointError;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.code).toBe('ENDPOINT_ERROR');
    expect(error.status).toBe(401);
    expect(error.error).toBe('access_denied');
    expect(error.errorDescription).toBe('Unauthorized');
    expect(error.retryAt).toBeUndefined();
    expect(error.message).toContain('HTTP 401');
  });

  it('reads retryAt from x-ratelimit-reset (epoch seconds)', async () => {
    handler = answer(429, { error: 'too_many_requests' }, { 'x-ratelimit-reset': '1700000042' });
    const error = (await rejection(auth0().getToken())) as TokenEndpointError;
    expect(error.status).toBe(429);
    expect(error.retryAt).toBe(1_700_000_042_000);
  });

  it('reads retryAt from Retry-After in seconds, relative to the injected clock', async () => {
    handler = answer(503, 'upstream down', { 'retry-after': '120', 'content-type': 'text/plain' });
    const error = (await rejection(auth0().getToken())) as TokenEndpointError;
    expect(error.status).toBe(503);
    expect(error.error).toBeUndefined();
    expect(error.retryAt).toBe(NOW + 120_000);
  });

  it('reads retryAt from Retry-After as an HTTP date', async () => {
    handler = answer(429, {}, { 'retry-after': 'Tue, 14 Nov 2023 22:15:00 GMT' });
    const error = (await rejection(auth0().getToken())) as TokenEndpointError;
    expect(error.retryAt).toBe(Date.parse('2023-11-14T22:15:00Z'));
  });

  it('redacts the client secret if the server echoes it back', async () => {
    handler = answer(401, { error: 'invalid_client', error_description: `bad secret ${SECRET}` });
    const error = (await rejection(auth0().getToken())) as TokenEndpointError;
    expect(error.errorDescription).toContain('[redacted]');
    expect(exposedText(error)).not.toContain(SECRET);
  });

  it('does not follow redirects (they would replay the secret elsewhere)', async () => {
    handler = (request, response) => {
      if (request.url === '/oauth/token') {
        response.writeHead(307, { location: `${baseUrl}/elsewhere` });
        response.end();
      } else answer(200, okBody)(request, response);
    };
    const error = (await rejection(auth0().getToken())) as TokenEndpointError;
    expect(error.status).toBe(307);
    expect(requests.map((request) => request.url)).toEqual(['/oauth/token']);
  });
});

describe('transport failures', () => {
  it('times out a request that never answers (ENDPOINT_TIMEOUT)', async () => {
    handler = () => {}; // never answers
    const error = (await rejection(auth0({ timeoutMs: 100 }).getToken())) as TokenEndpointError;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error.code).toBe('ENDPOINT_TIMEOUT');
    expect(error.message).toContain('100 ms');
    expect(exposedText(error)).not.toContain(SECRET);
  });

  it("rethrows the caller's abort reason when the caller's signal fires", async () => {
    handler = () => {};
    const controller = new AbortController();
    const pending = auth0().getToken({ signal: controller.signal });
    const reason = new Error('caller gave up');
    setImmediate(() => controller.abort(reason));
    expect(await rejection(pending)).toBe(reason);
  });

  it('reports an unreachable endpoint (ENDPOINT_UNREACHABLE)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = (await rejection(
      auth0({ domain: `http://127.0.0.1:${port}` }).getToken(),
    )) as TokenEndpointError;
    expect(error.code).toBe('ENDPOINT_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
    expect(exposedText(error)).not.toContain(SECRET);
  });
});
