/**
 * When this container starts refreshing a token: at a random point early in the refresh
 * window, drawn once per token (early refresh, spread with jitter). Across a fleet
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
  #expiresAt = Number.NaN;
  #refreshAt = 0;

  constructor(
    private readonly policy: FreshnessPolicy,
    private readonly leaseMs: number,
    private readonly random: () => number,
  ) {}

  /** The instant (epoch ms) from which this container refreshes `token`. */
  refreshAt(token: Pick<Token, 'expiresAt' | 'issuedAt'>): number {
    if (token.expiresAt !== this.#expiresAt) {
      this.#expiresAt = token.expiresAt;
      // A token living less than twice the window (a tenant with a short expires_in) refreshes
      // in the second half of its life instead: otherwise it would be "due" as soon as issued
      // and every call would go to the endpoint.
      const lifetimeMs =
        token.issuedAt === undefined ? Number.POSITIVE_INFINITY : token.expiresAt - token.issuedAt;
      const windowMs = Math.min(this.policy.refreshWindowMs, Math.floor(lifetimeMs / 2));
      // Leave at least one lease period (a crashed holder) plus the minimum remaining life after
      // the latest possible refresh point, so a takeover still finds a usable token to serve.
      const spreadMs = Math.max(0, windowMs - this.policy.minRemainingMs - this.leaseMs);
      this.#refreshAt = token.expiresAt - windowMs + Math.floor(this.random() * spreadMs);
    }
    return this.#refreshAt;
  }
}
