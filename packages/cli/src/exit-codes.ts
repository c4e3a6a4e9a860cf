/**
 * The CLI's exit codes: stable, documented, and distinct per cause so scripts can react
 * (`token-cache doctor || alert`, retry on 3, page on 4).
 *
 * @example
 * ```ts
 * return healthy ? EXIT_CODES.ok : EXIT_CODES.failure;
 * ```
 */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /** The command ran but its outcome is a failure: a doctor check failed, nothing stored, ... */
  failure: 1,
  /** Usage or configuration error: an unknown flag, a bad value, a missing variable. */
  usage: 2,
  /** The shared store failed: unreachable, timed out, throttled or access denied. */
  store: 3,
  /** The token endpoint failed: unreachable, rejected the credentials, rate-limited. */
  endpoint: 4,
} as const;

/**
 * One of {@link EXIT_CODES}.
 *
 * @example
 * ```ts
 * const code: ExitCode = EXIT_CODES.store; // 3
 * ```
 */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
