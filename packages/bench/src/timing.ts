/**
 * Time compression. A real token lives 24 h and a Lambda container 15–45 min (the seed
 * document's figure); the benchmark shrinks both by the same factor so a run of seconds spans
 * whole token lifetimes with the same container-to-token lifetime ratio.
 *
 * Not everything can shrink by that factor, and the profile says which values do not:
 * - rates (SSM's 40 reads/s and 3 writes/s, the IdP's 30 requests/s) and network latencies are
 *   real: they are what the services enforce and cost per wall-clock second;
 * - the refresh window, the minimum remaining life, the lease and the deadline are sized
 *   against those real latencies, not the compressed lifetime: a 24 h → 20 s compression
 *   would turn the 30 s minimum remaining life into 7 ms, less than the 1 s resolution of a
 *   JWT's `exp` (RFC 7519 NumericDate; the IdP issues whole seconds, so the API may see a
 *   token expire up to 1 s before the client computes), and the 15 s lease into 3 ms, less
 *   than one IdP round trip.
 */

/**
 * A real token's lifetime (Auth0's default `expires_in`), the duration the compression starts from.
 *
 * @example
 * ```ts
 * const compression = REAL_TOKEN_LIFETIME_S / 20; // 4,320
 * ```
 */
export const REAL_TOKEN_LIFETIME_S = 86_400;
/**
 * The seed document's Lambda container lifetime, 15–45 min.
 *
 * @example
 * ```ts
 * const shortest = REAL_CONTAINER_LIFETIME_MIN_MS / compression; // 208 ms at ×4,320
 * ```
 */
export const REAL_CONTAINER_LIFETIME_MIN_MS = 15 * 60_000;
/**
 * See {@link REAL_CONTAINER_LIFETIME_MIN_MS}.
 *
 * @example
 * ```ts
 * const longest = REAL_CONTAINER_LIFETIME_MAX_MS / compression; // 625 ms at ×4,320
 * ```
 */
export const REAL_CONTAINER_LIFETIME_MAX_MS = 45 * 60_000;

/** The library's production lease, which the compressed lease below stands for. */
const PRODUCTION_LEASE_MS = 15_000;
/**
 * The benchmark's lease. It must hold its holder's work at the store's real write rate: a
 * claim, perhaps a renewal, the token and the release are four writes, 1.3 s of SSM's 3
 * writes/s, and in a takeover the contenders' claims draw on the same quota. A 1-s lease held
 * three: a holder renewing behind a losing claim ran out of writes, and the fleet fetched again.
 * Production's 15-s lease holds 45. Two seconds also covers the fleet process's own event-loop
 * stalls (100–500 ms while 150 containers start at once), which lengthen every round trip here.
 */
const BENCH_LEASE_MS = 2_000;
/** The library's production clock-skew tolerance (`ProtocolTuning.maxClockSkewMs`). */
const PRODUCTION_MAX_CLOCK_SKEW_MS = 2_000;
/** The library's production back-offs: `errorBackoffMs` and the cap `maxBackoffMs`. */
const PRODUCTION_ERROR_BACKOFF_MS = 60_000;
const PRODUCTION_MAX_BACKOFF_MS = 300_000;
/**
 * How much shorter the benchmark's back-offs are than production's. Neither the token
 * compression (60 s would become 14 ms, less than one IdP round trip, so "one call per back-off"
 * would mean nothing) nor no compression (a 300-s cap would outlast every run) works. Dividing
 * by 30 keeps the back-offs longer than a lease and an endpoint round trip, as in production,
 * and lets a run of seconds span several error back-offs and one full capped back-off.
 */
const BACKOFF_COMPRESSION = 30;

