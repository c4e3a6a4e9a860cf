/**
 * **Hold**: this container holds the lease, so it alone may call the endpoint. It re-reads
 * first (the previous holder may just have published) unless its last read was sent after the
 * previous holder's last write could land, or after it saw that holder's release; it fetches,
 * publishes within its lease and releases (not after a write that may still land).
 * Work that runs long renews the lease once (`working-time.ts`). A failed fetch turns the lease
 * into the fleet's back-off marker instead. The caller waits for the publication at most until
 * its deadline; the write then finishes on the lease's time, so the token the fleet waits for
 * is not lost.
 */
import { describeFailure } from '../endpoint-failure.js';
import type { TokenRead } from '../store-access.js';
import { publish } from './publish.js';
import {
  accepts,
  afterStoreError,
  consider,
  done,
  HIT_STORE,
  type Protocol,
  type Run,
  readFor,
  type State,
  servable,
  serveHeld,
  unavailable,
} from './run.js';
import { WorkingTime } from './working-time.js';

/** See the module comment. */
export async function hold(
  p: Protocol,
  run: Run,
  state: Extract<State, { at: 'hold' }>,
): Promise<State> {
  const { clock, emit, backoff } = p.context;
  const { deadline } = run.request;
  const work = new WorkingTime(p, run, state.lease);
  // Ends the work and frees the lease (never someone else's: the strategy checks).
  const release = async () => {
    const lease = await work.end();
    const released = await p.leases.release(lease, work.call).catch(() => false);
    if (released) emit({ type: 'lease-released' });
  };
  let again: TokenRead;
  try {
    again = state.known ?? (await readFor(p, run, run.budgets.holderRead(work.until), false));
  } catch (error) {
    // Not knowing what the store holds, the holder must not fetch: it might replace a token
    // the previous holder has just published.
    await withinDeadline(release(), deadline.signal, undefined);
    return afterStoreError(error, run);
  }
  const fresh = servable(p, run, again.token);
  if (fresh !== undefined && accepts(p, run, fresh)) {
    await withinDeadline(release(), deadline.signal, undefined);
    emit(HIT_STORE);
    return done({ token: fresh, fetched: false });
  }
  consider(run, fresh);
  if (!(await withinDeadline(work.inTime(), deadline.signal, false))) {
    // A slow store ate the working time and the lease could not be renewed (someone else has
    // claimed since, or the caller gave up): go round.
    await withinDeadline(release(), deadline.signal, undefined);
    return { at: 'read' };
  }

  let fetched: Awaited<ReturnType<typeof p.endpoint.resolve>>;
  try {
    fetched = await p.endpoint.resolve(run.request);
  } catch (error) {
    const failed = backoff.active();
    if (failed === undefined) {
      await withinDeadline(release(), deadline.signal, undefined);
      return serveHeld(p, run, describeFailure(error), clock(), () => unavailable(error));
    }
    emit({ type: 'backoff', untilMs: failed.until, reason: failed.reason });
    // The lease becomes the fleet's back-off marker: kept, not released.
    const marking = (async () => {
      if (!(await work.inTime())) return;
      const lease = await work.end();
      await p.leases.markBackoff(lease, failed.until, failed.reason, work.call);
    })();
    await withinDeadline(marking, deadline.signal, undefined);
    return { at: 'backed-off', backoff: failed, error };
  }

  const published = (async () => {
    let settled = true;
    try {
      // Two rounds at most: the working time, and the renewed one.
      for (let round = 0; round < 2 && (await work.inTime()); round++) {
        const outcome = await publish(p, fetched.token, run, work.until, work.call, again);
        if (outcome === undefined) continue;
        settled = outcome.settled;
        return outcome.token;
      }
      return fetched.token;
    } finally {
      // After a write that may still land, the lease is left to lapse instead: a release says
      // the token was written, and the next holder trusts a read made after it.
      if (settled) await release();
      else await work.end();
    }
  })();
  const token = await withinDeadline(published, deadline.signal, fetched.token);
  return done({ token, fetched: true });
}

// The result of `work` if it settles before `signal` fires, else `fallback` (the work goes on
// detached). Never throws: a failed `work` also yields `fallback`.
function withinDeadline<T>(work: Promise<T>, signal: AbortSignal, fallback: T): Promise<T> {
  const settled = work.then(
    (value) => value,
    () => fallback,
  );
  if (signal.aborted) return Promise.resolve(fallback);
  return Promise.race([
    settled,
    new Promise<T>((resolve) =>
      signal.addEventListener('abort', () => resolve(fallback), { once: true }),
    ),
  ]);
}
