/**
 * Unit tests of the rotation logic alone, with scripted sources. The end-to-end behaviour
 * against the local IdP is in rotation-local-stack.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, TokenEndpointError } from '../src/errors.js';
import type { TokenCacheEvent } from '../src/events.js';
import type { ClientCredentialsSource } from '../src/sources/client-credentials.js';
import { isRejectedCredentials, rotatingClientCredentials } from '../src/sources/rotating.js';
import { readClientCredentialsList } from '../src/sources/rotating-clients.js';
import type { Token } from '../src/token.js';

const ISSUER = 'https://tenant.example/';
const AUDIENCE = 'https://api.example';

/** A source that answers from a script and counts its calls. */
function scripted(clientId: string, answer: () => Token | Error, issuer = ISSUER) {
  const source = {
    calls: 0,
    identity: { issuer, audience: AUDIENCE, clientIds: [clientId] },
    tokenEndpoint: `${issuer}oauth/token`,
    async getToken(): Promise<Token> {
      source.calls += 1;
      const result = answer();
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return source satisfies ClientCredentialsSource;
}

const token = (clientId: string): Token => ({
  accessToken: `token-of-${clientId}`,
  expiresAt: 1_000_000,
  tokenType: 'Bearer',
  clientId,
});
const denied = () =>
  new TokenEndpointError('ENDPOINT_ERROR', 'token endpoint answered 401 access_denied', {
    status: 401,
    error: 'access_denied',
  });

describe('rotatingClientCredentials', () => {
  it('uses the first client while it works', async () => {
    const a = scripted('a', () => token('a'));
    const b = scripted('b', () => token('b'));
    const source = rotatingClientCredentials([a, b]);
    expect((await source.getToken()).clientId).toBe('a');
    expect([a.calls, b.calls]).toEqual([1, 0]);
  });

  it('moves to the next client when the first is refused, reports it once and remembers it', async () => {
    const a = scripted('a', denied);
    const b = scripted('b', () => token('b'));
    const events: TokenCacheEvent[] = [];
    const source = rotatingClientCredentials([a, b], { onEvent: (e) => events.push(e) });
    expect((await source.getToken()).clientId).toBe('b');
    expect((await source.getToken()).clientId).toBe('b');
    expect([a.calls, b.calls]).toEqual([1, 2]);
    expect(source.currentClientId).toBe('b');
    expect(events).toEqual([{ type: 'client-rotated', fromClientId: 'a', toClientId: 'b' }]);
  });

  it.each([
    ['invalid_client', 401, true],
    ['unauthorized_client', 400, true],
    ['access_denied', 403, true],
    ['too_many_requests', 429, false],
    ['server_error', 500, false],
  ])('treats error %s (HTTP %i) as refused credentials: %s', (error, status, rotates) => {
    expect(
      isRejectedCredentials(new TokenEndpointError('ENDPOINT_ERROR', 'x', { status, error })),
    ).toBe(rotates);
  });

  it('does not rotate on a rate limit or an outage', async () => {
    const limited = new TokenEndpointError('ENDPOINT_ERROR', 'rate limited', {
      status: 429,
      error: 'too_many_requests',
    });
    const a = scripted('a', () => limited);
    const b = scripted('b', () => token('b'));
    const source = rotatingClientCredentials([a, b]);
    await expect(source.getToken()).rejects.toBe(limited);
    expect(b.calls).toBe(0);
  });

  it('throws the last refusal when every client is refused, and wraps around later', async () => {
    let aRevoked = true;
    const a = scripted('a', () => (aRevoked ? denied() : token('a')));
    const b = scripted('b', denied);
    const source = rotatingClientCredentials([a, b]);
    await expect(source.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(source.currentClientId).toBe('a');
    aRevoked = false;
    expect((await source.getToken()).clientId).toBe('a');
  });

  it('shares tokens across the rotation: one identity listing every client', () => {
    const source = rotatingClientCredentials([
      scripted('a', denied),
      scripted('b', () => token('b')),
    ]);
    expect(source.identity).toEqual({ issuer: ISSUER, audience: AUDIENCE, clientIds: ['a', 'b'] });
  });

  it('refuses clients of different issuers, an empty list and duplicates', () => {
    const a = scripted('a', denied);
    expect(() => rotatingClientCredentials([])).toThrow(ConfigError);
    expect(() =>
      rotatingClientCredentials([a, scripted('b', denied, 'https://other.example/')]),
    ).toThrow(/sources\[1\]/);
    expect(() => rotatingClientCredentials([a, scripted('a', denied)])).toThrow(/appears|listed/);
  });
});

describe('readClientCredentialsList', () => {
  it('reads the seed secret unchanged as a list of one', () => {
    expect(
      readClientCredentialsList({ AUTH0_M2M_CLIENT_ID: 'a', AUTH0_M2M_CLIENT_SECRET: 'sa' }),
    ).toEqual([{ clientId: 'a', clientSecret: 'sa' }]);
  });

  it('reads numbered pairs in order up to the first gap', () => {
    expect(
      readClientCredentialsList({
        AUTH0_M2M_CLIENT_ID: 'a',
        AUTH0_M2M_CLIENT_SECRET: 'sa',
        AUTH0_M2M_CLIENT_ID_2: 'b',
        AUTH0_M2M_CLIENT_SECRET_2: 'sb',
        AUTH0_M2M_CLIENT_ID_4: 'ignored',
        AUTH0_M2M_CLIENT_SECRET_4: 'ignored',
      }).map((c) => c.clientId),
    ).toEqual(['a', 'b']);
  });

  it('reads AUTH0_M2M_CLIENTS as a JSON string or a nested array, before the numbered pairs', () => {
    const list = [
      { clientId: 'x', clientSecret: 'sx' },
      { clientId: 'y', clientSecret: 'sy' },
    ];
    expect(
      readClientCredentialsList({
        AUTH0_M2M_CLIENTS: JSON.stringify(list),
        AUTH0_M2M_CLIENT_ID: 'a',
      }),
    ).toEqual(list);
    expect(readClientCredentialsList({ AUTH0_M2M_CLIENTS: list })).toEqual(list);
  });

  it.each([
    [{ AUTH0_M2M_CLIENT_ID: 'a' }, 'AUTH0_M2M_CLIENT_SECRET'],
    [
      {
        AUTH0_M2M_CLIENT_ID: 'a',
        AUTH0_M2M_CLIENT_SECRET: 's',
        AUTH0_M2M_CLIENT_SECRET_2: 'secret-2',
      },
      'AUTH0_M2M_CLIENT_ID_2',
    ],
    [{}, 'AUTH0_M2M_CLIENT_ID'],
    [{ AUTH0_M2M_CLIENTS: 'not json secret-value' }, 'AUTH0_M2M_CLIENTS'],
    [{ AUTH0_M2M_CLIENTS: '[{"clientId":"a"}]' }, 'AUTH0_M2M_CLIENTS[0]'],
    [{ AUTH0_M2M_CLIENTS: '[]' }, 'AUTH0_M2M_CLIENTS'],
  ])('names the variable at fault (%j → %s) without quoting a secret', (values, variable) => {
    const error = (() => {
      try {
        readClientCredentialsList(values);
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.variable).toBe(variable);
    expect(error.message).not.toMatch(/secret-value|secret-2/);
  });

  it('refuses the same client id twice', () => {
    expect(() =>
      readClientCredentialsList({
        AUTH0_M2M_CLIENTS: [
          { clientId: 'a', clientSecret: '1' },
          { clientId: 'a', clientSecret: '2' },
        ],
      }),
    ).toThrow(/twice/);
  });
});
