/**
 * The lease record: one value under the store key `lease` (on SSM the parameter
 * `<name>-lock`). It names the container refreshing the token and until when, and doubles as
 * the fleet's endpoint back-off marker (`backoffUntil`). Nothing in it is secret.
 *
 * ```json
 * {"v":2,"owner":"<id>","leaseExpiresAt":<epoch ms>,"basedOn":7,"backoffUntil":<epoch ms>?,"reason":"HTTP 429"?,"released":true?}
 * ```
 */

/** A decoded lease record. Version 1 records (no `basedOn`) come from earlier releases. */
export interface LeaseRecord {
  readonly v: 1 | 2;
  readonly owner: string;
  /** Epoch ms, by the writer's clock. */
  readonly leaseExpiresAt: number;
  /** Set when the fleet must not call the token endpoint until then (epoch ms). */
  readonly backoffUntil?: number;
  /** Why the fleet backs off, e.g. `HTTP 429`; never a token or secret. */
  readonly reason?: string;
  /**
   * On a store without compare-and-set: the record version its writer read. The write counts
   * only if the store gave it exactly the next version (nobody wrote in between).
   */
  readonly basedOn?: number;
  /** The holder is done: the lease is free. */
  readonly released?: true;
  /** When the writer sent this record (epoch ms, its clock). */
  readonly writtenAt?: number;
}

/**
 * Parses a lease record; `undefined` for anything unparsable (a free lease).
 *
 * @example
 * ```ts
 * decodeLease('{"v":2,"owner":"a","leaseExpiresAt":1}')?.owner; // 'a'
 * ```
 */
export function decodeLease(value: string): LeaseRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if ((r.v !== 1 && r.v !== 2) || typeof r.owner !== 'string' || !isInstant(r.leaseExpiresAt)) {
    return undefined;
  }
  if (r.backoffUntil !== undefined && !isInstant(r.backoffUntil)) return undefined;
  if (r.writtenAt !== undefined && !isInstant(r.writtenAt)) return undefined;
  if (r.basedOn !== undefined && !(Number.isSafeInteger(r.basedOn) && Number(r.basedOn) >= 0)) {
    return undefined;
  }
  return {
    v: r.v,
    owner: r.owner,
    leaseExpiresAt: r.leaseExpiresAt,
    ...(r.backoffUntil === undefined ? {} : { backoffUntil: r.backoffUntil }),
    ...(typeof r.reason === 'string' ? { reason: readableReason(r.reason) } : {}),
    ...(r.basedOn === undefined ? {} : { basedOn: Number(r.basedOn) }),
    ...(r.released === true ? { released: true as const } : {}),
    ...(r.writtenAt === undefined ? {} : { writtenAt: r.writtenAt }),
  };
}

// What we write as a reason: "HTTP 429 slow_down", "store throttled (put)", "api-refused".
const REASON = /^[A-Za-z0-9 _.:()/-]{1,100}$/;

// Another container's reason reaches our errors and logs, so only one shaped like ours is
// repeated; anything else (markup, quotes, control characters, a megabyte) is not.
function readableReason(reason: string): string {
  return REASON.test(reason) ? reason : 'unreadable reason';
}

/**
 * The record a claim writes: a lease until `leaseExpiresAt`, or, given `backoffUntil`, the
 * fleet's back-off marker until then.
 *
 * @example
 * ```ts
 * const record = claimRecord('c1', Date.now() + 15_000);
 * ```
 */
export function claimRecord(
  owner: string,
  leaseExpiresAt: number,
  marker: { readonly backoffUntil?: number; readonly reason?: string } = {},
): LeaseRecord {
  const until = marker.backoffUntil;
  return until === undefined
    ? { v: 2, owner, leaseExpiresAt }
    : { v: 2, owner, leaseExpiresAt: until, backoffUntil: until, reason: marker.reason ?? 'error' };
}

/** Serialises a lease record. */
export function encodeLease(record: LeaseRecord): string {
  return JSON.stringify(record);
}

// Any finite number: how far it may be obeyed is the reader's bound to apply (`view.ts`).
function isInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
