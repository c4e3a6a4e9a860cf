/**
 * The overall time budget of one `getToken()` (design guarantee 8). Decisions compare the
 * injected clock with `expiresAt`, so tests run in virtual time; the `signal` also fires on a
 * real timer so a hung socket cannot outlive the budget in production.
 */
import type { Clock } from './token.js';

/** Waits `ms` milliseconds unless `signal` fires first; injected so tests run in virtual time. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The default {@link Sleep}: a real timer that rejects with the signal's reason on abort.
 *
 * @example
 * ```ts
 * await realSleep(100, AbortSignal.timeout(1_000));
 * ```
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A point in (injected-clock) time after which a call must stop waiting.
 *
 * @example
 * ```ts
 * const deadline = new Deadline(Date.now, 10_000);
 * while (!deadline.expired()) await sleep(Math.min(100, deadline.remaining()), deadline.signal);
 * ```
 */
export class Deadline {
  /** Epoch ms (injected clock) at which the budget is spent. */
  readonly expiresAt: number;
  /** Fires when the caller aborts or the budget elapses on a real timer. */
  readonly signal: AbortSignal;
  readonly #clock: Clock;

  constructor(clock: Clock, budgetMs: number, callerSignal?: AbortSignal) {
    this.#clock = clock;
    this.expiresAt = clock() + budgetMs;
    // AbortSignal.timeout uses an unref'd timer, so it never keeps a Lambda or a test alive.
    const timeout = AbortSignal.timeout(Math.max(1, budgetMs));
    this.signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  }

  /** Milliseconds left (never negative). */
  remaining(): number {
    return Math.max(0, this.expiresAt - this.#clock());
  }

  /** Whether the budget is spent or the caller aborted. */
  expired(): boolean {
    return this.signal.aborted || this.#clock() >= this.expiresAt;
  }
}
