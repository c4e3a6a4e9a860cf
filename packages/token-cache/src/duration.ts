/**
 * The one check every duration goes through, whether it comes from an environment variable
 * (`config/env-schema.ts`) or from an option (the cache, the stores, the sources, the
 * telemetry): a whole number of milliseconds, at least a minimum and at most one year.
 */
import { ConfigError } from './errors.js';

/**
 * The largest duration accepted anywhere: one year, in ms. Longer is a mistake (a unit
 * mix-up, a timestamp in a duration field), never a setting.
 *
 * @example
 * ```ts
 * MAX_DURATION_MS; // 31_536_000_000
 * ```
 */
export const MAX_DURATION_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * What a duration with minimum `min` must be, as an error message says it.
 *
 * @example
 * ```ts
 * durationExpectation(1); // 'an integer number of milliseconds from 1 to 31536000000 (one year)'
 * ```
 */
export function durationExpectation(min: number): string {
  return `an integer number of milliseconds from ${min} to ${MAX_DURATION_MS} (one year)`;
}

/**
 * Whether `value` is a duration of at least `min` ms (and at most {@link MAX_DURATION_MS}).
 *
 * @example
 * ```ts
 * isDuration(1.5, 0); // false
 * ```
 */
export function isDuration(value: unknown, min: number): value is number {
  return (
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_DURATION_MS
  );
}

/**
 * `value`, or `fallback` when it is `undefined`, after checking it is a duration of at least
 * `min` ms; otherwise a `ConfigError` naming `name`.
 *
 * @example
 * ```ts
 * requireDuration('deadlineMs', options.deadlineMs, 10_000, 1); // → 10_000 when undefined
 * requireDuration('timeoutMs', 0, 5_000, 1); // throws: timeoutMs must be an integer number of milliseconds from 1 ...
 * ```
 */
export function requireDuration(
  name: string,
  value: number | undefined,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  if (!isDuration(value, min)) {
    throw new ConfigError(name, `${durationExpectation(min)}, got ${String(value)}`);
  }
  return value;
}
