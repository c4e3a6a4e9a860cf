/**
 * **Fall back**: the store is failing (unreachable, timing out, 5xx, access or KMS denied), so
 * no lease can be had. A usable token is served; otherwise, unless the endpoint is backed off,
 * one lease-less endpoint call is made and counted (`deadline-fallback`). Its token is kept in
 * memory only: written without the lease it could race the holder's. The exception is a lock
 * the store refuses (access denied) while the token parameter answers: then the token is
 * published, or every cold start would spend one.
 */
import { StoreError } from '../../errors.js';
import type { Token } from '../../token.js';
import { revokedBy } from '../intent.js';
import { writeToken } from '../store-access.js';
import {
  done,
  holdsUsable,
  type Protocol,
  type Run,
  type State,
  serveHeld,
  storeRecheck,
  unavailable,
} from './run.js';

/** See the module comment. */
export async function fallBack(
  p: Protocol,
  run: Run,
  state: Extract<State, { at: 'fall-back' }>,
): Promise<State> {
  const { backoff, emit } = p.context;
  // A store too small for our values cannot hold a lease either: carry on memory-only.
  if (state.error instanceof StoreError && state.error.kind === 'too-large') {
    p.disableStore(state.error.message);
  }
  // A store call cut off by the deadline's store share is reported as such.
  const reason = state.error instanceof StoreError ? `store-${state.error.kind}` : 'store-deadline';
  if (holdsUsable(p, run) || run.request.deadline.signal.aborted) {
    return serveHeld(p, run, reason, storeRecheck(p), () => unavailable(state.error));
  }
  const known = backoff.active();
  if (known !== undefined) return { at: 'backed-off', backoff: known, error: state.error };
  emit({ type: 'deadline-fallback', reason });
  try {
    const fetched = await p.endpoint.resolve(run.request);
    if (state.leaseRefused) await publishWithoutLease(p, run, fetched.token);
    return done(fetched);
  } catch (error) {
    const failed = backoff.active();
    if (failed !== undefined) return { at: 'backed-off', backoff: failed, error };
    throw unavailable(error);
  }
}

// Only when the lock alone is refused: nobody with this role can hold the lease, so nobody it
// could race is writing; the write reads first and never replaces a token that expires later
// (on SSM a writer with another role could still slip in between: its token then loses a few
// seconds of life, never its validity). One attempt each, never retried: the caller already
// has its token, and when a whole fleet finds the token expired at once, retried writes would
// spend its time and the account's write quota on tokens that differ by seconds.
async function publishWithoutLease(p: Protocol, run: Run, token: Token): Promise<void> {
  try {
    await writeToken(p.store, run.budgets.onceCall, p.context, token, revokedBy(run.intent));
  } catch {
    // The token is served from memory all the same.
  }
}
