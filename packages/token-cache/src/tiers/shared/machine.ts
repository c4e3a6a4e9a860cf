/**
 * The refresh protocol's loop: start at *read*, run each state's function, stop at *done*.
 */

import type { TierResult } from '../tier.js';
import { backedOff } from './backed-off.js';
import { contend } from './contend.js';
import { fallBack } from './fall-back.js';
import { follow } from './follow.js';
import { hold } from './hold.js';
import { read } from './read.js';
import {
  type Protocol,
  type Run,
  type State,
  serveHeld,
  storeRecheck,
  unavailable,
} from './run.js';
import { throttled } from './throttled.js';

const MAX_STEPS = 10_000;

/**
 * Runs one request through the states. Every state either ends the request or spends store
 * I/O or time inside the request's budgets, so the loop ends by the deadline at the latest.
 */
export async function runProtocol(p: Protocol, run: Run): Promise<TierResult> {
  let state: State = { at: 'read' };
  for (let step = 0; ; step++) {
    // A guard, not a budget: no request needs this many steps, and a bug must not spin.
    if (step === MAX_STEPS && state.at !== 'done') {
      throw unavailable(undefined, `the refresh protocol did not settle in ${MAX_STEPS} steps`);
    }
    switch (state.at) {
      case 'done':
        return state.result;
      case 'read':
        state = await read(p, run);
        break;
      case 'contend':
        state = await contend(p, run);
        break;
      case 'hold':
        state = await hold(p, run, state);
        break;
      case 'follow':
        state = await follow(p, run, state);
        break;
      case 'throttled':
        state = await throttled(p, run, state);
        break;
      case 'fall-back':
        state = await fallBack(p, run, state);
        break;
      case 'backed-off':
        state = backedOff(p, run, state);
        break;
      case 'out-of-time': {
        // Cut short while retrying a throttled store: the throttling is why there is no token.
        const error: unknown = state.error;
        state = run.budgets.throttled()
          ? { at: 'throttled', error }
          : serveHeld(p, run, 'store-deadline', storeRecheck(p), () => unavailable(error));
        break;
      }
    }
  }
}
