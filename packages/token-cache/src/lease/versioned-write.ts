/**
 * One lease write on a store without compare-and-set: `PutParameter Overwrite=true`, whose
 * answer names the version the store gave it. The record is stamped with its writer's instant
 * as it is sent, so that its exact text identifies this one write among all others, and the
 * instant a reader bounds a hiding record by is when it really went out.
 */
import { StoreError } from '../errors.js';
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
