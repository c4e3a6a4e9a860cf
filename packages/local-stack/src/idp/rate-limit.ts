/**
 * The IdP's limits, as Auth0 applies them to `/oauth/token`: a per-second request rate
 * (free plan: 30/s) and a monthly quota of issued M2M tokens (free plan: 1,000). Auth0 reports
 * the rate limit on responses with `x-ratelimit-limit`, `x-ratelimit-remaining` and
 * `x-ratelimit-reset` (epoch seconds when the limit resets) — Auth0 docs, "Rate Limit Policy".
 */

/** The three rate-limit headers. */
export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  readonly resetEpochSeconds: number;
}

/**
 * Renders the rate-limit headers.
 *
 * @example
 * ```ts
 * rateLimitHeaders({ limit: 30, remaining: 29, resetEpochSeconds: 1767225601 });
 * ```
 */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(Math.max(0, state.remaining)),
    'x-ratelimit-reset': String(state.resetEpochSeconds),
  };
}

/** The verdict on one token request. */
export type LimitVerdict =
  | { readonly allowed: true; readonly headers: Record<string, string> }
  | {
      readonly allowed: false;
      readonly reason: 'rate' | 'quota';
      readonly headers: Record<string, string>;
    };

/** The IdP limiter. */
export interface IdpLimiter {
  /** Counts a request against the per-second window and checks the monthly quota. */
  admit(): LimitVerdict;
  /** Counts an issued token against the month's quota. */
  recordIssued(): void;
  /** Tokens issued in the current month. */
  issuedThisMonth(): number;
  reset(): void;
}

function monthKey(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${date.getUTCMonth()}`;
}

function nextMonthEpochSeconds(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 1000;
}

/**
 * Creates a limiter: a fixed one-second window for the rate, a calendar month (UTC) for the
 * quota. 0 disables either.
 *
 * @example
 * ```ts
 * const limiter = createIdpLimiter({ now: Date.now, perSecond: 30, monthlyQuota: 1000 });
 * if (!limiter.admit().allowed) { /* answer 429 *\/ }
 * ```
 */
export function createIdpLimiter(options: {
  now: () => number;
  perSecond: number;
  monthlyQuota: number;
}): IdpLimiter {
  let windowSecond = -1;
  let requestsInWindow = 0;
  const issuedByMonth = new Map<string, number>();

  const issued = () => issuedByMonth.get(monthKey(options.now())) ?? 0;

  return {
    admit() {
      const nowMs = options.now();
      const second = Math.floor(nowMs / 1000);
      if (second !== windowSecond) {
        windowSecond = second;
        requestsInWindow = 0;
      }
      requestsInWindow += 1;
      // Without a per-second limit there is nothing to report in the headers.
      const headers =
        options.perSecond > 0
          ? rateLimitHeaders({
              limit: options.perSecond,
              remaining: options.perSecond - requestsInWindow,
              resetEpochSeconds: second + 1,
            })
          : {};
      if (options.perSecond > 0 && requestsInWindow > options.perSecond) {
        return { allowed: false, reason: 'rate', headers };
      }
      if (options.monthlyQuota > 0 && issued() >= options.monthlyQuota) {
        return {
          allowed: false,
          reason: 'quota',
          headers: rateLimitHeaders({
            limit: options.monthlyQuota,
            remaining: 0,
            resetEpochSeconds: nextMonthEpochSeconds(nowMs),
          }),
        };
      }
      return { allowed: true, headers };
    },
    recordIssued() {
      const key = monthKey(options.now());
      issuedByMonth.set(key, (issuedByMonth.get(key) ?? 0) + 1);
    },
    issuedThisMonth: issued,
    reset() {
      windowSecond = -1;
      requestsInWindow = 0;
      issuedByMonth.clear();
    },
  };
}
