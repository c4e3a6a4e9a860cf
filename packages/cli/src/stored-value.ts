/**
 * Reads what the shared store holds without trusting it: the envelope's fields, the JWT's
 * claims, and whether the fleet, configured as now, would serve it (and if not, why).
 */
import {
  decodeEnvelope,
  type FreshnessPolicy,
  freshnessOf,
  PLACEHOLDER_VALUE,
  type TokenIdentity,
} from '@token-cache/core/internal';
import { type TokenClaims, tokenClaims } from './token-facts.js';

/** How the stored value is written. */
export type StoredFormat = 'placeholder' | 'empty' | 'envelope' | 'jwt' | 'unrecognized';

/** Facts about a stored value; the access token is kept apart, for `--show-token` only. */
export interface StoredValueFacts {
  readonly format: StoredFormat;
  readonly envelopeVersion?: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly clientId?: string;
  readonly scope?: string;
  /** Epoch ms. */
  readonly expiresAt?: number;
  readonly issuedAt?: number;
  readonly claims?: TokenClaims;
  /** `fresh`, `usable` or `unusable` under the configured refresh window and minimum. */
  readonly freshness?: 'fresh' | 'usable' | 'unusable';
  /** Whether the configured fleet would serve it: `usable`, or the reason it would not. */
  readonly verdict?: string;
}

/**
 * Analyses a stored value. `identity` is the configured one (omit it when the credentials are
 * unavailable: the verdict is then left out).
 *
 * @example
 * ```ts
 * const { facts, accessToken } = analyseStoredValue(value, Date.now(), policy, identity);
 * ```
 */
export function analyseStoredValue(
  value: string,
  now: number,
  policy: FreshnessPolicy,
  identity?: TokenIdentity,
): { facts: StoredValueFacts; accessToken?: string } {
  const text = value.trim();
  if (text === PLACEHOLDER_VALUE) return { facts: { format: 'placeholder' } };
  if (text === '') return { facts: { format: 'empty' } };
  const verdict = identity ? verdictOf(value, identity, now, policy) : {};

  if (text.startsWith('{')) {
    const envelope = parseObject(text);
    if (envelope === undefined || typeof envelope.accessToken !== 'string') {
      return { facts: { format: 'unrecognized', ...verdict } };
    }
    const expiresAt = numberField(envelope.expiresAt);
    const facts: StoredValueFacts = {
      format: 'envelope',
      ...optional('envelopeVersion', numberField(envelope.v)),
      ...optional('issuer', stringField(envelope.issuer)),
      ...optional('audience', stringField(envelope.audience)),
      ...optional('clientId', stringField(envelope.clientId)),
      ...optional('scope', stringField(envelope.scope)),
      ...optional('expiresAt', expiresAt),
      ...optional('issuedAt', numberField(envelope.issuedAt)),
      ...optional('claims', tokenClaims(envelope.accessToken)),
      ...optional(
        'freshness',
        expiresAt === undefined ? undefined : freshnessOf({ expiresAt }, now, policy),
      ),
      ...verdict,
    };
    return { facts, accessToken: envelope.accessToken };
  }

  const claims = tokenClaims(text);
  if (claims === undefined) return { facts: { format: 'unrecognized', ...verdict } };
  const expiresAt = claims.exp === undefined ? undefined : claims.exp * 1000;
  const facts: StoredValueFacts = {
    format: 'jwt',
    claims,
    ...optional('expiresAt', expiresAt),
    ...optional('issuedAt', claims.iat === undefined ? undefined : claims.iat * 1000),
    ...optional(
      'freshness',
      expiresAt === undefined ? undefined : freshnessOf({ expiresAt }, now, policy),
    ),
    ...verdict,
  };
  return { facts, accessToken: text };
}

function verdictOf(
  value: string,
  identity: TokenIdentity,
  now: number,
  policy: FreshnessPolicy,
): { verdict: string } {
  // The library's own decoder: exactly the check a container makes on a store read.
  const decoded = decodeEnvelope(value, identity, now, policy);
  return { verdict: decoded.ok ? 'usable' : decoded.reason };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const numberField = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const stringField = (value: unknown) => (typeof value === 'string' ? value : undefined);

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
