/**
 * **Throttled**: the store answers, but "slow down". That is not unavailability: nobody calls
 * the endpoint without the lease (unless `throttleFallback` says to spend tokens rather than
 * fail). A caller holding a usable token is served it; anyone else pauses and reads again
 * while its store budget lasts, then fails with a `StoreThrottledError`.
 */
import { jitteredDelayMs } from '../../backoff.js';
import { StoreThrottledError } from '../../errors.js';
import { waitsForRefresh } from '../intent.js';
import {
  holdsUsable,
  type Protocol,
  type Run,
  type State,
  serveHeld,
  storeRecheck,
} from './run.js';

/** See the module comment. */
export async function throttled(
  p: Protocol,
  run: Run,
  state: Extract<State, { at: 'throttled' }>,
): Promise<State> {
  const { clock, random, sleep, throttleFallback, tuning } = p.context;
  const giveUp = () => storeThrottled(state.error);
  if (holdsUsable(p, run) && !waitsForRefresh(run.intent)) {
    return serveHeld(p, run, 'store-throttled', storeRecheck(p), giveUp);
  }
  if (throttleFallback) return { at: 'fall-back', error: state.error };
  const left = run.budgets.waitUntil - clock();
  if (left <= 0) return serveHeld(p, run, 'store-throttled', storeRecheck(p), giveUp);
  // A claim or a read was throttled with budget to spare: pause, then read again.
  const pause = Math.min(left, jitteredDelayMs(2, tuning.holderPoll, random));
  try {
    await sleep(pause, run.request.deadline.storeSignal);
  } catch {
    return serveHeld(p, run, 'store-throttled', storeRecheck(p), giveUp);
  }
  return { at: 'read' };
}

/** The error for a request the store kept throttling until its deadline. */
export function storeThrottled(cause: unknown): StoreThrottledError {
  return new StoreThrottledError(
    'no usable token: the shared store stayed throttled for the whole deadline',
    { cause },
  );
}
