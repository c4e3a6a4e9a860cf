/**
 * **Follow**: someone else holds the lease. A caller holding a usable token is served it and
 * comes back when the lease ends. One with nothing usable (or that insists on the refresh)
 * polls the store, fast first and then easing off, until the holder's token appears, the lease
 * ends (then it contends again: a crashed holder costs at most one lease), the lease becomes a
 * back-off marker, or the store's share of the deadline is spent. A throttled poll is not
 * retried: the next poll is its retry, one doubling later, so that many followers converge on
 * the account's read quota instead of a multiple of it, and the holder's calls get through.
 */
import { jitteredDelayMs } from '../../backoff.js';
import { StoreError } from '../../errors.js';
import type { Token } from '../../token.js';
import { waitsForRefresh } from '../intent.js';
import {
  accepts,
  afterStoreError,
  done,
  holdsUsable,
  type Protocol,
  type Run,
  readFor,
  type State,
  servable,
  serveHeld,
  unavailable,
} from './run.js';
import { storeThrottled } from './throttled.js';

const HOLDER_LATE = 'the lease holder did not publish a token within the deadline';

/** See the module comment. */
export async function follow(
  p: Protocol,
  run: Run,
  state: Extract<State, { at: 'follow' }>,
): Promise<State> {
  const { clock, emit, random, sleep, tuning } = p.context;
  if (holdsUsable(p, run) && !waitsForRefresh(run.intent)) {
    return serveHeld(p, run, 'refresh-in-progress', state.view.until, () => unavailable(undefined));
  }
  const started = clock();
  const waitUntil = run.budgets.waitUntil;
  // With nothing to serve, any usable token ends an ordinary request's wait.
  const settles = (token: Token) =>
    accepts(p, run, token) || (!holdsUsable(p, run) && !waitsForRefresh(run.intent));
  let leaseEndsAt = state.view.until;
  // The last poll the store throttled (cleared by an answered one), and how many were.
  let throttledBy: StoreError | undefined;
  let throttledPolls = 0;
  const late = () =>
    throttledBy !== undefined ? storeThrottled(throttledBy) : unavailable(undefined, HOLDER_LATE);
  for (let poll = 0; ; poll++) {
    const now = clock();
    if (now >= waitUntil) {
      emit({ type: 'lease-wait', durationMs: now - started, outcome: 'timeout' });
      return serveHeld(p, run, 'lease-wait-timeout', now, late);
    }
    // Wake no later than the budget's end, and right when the holder's lease ends.
    const pace =
      throttledPolls === 0
        ? tuning.holderPoll
        : { baseMs: tuning.holderPoll.baseMs, capMs: tuning.throttledPollCapMs };
    let delay = Math.min(jitteredDelayMs(poll + throttledPolls, pace, random), waitUntil - now);
    if (leaseEndsAt > now) delay = Math.min(delay, leaseEndsAt - now);
    try {
      await sleep(delay, run.request.deadline.storeSignal);
    } catch (reason) {
      // The caller gave up, or the store's share of the deadline is spent.
      const callerGaveUp = run.request.deadline.signal.aborted;
      emit({ type: 'lease-wait', durationMs: clock() - started, outcome: 'timeout' });
      return serveHeld(p, run, 'lease-wait-timeout', clock(), () =>
        callerGaveUp ? unavailable(reason) : late(),
      );
    }
    try {
      const { token } = await readFor(p, run, run.budgets.onceCall, false);
      const usable = servable(p, run, token);
      if (usable !== undefined && settles(usable)) {
        emit({ type: 'lease-wait', durationMs: clock() - started, outcome: 'token-written' });
        return done({ token: usable, fetched: false });
      }
      // The lease is read every other poll (reads are SSM's scarce quota), and always once the
      // holder's lease should have ended.
      if (poll % 2 === 1 || clock() >= leaseEndsAt) {
        const view = await p.leases.read(run.budgets.onceCall);
        if (view.kind === 'backoff') {
          emit({ type: 'lease-wait', durationMs: clock() - started, outcome: 'backoff' });
          p.context.backoff.remember(view.until, view.reason);
          return { at: 'backed-off', backoff: { until: view.until, reason: view.reason } };
        }
        if (view.kind === 'free') {
          emit({ type: 'lease-wait', durationMs: clock() - started, outcome: 'lease-ended' });
          return { at: 'contend' };
        }
        leaseEndsAt = view.until;
      }
      throttledBy = undefined;
      throttledPolls >>= 1;
    } catch (error) {
      const next = afterStoreError(error, run);
      if (next.at !== 'throttled' || !(error instanceof StoreError)) return next;
      throttledBy = error;
      throttledPolls++;
    }
  }
}
