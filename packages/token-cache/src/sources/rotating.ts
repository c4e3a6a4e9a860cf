/**
 * Zero-downtime rotation of M2M clients (issue 7, part 4): an ordered list of client-credentials
 * sources for the same issuer and audience. The cache uses the current one; when the endpoint
 * rejects its credentials, the next takes over and the switch is remembered and reported.
 *
 * Rotation procedure this supports: create the new client (and its grant) in Auth0, append it to
 * the list in the secret, deploy; then delete or rotate the old client. Containers still using
 * the old one move on at their next refresh, and because every listed client id belongs to one
 * identity, tokens obtained by either keep being shared through the store.
 */
import { ConfigError, TokenEndpointError } from '../errors.js';
import type { TokenCacheListener } from '../events.js';
import type { GetTokenOptions, Token, TokenIdentity } from '../token.js';
import type { ClientCredentialsSource } from './client-credentials.js';

/**
 * RFC 6749 §5.2 `error` values that mean "these client credentials are not accepted" (Auth0
 * answers a revoked or wrong secret with 401 `access_denied`, a missing client grant with 403
 * `access_denied`). Rate limits, timeouts and 5xx are not the client's fault: no rotation.
 */
const CREDENTIAL_ERRORS = new Set(['access_denied', 'invalid_client', 'unauthorized_client']);

/** Options of {@link rotatingClientCredentials}. */
export interface RotatingClientCredentialsOptions {
  /** Receives `client-rotated` events (log and count them: `ClientRotation` metric). Must not throw. */
  readonly onEvent?: TokenCacheListener;
}

/**
 * A client-credentials source over an ordered list of clients, for zero-downtime rotation.
 *
 * - Uses the current client (initially the first).
 * - When it fails with a `TokenEndpointError` whose `error` is `access_denied`,
 *   `invalid_client` or `unauthorized_client` (or a bare 401), tries the next ones in order,
 *   wrapping around, each at most once per call; the first that succeeds becomes current and a
 *   `client-rotated` event is emitted. If every client is rejected, the last error is thrown.
 * - Any other failure (429, 5xx, timeout) is thrown unchanged: the client is not at fault.
 * - `identity` = issuer and audience of the clients (they must agree) with `clientIds` = every
 *   listed client, so a stored token of any of them is accepted across the rotation.
 *
 * @example
 * ```ts
 * const source = rotatingClientCredentials(
 *   clients.map(({ clientId, clientSecret }) =>
 *     auth0ClientCredentials({ domain, clientId, clientSecret, audience }),
 *   ),
 *   { onEvent: (event) => logger.info('token-cache', event) },
 * );
 * const cache = createTokenCache({ source, store });
 * ```
 */
export function rotatingClientCredentials(
  sources: readonly ClientCredentialsSource[],
  options: RotatingClientCredentialsOptions = {},
): ClientCredentialsSource & { readonly currentClientId: string } {
  const first = sources[0];
  if (first === undefined) {
    throw new ConfigError('sources', 'a non-empty list of client-credentials sources');
  }
  const identity = combinedIdentity(sources);
  let current = 0;

  const clientIdOf = (index: number): string => sources[index]?.identity.clientIds[0] ?? '';

  /** Moves from `from` to `to` unless a concurrent call already moved elsewhere. */
  const rotate = (from: number, to: number): void => {
    if (current !== from || from === to) {
      return;
    }
    current = to;
    options.onEvent?.({
      type: 'client-rotated',
      fromClientId: clientIdOf(from),
      toClientId: clientIdOf(to),
    });
  };

  return {
    identity,
    get tokenEndpoint() {
      return sources[current]?.tokenEndpoint ?? first.tokenEndpoint;
    },
    get currentClientId() {
      return clientIdOf(current);
    },
    async getToken(getOptions?: GetTokenOptions): Promise<Token> {
      const start = current;
      let lastError: unknown;
      for (let attempt = 0; attempt < sources.length; attempt += 1) {
        const index = (start + attempt) % sources.length;
        const source = sources[index] as ClientCredentialsSource;
        try {
          const token = await source.getToken(getOptions);
          rotate(start, index);
          return token;
        } catch (error) {
          if (!isRejectedCredentials(error) || getOptions?.signal?.aborted) {
            throw error;
          }
          lastError = error;
        }
      }
      throw lastError;
    },
  };
}

/**
 * Whether an error says the client's credentials were refused (rotate) rather than that the
 * endpoint is busy or broken (do not).
 *
 * @example
 * ```ts
 * isRejectedCredentials(new TokenEndpointError('ENDPOINT_ERROR', 'denied', { status: 401, error: 'access_denied' })); // true
 * ```
 */
export function isRejectedCredentials(error: unknown): boolean {
  if (!(error instanceof TokenEndpointError)) {
    return false;
  }
  if (error.error !== undefined) {
    return CREDENTIAL_ERRORS.has(error.error);
  }
  return error.status === 401;
}

function combinedIdentity(sources: readonly ClientCredentialsSource[]): TokenIdentity {
  const [first] = sources as [ClientCredentialsSource];
  const clientIds: string[] = [];
  for (const [index, source] of sources.entries()) {
    // Sharing tokens across the rotation is only sound for one issuer and one audience.
    if (source.identity.issuer !== first.identity.issuer) {
      throw new ConfigError(`sources[${index}]`, `a client of issuer ${first.identity.issuer}`);
    }
    if (source.identity.audience !== first.identity.audience) {
      throw new ConfigError(
        `sources[${index}]`,
        `a client for audience ${first.identity.audience}`,
      );
    }
    for (const clientId of source.identity.clientIds) {
      if (clientIds.includes(clientId)) {
        throw new ConfigError(`sources[${index}]`, `a client not already listed (${clientId} is)`);
      }
      clientIds.push(clientId);
    }
  }
  return { issuer: first.identity.issuer, audience: first.identity.audience, clientIds };
}
