/**
 * One Lambda invocation's time budget, split between getting the token and asking the API.
 * The token may take what the invocation has left, minus the API timeout and a margin; the API
 * timeout starts only once the token is in hand. So an invocation that waited long for its
 * token still gets to ask the API, and every invocation answers before its Lambda timeout.
 */
import { TokenUnavailableError } from '@token-cache/core';
import type { Context } from 'aws-lambda';

/** Default time kept back at the end of an invocation to log, flush metrics and answer. */
export const DEFAULT_MARGIN_MS = 1_000;

/** What the budget reads of the Lambda context: the time left before the runtime stops the invocation. */
export type InvocationContext = Pick<Context, 'getRemainingTimeInMillis'>;

/**
 * The budget of one invocation; `dispose()` it when the invocation ends.
 *
 * @example
 * ```ts
 * const budget = new InvocationBudget(context, 5_000);
 * try {
 *   const token = await getToken({ signal: budget.tokenSignal });
 *   await fetch(url, { signal: budget.apiSignal(), headers: { authorization: `Bearer ${token}` } });
 * } finally {
 *   budget.dispose();
 * }
 * ```
 */
export class InvocationBudget {
  /** Aborts when the token may take no longer; `undefined` without a Lambda context. */
  readonly tokenSignal: AbortSignal | undefined = undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined = undefined;

  /**
   * @param context The Lambda context; without one (a test, a script) only the token cache's
   *   own deadline bounds the token.
   * @param apiTimeoutMs How long the API may take to answer once the token is in hand.
   * @param marginMs Kept back at the end of the invocation.
   */
  constructor(
    private readonly context: InvocationContext | undefined,
    private readonly apiTimeoutMs: number,
    private readonly marginMs: number = DEFAULT_MARGIN_MS,
  ) {
    if (context === undefined) return;
    const remainingMs = context.getRemainingTimeInMillis();
    const tokenBudgetMs = Math.max(0, remainingMs - apiTimeoutMs - marginMs);
    const controller = new AbortController();
    // The abort reason is what a caller waiting for the token is rejected with: a typed error
    // that says which budget ran out, so the handler answers 503 and logs why.
    const expire = () =>
      controller.abort(
        new TokenUnavailableError(
          `no bearer token within this invocation's budget of ${tokenBudgetMs} ms (the ${remainingMs} ms the Lambda had left, minus the API timeout of ${apiTimeoutMs} ms and a margin of ${marginMs} ms)`,
        ),
      );
    if (tokenBudgetMs === 0) expire();
    else this.#timer = setTimeout(expire, tokenBudgetMs);
    this.tokenSignal = controller.signal;
  }

  /**
   * A signal for one API request, started now: the API timeout, or what is left of the
   * invocation (minus the margin) when that is less.
   */
  apiSignal(): AbortSignal {
    const leftMs =
      this.context === undefined
        ? Number.POSITIVE_INFINITY
        : this.context.getRemainingTimeInMillis() - this.marginMs;
    return AbortSignal.timeout(Math.max(0, Math.min(this.apiTimeoutMs, leftMs)));
  }

  /** Stops the token timer (a frozen container must not wake up to an old invocation's timer). */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}
