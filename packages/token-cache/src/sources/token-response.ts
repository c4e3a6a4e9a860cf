/**
 * Strict parsing of a successful token response (RFC 6749 §5.1). Anything we cannot use safely
 * is rejected with `ENDPOINT_RESPONSE_INVALID`; messages describe the problem, never the value.
 */
import { decodeJwt } from 'jose';
import { TokenEndpointError } from '../errors.js';
import type { Token } from '../token.js';

/** The longest `expires_in` we believe (one year); anything larger is a misconfiguration. */
export const MAX_EXPIRES_IN_SECONDS = 365 * 24 * 60 * 60;

/** RFC 6750 §2.1 `b64token`: the only characters a bearer token may contain. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Turns a parsed JSON success body into a `Token`.
 *
 * `requestedAtMs` is the clock reading taken *before* the request was sent: the endpoint
 * counts `expires_in` from when it answered, so anchoring at our send time can only make the
 * token expire earlier than it really does, never later.
 *
 * @example
 * ```ts
 * const token = parseTokenResponse(
 *   { access_token: 'eyJ...', token_type: 'Bearer', expires_in: 86400 },
 *   { requestedAtMs: Date.now(), clientId: 'my-client' },
 * );
 * ```
 */
export function parseTokenResponse(
  body: unknown,
  context: { readonly requestedAtMs: number; readonly clientId: string },
): Token {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('the body is not a JSON object');
  }
  const fields = body as Record<string, unknown>;

  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw invalid('"access_token" is missing or not a non-empty string');
  }
  if (!B64TOKEN.test(accessToken)) {
    throw invalid('"access_token" contains characters a bearer token cannot have (RFC 6750 §2.1)');
  }

  // RFC 6749 §5.1: token_type is case-insensitive; we only know how to use Bearer (RFC 6750).
  const tokenType = fields.token_type;
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw invalid(`"token_type" must be "Bearer", got ${describe(tokenType)}`);
  }

  const expiresInSeconds = readExpiresIn(fields.expires_in, accessToken, context.requestedAtMs);

  const scope = fields.scope;
  if (scope !== undefined && typeof scope !== 'string') {
    throw invalid(`"scope" must be a string when present, got ${describe(scope)}`);
  }

  // A JWT's own `exp` is the last word: stored values claiming more are refused as implausible
  // (a skewed endpoint clock would otherwise make every token this process stores a miss).
  const exp = jwtExp(accessToken);
  const expiresAt = context.requestedAtMs + expiresInSeconds * 1000;
  return {
    accessToken,
    tokenType: 'Bearer',
    issuedAt: context.requestedAtMs,
    expiresAt: exp === undefined ? expiresAt : Math.min(expiresAt, exp),
    clientId: context.clientId,
    ...(scope === undefined ? {} : { scope }),
  };
}

function readExpiresIn(value: unknown, accessToken: string, requestedAtMs: number): number {
  if (value === undefined) {
    // RFC 6749 §5.1 only RECOMMENDS expires_in. A JWT still tells us through its `exp` claim.
    return expiresInFromJwt(accessToken, requestedAtMs);
  }
  // Some servers (older Azure AD) send the number as a decimal string.
  const seconds =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_EXPIRES_IN_SECONDS) {
    throw invalid(
      `"expires_in" must be a positive number of seconds up to ${MAX_EXPIRES_IN_SECONDS}, got ${describe(value)}`,
    );
  }
  return seconds;
}

function expiresInFromJwt(accessToken: string, requestedAtMs: number): number {
  let exp: unknown;
  try {
    exp = decodeJwt(accessToken).exp;
  } catch {
    throw invalid('"expires_in" is missing and the access token is not a JWT with an "exp" claim');
  }
  const seconds = typeof exp === 'number' ? exp - requestedAtMs / 1000 : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_EXPIRES_IN_SECONDS) {
    throw invalid(
      '"expires_in" is missing and the JWT "exp" claim is absent, past or too far ahead',
    );
  }
  return seconds;
}

/** Describes a rejected field value without ever echoing a long string (it could be a secret). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string')
    return value.length <= 16 && /^[\w .:-]*$/.test(value) ? `"${value}"` : 'a string';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function invalid(problem: string): TokenEndpointError {
  return new TokenEndpointError(
    'ENDPOINT_RESPONSE_INVALID',
    `The token endpoint's response is unusable: ${problem}`,
  );
}

// The `exp` claim in epoch ms, when the token is a JWT that has one.
function jwtExp(accessToken: string): number | undefined {
  if (accessToken.split('.').length !== 3) return undefined;
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
