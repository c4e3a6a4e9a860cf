/**
 * The benchmark's setup, stated in every report: what was simulated and how.
 */
import { cpus } from 'node:os';
import { BASE_LATENCIES, DEFAULT_LIMITS, SCENARIO_TOKEN_LIFETIME_S } from './scenarios.js';
import { compressedTiming, describeTiming } from './timing.js';

/**
 * The setup as data (for JSON) and as lines (for text and Markdown).
 *
 * @example
 * ```ts
 * const { data, lines } = fleetSetup(1);
 * ```
 */
export function fleetSetup(seed: number): { data: Record<string, unknown>; lines: string[] } {
  const timing = compressedTiming(SCENARIO_TOKEN_LIFETIME_S);
  const latencies = Object.entries(BASE_LATENCIES)
    .map(([target, spec]) => `${target} ${spec.latencyMs} ms`)
    .join(', ');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}`;
  return {
    data: { seed, timing, latencies: BASE_LATENCIES, limits: DEFAULT_LIMITS, machine },
    lines: [
      `Time compression: ${describeTiming(timing)}.`,
      `Limits (real rates): SSM ${DEFAULT_LIMITS.readsPerSecond} reads/s and ${DEFAULT_LIMITS.writesPerSecond} writes/s (account-wide token buckets), IdP ${DEFAULT_LIMITS.idpRateLimitPerSecond} requests/s (Auth0 free plan); monthly quota not enforced (projected instead).`,
      `Injected latencies: ${latencies}.`,
      `Each strategy runs against a fresh local stack (a child process) over HTTP on 127.0.0.1, driven by the real AWS SDK; every invocation calls GET /vehicles/:id/overview with its token (RS256 JWT verified against the IdP's JWKS). Seed ${seed}; machine: ${machine}.`,
    ],
  };
}
