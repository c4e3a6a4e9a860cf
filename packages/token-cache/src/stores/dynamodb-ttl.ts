/**
 * When a stored value stops being useful, for DynamoDB's TTL attribute and for the store's
 * no-regression condition. The store only moves strings, but it can recognise the shapes the
 * shared tier writes: a JSON object with an epoch-milliseconds `expiresAt` (the token envelope,
 * `envelope.ts`) or `leaseExpiresAt` (the lease record, `lease.ts`), and a bare JWT (its `exp`
 * claim, RFC 7519 §4.1.4).
 */
import { decodeJwt } from 'jose';

/** How long an item outlives the expiry it carries before DynamoDB may delete it. */
export const DEFAULT_TTL_MARGIN_MS = 60 * 60 * 1000;

/** TTL for a value whose expiry cannot be read (the `not-initialized` placeholder, say). */
export const DEFAULT_FALLBACK_TTL_MS = 48 * 60 * 60 * 1000;

/**
 * The expiry a stored value declares, epoch milliseconds; `undefined` when it declares none.
 *
 * @example
 * ```ts
 * valueExpiresAt('{"v":1,"expiresAt":1700000000000}'); // 1700000000000
 * valueExpiresAt('{"v":1,"owner":"a","leaseExpiresAt":1700000015000}'); // 1700000015000
 * valueExpiresAt('not-initialized'); // undefined
 * ```
 */
export function valueExpiresAt(value: string): number | undefined {
  const text = value.trim();
  if (text.startsWith('{')) {
    return expiresAtOfJson(text);
  }
  if (text.split('.').length === 3) {
    return expiresAtOfJwt(text);
  }
  return undefined;
}

/**
 * The DynamoDB TTL attribute for a value: epoch **seconds** (the unit DynamoDB TTL requires), the
 * value's own expiry plus a margin, or `now + fallbackTtlMs` when it declares none.
 *
 * @example
 * ```ts
 * ttlEpochSeconds('{"expiresAt":1700000000000}', { nowMs: 0, marginMs: 0, fallbackTtlMs: 0 }); // 1700000000
 * ```
 */
export function ttlEpochSeconds(
  value: string,
  options: { nowMs: number; marginMs: number; fallbackTtlMs: number },
): number {
  const expiresAt = valueExpiresAt(value);
  const deleteAfterMs =
    expiresAt === undefined ? options.nowMs + options.fallbackTtlMs : expiresAt + options.marginMs;
  return Math.ceil(deleteAfterMs / 1000);
}

function expiresAtOfJson(text: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as { expiresAt?: unknown; leaseExpiresAt?: unknown };
      const expiresAt = record.expiresAt ?? record.leaseExpiresAt;
      return typeof expiresAt === 'number' && Number.isFinite(expiresAt) ? expiresAt : undefined;
    }
  } catch {
    // Garbage is the shared tier's problem (a miss); here it only means "no known expiry".
  }
  return undefined;
}

function expiresAtOfJwt(text: string): number | undefined {
  try {
    const { exp } = decodeJwt(text);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
