/**
 * The Auth0-compatible `POST /oauth/token` for the client-credentials grant: checks the limits,
 * authenticates the client, checks its grant for the audience and issues an RS256 JWT.
 * Error bodies follow Auth0 (401 `access_denied`/"Unauthorized" for bad credentials, 403
 * `access_denied` for a missing client grant, 429 `too_many_requests`).
 */
import { SignJWT } from 'jose';
import type { MutableCounters } from '../counters.js';
import { jsonReply, type Reply } from '../http.js';
import type { ClientRegistry } from './clients.js';
import type { IdpLimiter } from './rate-limit.js';
import type { SigningKey } from './signing-key.js';
import { parseTokenRequest, TokenRequestError } from './token-request.js';

/** What the endpoint needs. */
export interface TokenEndpointOptions {
  readonly clients: ClientRegistry;
  readonly limiter: IdpLimiter;
  readonly key: SigningKey;
  readonly counters: MutableCounters;
  readonly now: () => number;
  /** `iss` of issued tokens (with Auth0's trailing slash). */
  readonly issuer: string;
  /** Audiences known to the tenant besides those in client grants (the protected API's). */
  readonly extraAudiences: () => Iterable<string>;
  readonly expiresInSeconds: () => number;
}

/** RFC 6749 §5.1: token responses must not be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string>,
): Reply {
  return jsonReply(status, { error, error_description: description }, { ...headers, ...NO_STORE });
}

/**
 * Handles one token request.
 *
 * @example
 * ```ts
 * const reply = await handleTokenRequest(options, body, req.headers['content-type'], req.headers.authorization);
 * ```
 */
export async function handleTokenRequest(
  options: TokenEndpointOptions,
  body: string,
  contentType: string | undefined,
  authorization: string | undefined,
): Promise<Reply> {
  const verdict = options.limiter.admit();
  const limitHeaders = verdict.headers;
  if (!verdict.allowed) {
    options.counters.increment(verdict.reason === 'rate' ? 'idp.rateLimited' : 'idp.quotaExceeded');
    return oauthError(
      429,
      'too_many_requests',
      verdict.reason === 'rate'
        ? 'Global limit has been reached'
        : 'Quota exceeded: the monthly limit of machine-to-machine tokens has been reached',
      limitHeaders,
    );
  }
  let request: ReturnType<typeof parseTokenRequest>;
  try {
    request = parseTokenRequest(body, contentType, authorization);
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    return oauthError(error.status, error.error, error.message, limitHeaders);
  }
  if (request.grantType === undefined) {
    return oauthError(
      400,
      'invalid_request',
      'Missing required parameter: grant_type',
      limitHeaders,
    );
  }
  if (request.grantType !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      `Unsupported grant type: ${request.grantType}`,
      limitHeaders,
    );
  }
  if (request.clientId === undefined) {
    return oauthError(
      400,
      'invalid_request',
      'Missing required parameter: client_id',
      limitHeaders,
    );
  }
  const client =
    request.clientSecret === undefined
      ? undefined
      : options.clients.authenticate(request.clientId, request.clientSecret);
  if (client === undefined) {
    options.counters.increment('idp.unauthorized');
    return oauthError(401, 'access_denied', 'Unauthorized', limitHeaders);
  }
  const audience = request.audience;
  if (audience === undefined) {
    return oauthError(
      403,
      'access_denied',
      'No audience parameter was provided, and no default audience has been configured',
      limitHeaders,
    );
  }
  const known = new Set([...options.clients.audiences(), ...options.extraAudiences()]);
  if (!known.has(audience)) {
    return oauthError(
      403,
      'access_denied',
      `Service not enabled within domain: ${audience}`,
      limitHeaders,
    );
  }
  const grant = client.grants.find((g) => g.audience === audience);
  if (grant === undefined) {
    options.counters.increment('idp.forbidden');
    return oauthError(
      403,
      'access_denied',
      `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`,
      limitHeaders,
    );
  }
  const granted = (grant.scope ?? '').split(' ').filter((s) => s !== '');
  let scopes = granted;
  if (request.scope !== undefined) {
    const requested = request.scope.split(' ').filter((s) => s !== '');
    const missing = requested.filter((s) => !granted.includes(s));
    if (missing.length > 0) {
      return oauthError(
        403,
        'access_denied',
        `Client has not been granted scopes: ${missing.join(', ')}`,
        limitHeaders,
      );
    }
    scopes = requested;
  }
  const nowSeconds = Math.floor(options.now() / 1000);
  const expiresIn = options.expiresInSeconds();
  const accessToken = await new SignJWT({
    azp: client.clientId,
    ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    gty: 'client-credentials',
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.key.kid })
    .setIssuer(options.issuer)
    .setSubject(`${client.clientId}@clients`)
    .setAudience(audience)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + expiresIn)
    .sign(options.key.privateKey);
  options.limiter.recordIssued();
  options.counters.increment('idp.issued');
  return jsonReply(
    200,
    {
      access_token: accessToken,
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
      expires_in: expiresIn,
      token_type: 'Bearer',
    },
    { ...limitHeaders, ...NO_STORE },
  );
}
