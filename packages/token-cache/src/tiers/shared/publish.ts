/**
 * Publishing a fetched token: written only by the lease holder and only within its lease, so
 * no other writer can race it, and never over a token that expires later (no regression). On
 * a compare-and-set store the write is conditioned on the version read; on SSM the lease alone
 * makes the holder the only writer, and its re-read at the start of the lease is the check.
 */
import { StoreError, storeRefused } from '../../errors.js';
import type { StoreCall } from '../../lease/strategy.js';
import type { Token } from '../../token.js';
import { revokedBy } from '../intent.js';
import { type TokenRead, writeToken } from '../store-access.js';
import type { Protocol, Run } from './run.js';

/** What a holder's publication came to. */
export interface Published {
  /** The token the store holds afterwards (ours, or a better one it found), or just ours. */
  readonly token: Token;
  /**
   * False when the write failed without saying whether it landed (a 5xx, a reset connection):
   * it may still land, so the holder must not release (a successor would trust its release).
   */
  readonly settled: boolean;
}

/**
 * Writes `token` unless the lease is over; resolves what the publication came to, or
 * `undefined` when the working time ran out first (the clock is past `workUntil`, or the store
 * throttled the write until then): the holder may renew and try again. A store too small for
 * the token disables the shared tier.
 */
export async function publish(
  p: Protocol,
  token: Token,
  run: Run,
  workUntil: number,
  call: StoreCall,
  known: TokenRead | undefined,
): Promise<Published | undefined> {
  // Past the lease a successor may be writing: never race it.
  if (p.context.clock() >= workUntil) return undefined;
  try {
    // The holder's re-read stands in for the write's own: on a compare-and-set store the write
    // is conditioned on its version; elsewhere nobody else writes during the lease.
    const stored = await writeToken(p.store, call, p.context, token, revokedBy(run.intent), known);
    return { token: stored, settled: true };
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'throttled') return undefined;
    if (error instanceof StoreError && error.kind === 'too-large') p.disableStore(error.message);
    // A timeout lasts as long as a write may take to land: by now it has, or never will.
    const timedOut = error instanceof StoreError && error.kind === 'timeout';
    return { token, settled: timedOut || storeRefused(error) };
  }
}
