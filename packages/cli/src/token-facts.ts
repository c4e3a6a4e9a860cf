/**
 * What can be said about a token without printing it: expiry, and the claims an operator needs
 * (`iss`, `aud`, `azp`, `scope`, `exp`, `iat`). Claims are decoded, not verified: the CLI shows
 * what the token says; the API verifies it.
 */
import type { Token } from '@token-cache/core/internal';
import { decodeJwt } from 'jose';
import { formatDuration } from './duration.js';

/** The claims shown by `inspect` and used by `doctor`. */
export interface TokenClaims {
  readonly iss?: string;
  readonly aud?: string | string[];
  readonly azp?: string;
  readonly scope?: string;
  readonly sub?: string;
  /** Epoch seconds. */
  readonly exp?: number;
  readonly iat?: number;
}

/**
 * Decodes the claims of a JWT access token; `undefined` for an opaque token.
 *
 * @example
 * ```ts
 * tokenClaims(accessToken)?.aud; // 'https://api.vwc.local'
 * ```
 */
export function tokenClaims(accessToken: string): TokenClaims | undefined {
  try {
    const claims = decodeJwt(accessToken);
    const pick = <T>(value: unknown, check: (v: unknown) => v is T): T | undefined =>
      check(value) ? value : undefined;
    const isString = (v: unknown): v is string => typeof v === 'string';
    const isNumber = (v: unknown): v is number => typeof v === 'number';
    const isAudience = (v: unknown): v is string | string[] =>
      typeof v === 'string' || (Array.isArray(v) && v.every(isString));
    const result: Record<string, unknown> = {
      iss: pick(claims.iss, isString),
      aud: pick(claims.aud, isAudience),
      azp: pick(claims.azp, isString),
      scope: pick(claims.scope, isString),
      sub: pick(claims.sub, isString),
      exp: pick(claims.exp, isNumber),
      iat: pick(claims.iat, isNumber),
    };
    for (const key of Object.keys(result)) if (result[key] === undefined) delete result[key];
    return result as TokenClaims;
  } catch {
    return undefined;
  }
}

/** Expiry facts of a token at `now`. */
export interface ExpiryFacts {
  readonly expiresAt: string;
  readonly expiresInMs: number;
  /** e.g. `2026-11-30T11:00:00.000Z (in 23h 59m)` or `... (expired 5m ago)`. */
  readonly text: string;
}

/**
 * Describes when `expiresAt` (epoch ms) is, relative to `now`.
 *
 * @example
 * ```ts
 * expiryFacts(Date.now() + 600_000, Date.now()).text; // '2026-…Z (in 10m)'
 * ```
 */
export function expiryFacts(expiresAt: number, now: number): ExpiryFacts {
  const remaining = expiresAt - now;
  const iso = new Date(expiresAt).toISOString();
  const relative =
    remaining >= 0
      ? `in ${formatDuration(remaining)}`
      : `expired ${formatDuration(-remaining)} ago`;
  return { expiresAt: iso, expiresInMs: remaining, text: `${iso} (${relative})` };
}

/**
 * The JSON facts of a token a command obtained: never the token itself unless `reveal`.
 *
 * @example
 * ```ts
 * out.result({ token: tokenDocument(token, Date.now(), false) }, lines);
 * ```
 */
export function tokenDocument(token: Token, now: number, reveal: boolean): Record<string, unknown> {
  const expiry = expiryFacts(token.expiresAt, now);
  return {
    ...(reveal ? { accessToken: token.accessToken } : {}),
    tokenType: token.tokenType,
    expiresAt: expiry.expiresAt,
    expiresInMs: expiry.expiresInMs,
    ...(token.issuedAt === undefined ? {} : { issuedAt: new Date(token.issuedAt).toISOString() }),
    ...(token.clientId === undefined ? {} : { clientId: token.clientId }),
    ...(token.scope === undefined ? {} : { scope: token.scope }),
    claims: tokenClaims(token.accessToken) ?? null,
  };
}
