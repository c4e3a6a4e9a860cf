/**
 * Number formatting shared by the reports.
 */

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(12345); // '12,345'
 * ```
 */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * Milliseconds, with more precision for small values (a memory hit is microseconds).
 *
 * @example
 * ```ts
 * formatMs(0.012); // '0.01'
 * formatMs(123.4); // '123'
 * ```
 */
export function formatMs(value: number): string {
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return formatCount(value);
}

/**
 * Endpoint calls as a multiple of the physical minimum.
 *
 * @example
 * ```ts
 * formatRatio(3, 3); // '1.00×'
 * formatRatio(5, 0); // '—'
 * ```
 */
export function formatRatio(calls: number, minimum: number): string {
  if (minimum === 0) return calls === 0 ? '1.00×' : '—';
  const ratio = calls / minimum;
  return ratio >= 100 ? `${formatCount(ratio)}×` : `${ratio.toFixed(2)}×`;
}
