/**
 * The stored form of a token (design guarantee 10): a versioned JSON envelope in the store
 * value — never in SSM's `Description`, which `GetParameter` does not return (seed defect 1).
 * Decoding never throws: anything unparsable, foreign, expired or the Terraform placeholder is
 * a miss with a reason, and the shared tier then overwrites it with a valid envelope.
 */
import { decodeJwt } from 'jose';
import { type FreshnessPolicy, isUsable } from './freshness.js';
import type { Token, TokenIdentity } from './token.js';

/** The value Terraform creates the parameter with, and `clear()` writes back (SSM rejects ''). */
export const PLACEHOLDER_VALUE = 'not-initialized';

/** The envelope format version written by this library. */
export const ENVELOPE_VERSION = 1;

/** Why a stored value was not used. */
export type EnvelopeMissReason =
  | 'not-initialized'
  | 'empty'
  | 'garbage'
  | 'unsupported-version'
  | 'foreign-issuer'
  | 'foreign-audience'
  | 'foreign-client'
  | 'expired'
  | 'implausible-expiry';

/**
 * `exp` counts whole seconds from the endpoint's clock, while an expiry computed from
 * `expires_in` counts milliseconds from ours: a stored expiry up to this much later is the same.
 */
const EXP_GRANULARITY_MS = 2_000;

/** No stored expiry is believed more than this far ahead (Auth0 allows at most 30 days). */
export const MAX_STORED_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/** The outcome of {@link decodeEnvelope}. */
export type DecodedValue =
  | { readonly ok: true; readonly token: Token }
  | { readonly ok: false; readonly reason: EnvelopeMissReason };

/**
 * Serialises a token with the identity it belongs to.
 *
 * @example
 * ```ts
 * await store.put('token', encodeEnvelope(token, source.identity));
 * ```
 */
export function encodeEnvelope(token: Token, identity: TokenIdentity): string {
  return JSON.stringify({
    v: ENVELOPE_VERSION,
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    issuedAt: token.issuedAt,
    issuer: identity.issuer,
    audience: identity.audience,
    clientId: token.clientId ?? identity.clientIds[0],
    scope: token.scope,
  });
}

/**
 * Reads a stored value: an envelope, or a bare JWT whose `exp` says it is usable.
 *
 * @example
 * ```ts
 * const decoded = decodeEnvelope(stored.value, source.identity, clock(), policy);
 * if (decoded.ok) return decoded.token; else emit({ type: 'miss', tier: 'store', reason: decoded.reason });
 * ```
 */
export function decodeEnvelope(
  value: string,
  identity: TokenIdentity,
  now: number,
  policy: FreshnessPolicy,
): DecodedValue {
  const text = value.trim();
  if (text === PLACEHOLDER_VALUE) return miss('not-initialized');
  if (text === '') return miss('empty');
  const token = text.startsWith('{') ? fromEnvelope(text, identity) : fromBareJwt(text, identity);
  if ('reason' in token) return token;
  if (!plausibleExpiry(token, now)) return miss('implausible-expiry');
  return isUsable(token, now, policy) ? { ok: true, token } : miss('expired');
}

// A stored expiry is another container's (or anyone's) claim: never later than the JWT's own
// `exp`, never more than a year ahead, never before the token was issued.
function plausibleExpiry(token: Token, now: number): boolean {
  if (token.expiresAt > now + MAX_STORED_LIFETIME_MS) return false;
  if (token.issuedAt !== undefined && token.issuedAt > token.expiresAt) return false;
  const exp = jwtExpiry(token.accessToken);
  return exp === undefined || token.expiresAt <= exp + EXP_GRANULARITY_MS;
}

// The JWT's `exp` in epoch ms; `undefined` for an opaque token (or a JWT without `exp`).
function jwtExpiry(accessToken: string): number | undefined {
  if (accessToken.split('.').length !== 3) return undefined;
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

type Miss = { readonly ok: false; readonly reason: EnvelopeMissReason };

function miss(reason: EnvelopeMissReason): Miss {
  return { ok: false, reason };
}

function fromEnvelope(text: string, identity: TokenIdentity): Token | Miss {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return miss('garbage');
  }
  if (typeof raw !== 'object' || raw === null) return miss('garbage');
  const e = raw as Record<string, unknown>;
  if (e.v !== ENVELOPE_VERSION)
    return miss(typeof e.v === 'number' ? 'unsupported-version' : 'garbage');
  if (typeof e.accessToken !== 'string' || e.accessToken === '') return miss('garbage');
  if (typeof e.expiresAt !== 'number' || !Number.isFinite(e.expiresAt)) return miss('garbage');
  if (typeof e.issuer !== 'string' || !sameIssuer(e.issuer, identity.issuer)) {
    return miss('foreign-issuer');
  }
  if (e.audience !== identity.audience) return miss('foreign-audience');
  if (typeof e.clientId !== 'string' || !identity.clientIds.includes(e.clientId)) {
    return miss('foreign-client');
  }
  return {
    accessToken: e.accessToken,
    expiresAt: e.expiresAt,
    tokenType: 'Bearer',
    clientId: e.clientId,
    ...(typeof e.issuedAt === 'number' ? { issuedAt: e.issuedAt } : {}),
    ...(typeof e.scope === 'string' ? { scope: e.scope } : {}),
  };
}

// A value someone stored by hand (or the seed's sketch): usable only if the JWT itself says so.
function fromBareJwt(text: string, identity: TokenIdentity): Token | Miss {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(text);
  } catch {
    return miss('garbage');
  }
  if (typeof claims.exp !== 'number') return miss('garbage');
  if (claims.iss !== undefined && !sameIssuer(claims.iss, identity.issuer)) {
    return miss('foreign-issuer');
  }
  const audiences = claims.aud === undefined ? [] : [claims.aud].flat();
  if (claims.aud !== undefined && !audiences.includes(identity.audience)) {
    return miss('foreign-audience');
  }
  // Auth0 names the client in `azp` (and `client_id` per RFC 9068); check it when present.
  const client = claims.azp ?? claims.client_id;
  if (typeof client === 'string' && !identity.clientIds.includes(client)) {
    return miss('foreign-client');
  }
  return {
    accessToken: text,
    expiresAt: claims.exp * 1000,
    tokenType: 'Bearer',
    ...(typeof claims.iat === 'number' ? { issuedAt: claims.iat * 1000 } : {}),
    ...(typeof client === 'string' ? { clientId: client } : {}),
  };
}

// Auth0's `iss` carries a trailing slash, hand-configured issuers often do not.
function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
