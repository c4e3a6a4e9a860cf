/**
 * Reads a client-credentials token request the way Auth0 accepts it: a JSON or
 * `application/x-www-form-urlencoded` body, client authentication by `client_secret_post`
 * (credentials in the body) or `client_secret_basic` (RFC 6749 §2.3.1: HTTP Basic with the
 * form-urlencoded id and secret).
 */
import { parseJsonObject } from '../http.js';

/** The fields of a token request, all optional until validated. */
export interface TokenRequest {
  readonly grantType?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly audience?: string;
  readonly scope?: string;
}

/**
 * A request the endpoint cannot even read, with the RFC 6749 §5.2 error to answer.
 *
 * @example
 * ```ts
 * throw new TokenRequestError(400, 'invalid_request', 'Invalid JSON body');
 * ```
 */
export class TokenRequestError extends Error {
  readonly status: number;
  readonly error: string;

  constructor(status: number, error: string, description: string) {
    super(description);
    this.name = 'TokenRequestError';
    this.status = status;
    this.error = error;
  }
}

function decodeBasic(authorization: string): { clientId: string; clientSecret: string } {
  const encoded = authorization.slice('basic '.length).trim();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    throw new TokenRequestError(401, 'invalid_client', 'Malformed Basic authorization header');
  }
  // RFC 6749 §2.3.1: id and secret are application/x-www-form-urlencoded before encoding.
  const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw new TokenRequestError(401, 'invalid_client', 'Malformed Basic authorization header');
  }
}

function readBodyFields(body: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    const parsed = parseJsonObject(body);
    if (parsed === undefined)
      throw new TokenRequestError(400, 'invalid_request', 'Invalid JSON body');
    return parsed;
  }
  if (contentType.includes('application/x-www-form-urlencoded') || body.trim() === '') {
    return Object.fromEntries(new URLSearchParams(body));
  }
  throw new TokenRequestError(
    400,
    'invalid_request',
    'Content-Type must be application/json or application/x-www-form-urlencoded',
  );
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Parses a token request from its body, content type and `Authorization` header.
 *
 * @example
 * ```ts
 * parseTokenRequest('grant_type=client_credentials&audience=x', 'application/x-www-form-urlencoded', 'Basic ...');
 * ```
 */
export function parseTokenRequest(
  body: string,
  contentType: string | undefined,
  authorization: string | undefined,
): TokenRequest {
  const fields = readBodyFields(body, (contentType ?? '').toLowerCase());
  const basic = authorization?.toLowerCase().startsWith('basic ')
    ? decodeBasic(authorization)
    : undefined;
  const bodyId = asString(fields.client_id);
  const bodySecret = asString(fields.client_secret);
  if (basic !== undefined && bodySecret !== undefined) {
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    throw new TokenRequestError(
      400,
      'invalid_request',
      'Client authentication must use exactly one method',
    );
  }
  const clientId = basic?.clientId ?? bodyId;
  const clientSecret = basic?.clientSecret ?? bodySecret;
  const grantType = asString(fields.grant_type);
  const audience = asString(fields.audience);
  const scope = asString(fields.scope);
  return {
    ...(grantType === undefined ? {} : { grantType }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(audience === undefined ? {} : { audience }),
    ...(scope === undefined ? {} : { scope }),
  };
}
