/**
 * A last line of defence for anything the telemetry prints. Events never carry a token by
 * contract (`events.ts`), but free-text fields such as `reason` are written by many hands, and a
 * JWT pasted into one would end up in CloudWatch Logs, readable by anyone with `logs:GetLogEvents`.
 */

/**
 * Three base64url segments separated by dots, the first one starting like a JSON object
 * (`eyJ` is `{"` in base64): the compact serialization of a JWS/JWE (RFC 7515 §7.1).
 */
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** A bearer credential after an `Authorization` scheme, whatever its shape (RFC 6750 §2.1). */
const BEARER_PATTERN = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;

/**
 * What a redacted credential is replaced with.
 *
 * @example
 * ```ts
 * redactCredentials('Bearer abc') === `Bearer ${REDACTED}`; // true
 * ```
 */
export const REDACTED = '[redacted]';

/**
 * Replaces anything shaped like a JWT or a bearer credential in `text` with `[redacted]`.
 *
 * @example
 * ```ts
 * redactCredentials('rejected eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl'); // 'rejected [redacted]'
 * ```
 */
export function redactCredentials(text: string): string {
  return text.replace(JWT_PATTERN, REDACTED).replace(BEARER_PATTERN, `$1 ${REDACTED}`);
}
