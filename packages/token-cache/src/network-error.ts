/**
 * The errno-style code (`ECONNREFUSED`, `ETIMEDOUT`, ...) behind a failed request. `fetch` and
 * the AWS SDK wrap the socket error one or more levels deep in `cause`, and that code is what
 * tells an operator where to look. It never carries a token or a secret.
 */

/**
 * Walks `error` and its `cause` chain (a few levels) for a string `code`.
 *
 * @example
 * ```ts
 * networkErrorCode(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })); // 'ECONNREFUSED'
 * ```
 */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
