/**
 * The overall time budget of one `getToken()` (design guarantee 8). Decisions compare the
 * injected clock with the deadlines, and the signals fire on the injected `sleep`, so a hung
 * socket cannot outlive the budget in production and tests run the same logic in virtual time.
 */
import { TokenCacheError } from './errors.js';
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

/** Options of {@link Deadline}. */
export interface DeadlineOptions {
  /** The caller's own signal; aborting it aborts the deadline's signals. */
  readonly signal?: AbortSignal;
  /** The timer the deadline fires on (default: a real timer); virtual in tests. */
  readonly sleep?: Sleep;
  /** The part of the budget kept back from store waits for an endpoint call (default: a third). */
  readonly endpointReserveMs?: number;
}

/**
 * The part of a deadline of `budgetMs` kept for the endpoint when none is given: a third; the
 * store's share is the rest.
 *
 * @example
 * ```ts
 * defaultEndpointReserveMs(10_000); // 3_333: store calls and waits stop 6_667 ms in
 * ```
 */
export function defaultEndpointReserveMs(budgetMs: number): number {
  return Math.floor(budgetMs / 3);
}

/**
 * The time budget of one `getToken()`: an overall deadline, and an earlier store deadline so
 * that a slow or throttled store still leaves time for the endpoint (issue 4, part 2).
 * Call `dispose()` when the work is done, to cancel the timers.
 *
 * @example
 * ```ts
 * const deadline = new Deadline(Date.now, 10_000);
 * try {
 *   await store.get('token', { signal: deadline.storeSignal });
 * } finally {
 *   deadline.dispose();
 * }
 * ```
 */
export class Deadline {
  /** Epoch ms (injected clock) at which the whole budget is spent. */
  readonly expiresAt: number;
  /** Epoch ms after which store calls and waits must stop. */
  readonly storeExpiresAt: number;
  /** Fires when the caller aborts or the whole budget elapses. */
  readonly signal: AbortSignal;
  /** Fires as `signal` does, or when the store's share of the budget elapses. */
  readonly storeSignal: AbortSignal;
  readonly #clock: Clock;
  readonly #timers = new AbortController();

  constructor(clock: Clock, budgetMs: number, options: DeadlineOptions = {}) {
    this.#clock = clock;
    const now = clock();
    const reserveMs = options.endpointReserveMs ?? defaultEndpointReserveMs(budgetMs);
    this.expiresAt = now + budgetMs;
    this.storeExpiresAt = this.expiresAt - reserveMs;
    const sleep = options.sleep ?? realSleep;
    const overall = this.#timer(sleep, budgetMs, `the ${budgetMs} ms deadline`);
    const storeOnly = this.#timer(sleep, budgetMs - reserveMs, 'the store share of the deadline');
    this.signal = options.signal ? AbortSignal.any([options.signal, overall]) : overall;
    this.storeSignal = AbortSignal.any([this.signal, storeOnly]);
  }

  /** Milliseconds left (never negative). */
  remaining(): number {
    return Math.max(0, this.expiresAt - this.#clock());
  }

  /** Whether the budget is spent or the caller aborted. */
  expired(): boolean {
    return this.signal.aborted || this.#clock() >= this.expiresAt;
  }

  /** Cancels the timers (they would otherwise keep a short-lived process alive). */
  dispose(): void {
    this.#timers.abort();
  }

  #timer(sleep: Sleep, ms: number, what: string): AbortSignal {
    const controller = new AbortController();
    sleep(Math.max(0, ms), this.#timers.signal).then(
      () => controller.abort(new TokenCacheError('DEADLINE_EXCEEDED', `${what} was exceeded`)),
      () => {},
    );
    return controller.signal;
  }
}
