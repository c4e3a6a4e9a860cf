/**
 * When this container starts refreshing a token: at a random point early in the refresh
 * window, drawn once per token (issue 4: "early refresh spread with jitter"). Across a fleet
 * the earliest of many random points wins, so the refresh happens near the start of the window
 * and the others find the new token in the store; nobody synchronises on the same instant.
 */
import type { FreshnessPolicy } from '../freshness.js';
import type { Token } from '../token.js';

/**
 * A per-container refresh point for each token.
 *
 * @example
 * ```ts
 * const schedule = new RefreshSchedule({ refreshWindowMs: 300_000, minRemainingMs: 30_000 }, 15_000, Math.random);
 * if (Date.now() >= schedule.refreshAt(token)) await refresh();
 * ```
 */
export class RefreshSchedule {
  /** Width of the band the refresh points are drawn from. */
  readonly spreadMs: number;
  #expiresAt = Number.NaN;
  #refreshAt = 0;

  constructor(
    private readonly policy: FreshnessPolicy,
    leaseMs: number,
    private readonly random: () => number,
  ) {
    // Leave at least one lease period (a crashed holder) plus the minimum remaining life after
    // the latest possible refresh point, so a takeover still finds a usable token to serve.
    this.spreadMs = Math.max(0, policy.refreshWindowMs - policy.minRemainingMs - leaseMs);
  }

  /** The instant (epoch ms) from which this container refreshes `token`. */
  refreshAt(token: Pick<Token, 'expiresAt'>): number {
    if (token.expiresAt !== this.#expiresAt) {
      this.#expiresAt = token.expiresAt;
      const windowStart = token.expiresAt - this.policy.refreshWindowMs;
      this.#refreshAt = windowStart + Math.floor(this.random() * this.spreadMs);
    }
    return this.#refreshAt;
  }
}
