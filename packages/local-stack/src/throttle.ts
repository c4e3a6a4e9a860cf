/**
 * A token bucket: `ratePerSecond` tokens refill continuously, up to a burst of the same size.
 * SSM's documented limits are "transactions per second" per account and region, enforced by a
 * bucket of this shape (AWS SSM endpoints and quotas: GetParameter 40 TPS by default,
 * PutParameter 3 TPS). A rate of 0 means unlimited.
 */

/** A rate limiter that answers whether one more request may pass now. */
export interface TokenBucket {
  /** Takes one token if available; `false` means "throttle this request". */
  tryTake(): boolean;
  /** Changes the rate (and burst); 0 = unlimited. The bucket starts full again. */
  setRate(ratePerSecond: number): void;
  readonly ratePerSecond: number;
}

/**
 * Creates a token bucket driven by an injectable clock (epoch ms), so tests never sleep.
 *
 * @example
 * ```ts
 * const reads = createTokenBucket(40, Date.now);
 * if (!reads.tryTake()) throw new Error('Rate exceeded');
 * ```
 */
export function createTokenBucket(ratePerSecond: number, now: () => number): TokenBucket {
  let rate = ratePerSecond;
  let tokens = rate;
  let refilledAt = now();
  return {
    get ratePerSecond() {
      return rate;
    },
    setRate(next) {
      rate = next;
      tokens = next;
      refilledAt = now();
    },
    tryTake() {
      if (rate <= 0) return true;
      const at = now();
      // Refill proportionally to elapsed time; a clock that goes backwards refills nothing.
      tokens = Math.min(rate, tokens + (Math.max(0, at - refilledAt) * rate) / 1000);
      refilledAt = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
