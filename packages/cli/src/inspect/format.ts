/**
 * How `inspect` presents a stored value and a lease, as JSON and as text, whatever the store.
 */
import type { LeaseRecord } from '@token-cache/core/internal';
import { formatDuration } from '../duration.js';
import type { StoredValueFacts } from '../stored-value.js';
import { expiryFacts } from '../token-facts.js';

/**
 * The JSON of a stored value: its facts with readable dates, and the token only if revealed.
 *
 * @example
 * ```ts
 * valueJson(facts, Date.now(), undefined).expiresInMs;
 * ```
 */
export function valueJson(
  facts: StoredValueFacts,
  now: number,
  revealedToken: string | undefined,
): Record<string, unknown> {
  const expiry = facts.expiresAt === undefined ? undefined : expiryFacts(facts.expiresAt, now);
  return {
    ...facts,
    ...(expiry ? { expiresAt: expiry.expiresAt, expiresInMs: expiry.expiresInMs } : {}),
    ...(facts.issuedAt === undefined ? {} : { issuedAt: new Date(facts.issuedAt).toISOString() }),
    ...(revealedToken === undefined ? {} : { accessToken: revealedToken }),
  };
}

/**
 * The JSON of a lease record (`parsable: false` for a value the fleet treats as stale).
 *
 * @example
 * ```ts
 * leaseJson(decodeLease(value), Date.now()).held;
 * ```
 */
export function leaseJson(lease: LeaseRecord | undefined, now: number): Record<string, unknown> {
  if (lease === undefined) return { parsable: false };
  return {
    owner: lease.owner,
    leaseExpiresAt: new Date(lease.leaseExpiresAt).toISOString(),
    held: lease.released !== true && now < lease.leaseExpiresAt,
    released: lease.released === true,
    backoffUntil:
      lease.backoffUntil === undefined ? null : new Date(lease.backoffUntil).toISOString(),
    backoffReason: lease.reason ?? null,
  };
}

/**
 * The text lines describing a stored value.
 *
 * @example
 * ```ts
 * lines.push(...valueLines(facts, Date.now()));
 * ```
 */
export function valueLines(facts: StoredValueFacts, now: number): string[] {
  if (facts.format === 'placeholder')
    return ['Value         "not-initialized" (no token stored yet)'];
  if (facts.format === 'empty' || facts.format === 'unrecognized') {
    return [`Value         ${facts.format}: the fleet treats it as a miss and overwrites it`];
  }
  const kind = facts.format === 'envelope' ? `envelope v${facts.envelopeVersion}` : 'bare JWT';
  const lines = [`Value         ${kind}`];
  if (facts.expiresAt !== undefined) {
    lines.push(`  expires     ${expiryFacts(facts.expiresAt, now).text}, ${facts.freshness}`);
  }
  if (facts.verdict !== undefined) {
    lines.push(`  served      ${facts.verdict === 'usable' ? 'yes' : `no (${facts.verdict})`}`);
  }
  const claims = facts.claims;
  if (claims) {
    lines.push(
      `  iss         ${claims.iss ?? '-'}`,
      `  aud         ${[claims.aud ?? '-'].flat().join(', ')}`,
      `  azp         ${claims.azp ?? '-'}`,
      `  scope       ${claims.scope ?? '-'}`,
      `  exp         ${claims.exp === undefined ? '-' : new Date(claims.exp * 1000).toISOString()}`,
    );
  }
  return lines;
}

/**
 * The text line describing the lease: `absent` when there is no record at all.
 *
 * @example
 * ```ts
 * leaseLine(lock ? lockName : undefined, decodeLease(lock.value), Date.now());
 * ```
 */
export function leaseLine(
  where: string | undefined,
  lease: LeaseRecord | undefined,
  now: number,
  exists: boolean,
): string {
  const name = where ? ` (${where})` : '';
  if (!exists) return `Lease         none${name}`;
  if (lease === undefined) return `Lease         unparsable value${name}, treated as stale`;
  const remaining = lease.leaseExpiresAt - now;
  const state =
    lease.released === true
      ? `free (released by ${lease.owner})`
      : remaining > 0
        ? `held by ${lease.owner} for ${formatDuration(remaining)}`
        : `expired (${lease.owner})`;
  const backoff =
    lease.backoffUntil !== undefined && lease.backoffUntil > now
      ? `; endpoint back-off until ${new Date(lease.backoffUntil).toISOString()} (${lease.reason ?? 'no reason given'})`
      : '';
  return `Lease         ${state}${name}${backoff}`;
}
