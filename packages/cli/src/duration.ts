/**
 * Human durations for flags such as `--if-expiring-within 10m`.
 */
import { InvalidArgumentError } from 'commander';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses `500ms`, `90s`, `10m`, `1h`, `1d` or combinations such as `1h30m` into milliseconds.
 * A bare number is rejected: seconds or milliseconds would both be plausible guesses.
 *
 * @example
 * ```ts
 * parseDuration('10m', '--if-expiring-within'); // 600000
 * ```
 */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(pattern)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    consumed += match[0].length;
  }
  if (trimmed === '' || consumed !== trimmed.length || !Number.isFinite(total)) {
    throw new InvalidArgumentError(
      `${flag} must be a duration such as 30s, 10m, 1h or 1h30m, got "${text}"`,
    );
  }
  return Math.round(total);
}

/**
 * Formats milliseconds for people: `23h 59m`, `4m 10s`, `850ms`; negative values read `-4m 10s`.
 *
 * @example
 * ```ts
 * formatDuration(86_340_000); // '23h 59m'
 * ```
 */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  if (rest < 1_000) return `${sign}${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
  ] as const) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0) parts.push(`${amount}${unit}`);
    if (parts.length === 2) break;
  }
  return sign + parts.join(' ');
}
