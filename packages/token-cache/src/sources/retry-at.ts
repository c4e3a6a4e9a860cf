/**
 * When may we call the token endpoint again? Read from the rate-limit headers of an error
 * response, so the cache can back off instead of piling on (issue 4).
 */

/** Any epoch-seconds value below this (Sept 2001) is a relative delay, not an instant. */
const SMALLEST_EPOCH_SECONDS = 1_000_000_000;

/**
 * Reads the instant (epoch ms) after which the endpoint accepts requests again, from
 * `x-ratelimit-reset` (Auth0: epoch seconds) and `Retry-After` (RFC 9110 §10.2.3: delay
 * seconds or an HTTP-date). When both are present the later instant wins; `undefined` when
 * neither is present or parsable.
 *
 * @example
 * ```ts
 * const headers = new Headers({ 'retry-after': '30' });
 * retryAtFromHeaders(headers, 1_700_000_000_000); // 1_700_000_030_000
 * ```
 */
export function retryAtFromHeaders(headers: Headers, nowMs: number): number | undefined {
  const candidates = [
    fromRateLimitReset(headers.get('x-ratelimit-reset'), nowMs),
    fromRetryAfter(headers.get('retry-after'), nowMs),
  ].filter((instant): instant is number => instant !== undefined);
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}

function fromRateLimitReset(value: string | null, nowMs: number): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  const seconds = Number(value);
  // Auth0 sends epoch seconds; some gateways send seconds-until-reset under the same name.
  return seconds >= SMALLEST_EPOCH_SECONDS ? Math.round(seconds * 1000) : nowMs + seconds * 1000;
}

function fromRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return nowMs + Number(trimmed) * 1000;
  // An HTTP-date (IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse reads it.
  const instant = Date.parse(trimmed);
  return Number.isNaN(instant) ? undefined : instant;
}