/** Every duration a run needs, in wall-clock milliseconds of the run. */
export interface TimingProfile {
  /** `expires_in` the IdP issues, seconds (the compressed 24 h). */
  readonly tokenLifetimeS: number;
  /** Real seconds per simulated second: 86,400 / tokenLifetimeS. */
  readonly compression: number;
  /** Container lifetimes: the seed's 15–45 min, compressed. */
  readonly containerLifetimeMs: { readonly min: number; readonly max: number };
  /** The cache's refresh window and the baselines' "5-minute buffer" (same value for all). */
  readonly refreshWindowMs: number;
  readonly minRemainingMs: number;
  readonly leaseMs: number;
  readonly deadlineMs: number;
  /** The fleet-wide back-off after a configuration failure (`errorBackoffMs`). */
  readonly errorBackoffMs: number;
  /** The cap on every back-off (`maxBackoffMs`). */
  readonly maxBackoffMs: number;
  /**
   * The clock skew between containers the protocol tolerates (`tuning.maxClockSkewMs`), scaled
   * with the lease; the `clock-skew` scenario skews containers' clocks by up to this much.
   */
  readonly maxClockSkewMs: number;
}

/**
 * The profile for a compressed token lifetime.
 *
 * @example
 * ```ts
 * const timing = compressedTiming(20); // 24 h → 20 s: containers live 208–625 ms
 * ```
 */
export function compressedTiming(tokenLifetimeS: number): TimingProfile {
  if (!Number.isInteger(tokenLifetimeS) || tokenLifetimeS < 10) {
    throw new TypeError(
      `tokenLifetimeS must be an integer of at least 10 seconds (room for the refresh window), got ${tokenLifetimeS}`,
    );
  }
  const compression = REAL_TOKEN_LIFETIME_S / tokenLifetimeS;
  return {
    tokenLifetimeS,
    compression,
    containerLifetimeMs: {
      min: Math.round(REAL_CONTAINER_LIFETIME_MIN_MS / compression),
      max: Math.round(REAL_CONTAINER_LIFETIME_MAX_MS / compression),
    },
    // minRemaining: 1 s of JWT `exp` truncation + room for the API call that uses the token.
    minRemainingMs: 1_500,
    leaseMs: BENCH_LEASE_MS,
    // The cache spreads refresh points over window − minRemaining − lease (refresh-schedule.ts).
    // In production that spread (255 s) dwarfs one refresh (~0.2 s), so the first container's
    // refresh lands before almost anyone else's point comes up; 5 s keeps a 1.5 s spread, about
    // seven refresh round trips, instead of the 69 ms a strict 24 h → 20 s scaling would give.
    refreshWindowMs: 5_000,
    // The library's default: a bound on one invocation's wait, a real-time quantity.
    deadlineMs: 10_000,
    // 60 s and 300 s divided by BACKOFF_COMPRESSION: 2 s and 10 s, the same 1 : 5 ratio.
    errorBackoffMs: PRODUCTION_ERROR_BACKOFF_MS / BACKOFF_COMPRESSION,
    maxBackoffMs: PRODUCTION_MAX_BACKOFF_MS / BACKOFF_COMPRESSION,
    // The skew tolerance is a share of the lease (a holder stops two skews before its lease
    // ends), so it shrinks with the lease: 2 s of a 15-s lease is 267 ms of the 2-s lease.
    // Left at 2 s it would exceed the compressed lease, and the library would clamp it.
    // The rest of the protocol's tuning (holding retries, holder polling, the transient
    // back-off) keeps the library's defaults: like the deadline, real-time quantities.
    maxClockSkewMs: Math.round(
      (PRODUCTION_MAX_CLOCK_SKEW_MS * BENCH_LEASE_MS) / PRODUCTION_LEASE_MS,
    ),
  };
}

/**
 * One line describing a profile, for the report.
 *
 * @example
 * ```ts
 * describeTiming(compressedTiming(20));
 * ```
 */
export function describeTiming(timing: TimingProfile): string {
  const { min, max } = timing.containerLifetimeMs;
  return (
    `token lifetime 24 h → ${timing.tokenLifetimeS} s (×${Math.round(timing.compression)}); ` +
    `container lifetimes 15–45 min → ${min}–${max} ms; refresh window ${timing.refreshWindowMs} ms, ` +
    `min remaining ${timing.minRemainingMs} ms, lease ${timing.leaseMs} ms, deadline ${timing.deadlineMs} ms (not compressed: sized against real latencies); ` +
    `error back-off ${timing.errorBackoffMs} ms, back-off cap ${timing.maxBackoffMs} ms (production ÷ ${BACKOFF_COMPRESSION}), clock-skew tolerance ${timing.maxClockSkewMs} ms (scaled with the lease)`
  );
}
