/**
 * Small statistics used by the reports.
 */

/**
 * The p-th percentile (0–100) by the nearest-rank method; 0 for an empty list.
 *
 * @example
 * ```ts
 * percentile([5, 1, 3], 50); // 3
 * ```
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/**
 * Rounds to `digits` decimals (report values, not maths).
 *
 * @example
 * ```ts
 * round(1.23456, 2); // 1.23
 * ```
 */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
