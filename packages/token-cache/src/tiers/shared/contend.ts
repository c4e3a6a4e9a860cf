/**
 * **Contend**: read the lease. A back-off marker sends the request to *backed off*; a live
 * lease to *follow* its holder; a free one (absent, released, expired, corrupt or out of
 * bounds) is claimed once: the winner *holds*, a loser *follows*.
 */
import { StoreError } from '../../errors.js';
import { storeLatencyMs } from './budgets.js';
import { afterStoreError, type Protocol, type Run, type State } from './run.js';

/** See the module comment. */
export async function contend(p: Protocol, run: Run): Promise<State> {
  const { backoff, emit } = p.context;
  const known = backoff.active();
  // During a back-off the store can only show the marker again: neither is asked.
  if (known !== undefined) return { at: 'backed-off', backoff: known };
  try {
    const view = await p.leases.read(run.budgets.call);
    if (view.kind === 'backoff') return backedOffBy(p, view.until, view.reason);
    if (view.kind === 'held') return { at: 'follow', view };
    // Released since the token was read: the holder has most likely just published. One more
    // read costs less than a claim and a release (SSM allows a few writes a second).
    if (view.why === 'released' && run.releaseSeen === undefined) {
      run.releaseSeen = { version: view.version, at: p.context.clock() };
      return { at: 'read' };
    }
    const claim = await p.leases.claim(view, run.budgets.onceCall);
    if (claim.won) {
      const takeover = view.why !== 'absent' && view.why !== 'released';
      emit({ type: 'lease-acquired', takeover });
      // A token read sent after the previous holder's last write could land shows everything
      // it published, and nobody else has written since (our claim counts): the holder need not
      // read again, which spares a read of the account's quota and the lease's working time.
      // One write latency more: a multi-region store's replica writes follow the primary's.
      // A release is its holder's last write, made once its token was written everywhere: a
      // token read sent after the release was seen shows that token.
      const last = run.lastRead;
      const seen = run.releaseSeen;
      const quiet =
        last !== undefined &&
        ((view.quietSince !== undefined &&
          last.sentAt >= view.quietSince + storeLatencyMs(p.context)) ||
          (view.why === 'released' && seen?.version === view.version && last.sentAt >= seen.at));
      return { at: 'hold', lease: claim.lease, takeover, ...(quiet ? { known: last.read } : {}) };
    }
    if (claim.view.kind === 'held') return { at: 'follow', view: claim.view };
    if (claim.view.kind === 'backoff') return backedOffBy(p, claim.view.until, claim.view.reason);
    // Freed again already: go round.
    return { at: 'read' };
  } catch (error) {
    const next = afterStoreError(error, run);
    // Access to the lock denied while the token parameter answered: a policy that grants the
    // one and not the other. Without publishing, every cold start would spend a token.
    const refused = error instanceof StoreError && error.kind === 'access-denied';
    return next.at === 'fall-back' && refused ? { ...next, leaseRefused: true } : next;
  }
}

function backedOffBy(p: Protocol, until: number, reason: string): State {
  p.context.backoff.remember(until, reason);
  const backoff = p.context.backoff.active() ?? { until, reason };
  return { at: 'backed-off', backoff };
}
