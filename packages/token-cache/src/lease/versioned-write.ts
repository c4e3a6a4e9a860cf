/**
 * One lease write on a store without compare-and-set: `PutParameter Overwrite=true`, whose
 * answer names the version the store gave it. The record is stamped with its writer's instant
 * as it is sent, so that its exact text identifies this one write among all others, and the
 * instant a reader bounds a hiding record by is when it really went out.
 */
import { StoreError, storeRefused } from '../errors.js';
import type { SharedStore } from '../store.js';
import type { Clock } from '../token.js';
import { encodeLease, type LeaseRecord } from './record.js';
import type { HeldLease, StoreCall } from './strategy.js';

/**
 * When a lease write may be sent, checked at every send, throttled retries included: the rules
 * that make a holder's write safe hold only up to an instant.
 */
export interface SendWindow {
  readonly clock: Clock;
  /** No send at or after this instant. */
  readonly before?: number;
  /** The first send only: a retry would go out long after the read it was based on. */
  readonly once?: boolean;
  /** Told the exact text of each send (a claim remembers it, should the answer be lost). */
  readonly onSend?: (value: string) => void;
}

/** A lease write that was not sent (again): its {@link SendWindow} had closed. */
export class LeaseWriteLapsed extends Error {
  constructor() {
    super('the lease write was not sent: its window had closed');
    this.name = 'LeaseWriteLapsed';
  }
}

/**
 * Writes `unstamped`, stamped with `writtenAt` at each send, and resolves the record sent with
 * the version the store gave it. A write that timed out may still have landed: our exact text
 * as the latest version says it did, and at which version. Without this, a claim that won would
 * be taken for lost, and its lease left to lapse unused. Rejects with {@link LeaseWriteLapsed}
 * when `window` closed before a send.
 *
 * @example
 * ```ts
 * const written = await overwriteLease(store, record, call, { clock });
 * const counts = written.version === record.basedOn + 1;
 * ```
 */
export async function overwriteLease(
  store: SharedStore & Required<Pick<SharedStore, 'overwrite'>>,
  unstamped: LeaseRecord,
  call: StoreCall,
  window: SendWindow,
): Promise<HeldLease> {
  let sent: { readonly record: LeaseRecord; readonly value: string } | undefined;
  const closed = () =>
    (window.once === true && sent !== undefined) ||
    (window.before !== undefined && window.clock() >= window.before);
  try {
    const version = await call('put', 'lease', async (signal) => {
      if (closed()) throw new LeaseWriteLapsed();
      const record: LeaseRecord = { ...unstamped, writtenAt: window.clock() };
      sent = { record, value: encodeLease(record) };
      window.onSend?.(sent.value);
      return store.overwrite('lease', sent.value, { signal });
    });
    return { ...(sent as NonNullable<typeof sent>), version };
  } catch (error) {
    if (!(error instanceof StoreError) || error.kind !== 'timeout' || sent === undefined) {
      throw error;
    }
    const last = sent;
    const stored = await call('get', 'lease', (signal) => store.get('lease', { signal })).catch(
      () => undefined,
    );
    if (stored?.value !== last.value) throw error;
    return { ...last, version: stored.version };
  }
}

/**
 * Reads the lease record, and when the read's last attempt was sent: a write based on it goes
 * out within a write's latency of that instant, or it could land over what was written since.
 *
 * @example
 * ```ts
 * const { stored, sentAt } = await readLease(store, call, clock);
 * ```
 */
export async function readLease(store: SharedStore, call: StoreCall, clock: Clock) {
  let sentAt = clock();
  const stored = await call('get', 'lease', (signal) => {
    sentAt = clock();
    return store.get('lease', { signal });
  });
  return { stored, sentAt };
}

/**
 * Sends a claim once, and not at or after `before` (a write latency after the read that found
 * the lease free). `remember` is told the text sent when its fate is unknown (sent, answer
 * lost: a later read that finds it knows it is ours), and `undefined` once it is known.
 * A claim not sent in time rejects as a throttle: to the caller, one the store did not take.
 *
 * @example
 * ```ts
 * const written = await sendClaim(store, record, call, { clock, before }, remember);
 * ```
 */
export async function sendClaim(
  store: SharedStore & Required<Pick<SharedStore, 'overwrite'>>,
  record: LeaseRecord,
  call: StoreCall,
  { clock, before }: { readonly clock: Clock; readonly before: number | undefined },
  remember: (unconfirmed: string | undefined) => void,
): Promise<HeldLease> {
  let sentText: string | undefined;
  const onSend = (value: string) => {
    sentText = value;
  };
  try {
    const window = { clock, once: true, onSend, ...(before === undefined ? {} : { before }) };
    const written = await overwriteLease(store, record, call, window);
    remember(undefined);
    return written;
  } catch (error) {
    const refused = error instanceof LeaseWriteLapsed || storeRefused(error);
    if (sentText !== undefined && !refused) remember(sentText);
    if (error instanceof LeaseWriteLapsed) {
      throw new StoreError('throttled', 'PutParameter', 'the lease claim was not sent in time');
    }
    throw error;
  }
}
