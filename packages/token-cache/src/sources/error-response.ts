/**
 * Turns a non-2xx token-endpoint response into a `TokenEndpointError` carrying the HTTP status,
 * the RFC 6749 §5.2 `error` / `error_description` and when to retry (Go's `RetrieveError`).
 */
import { TokenEndpointError } from '../errors.js';
import { retryAtFromHeaders } from './retry-at.js';

/** RFC 6749 §5.2: `error` and `error_description` use %x20-21 / %x23-5B / %x5D-7E only. */
const ERROR_FIELD_CHARS = /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/;
const MAX_ERROR_LENGTH = 64;
const MAX_DESCRIPTION_LENGTH = 300;

/**
 * Builds the error for an unsuccessful response. `secrets` are removed from anything the
 * server echoed back (a misbehaving server could repeat the client secret in its description).
 *
 * @example
 * ```ts
 * const error = endpointErrorFromResponse(
 *   { status: 429, headers: new Headers({ 'x-ratelimit-reset': '1700000060' }), bodyText: '{"error":"too_many_requests"}' },
 *   { nowMs: Date.now(), secrets: [clientSecret] },
 * );
 * error.retryAt; // 1_700_000_060_000
 * ```
 */
export function endpointErrorFromResponse(
  response: { readonly status: number; readonly headers: Headers; readonly bodyText: string },
  context: { readonly nowMs: number; readonly secrets: readonly string[] },
): TokenEndpointError {
  const { error, errorDescription } = readErrorFields(response.bodyText, context.secrets);
  const retryAt = retryAtFromHeaders(response.headers, context.nowMs);
  const parts = [`The token endpoint answered HTTP ${response.status}`];
  if (error !== undefined) parts.push(`error "${error}"`);
  if (errorDescription !== undefined) parts.push(`"${errorDescription}"`);
  if (retryAt !== undefined) parts.push(`retry after ${new Date(retryAt).toISOString()}`);
  if (response.status >= 300 && response.status < 400) {
    // Following a redirect would re-send the client secret to wherever it points.
    parts.push('(redirects are not followed)');
  }
  return new TokenEndpointError('ENDPOINT_ERROR', parts.join(': '), {
    status: response.status,
    ...(error === undefined ? {} : { error }),
    ...(errorDescription === undefined ? {} : { errorDescription }),
    ...(retryAt === undefined ? {} : { retryAt }),
  });
}

function readErrorFields(
  bodyText: string,
  secrets: readonly string[],
): { error?: string; errorDescription?: string } {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return {}; // An HTML error page from a proxy, for instance: the status says enough.
  }
  if (typeof body !== 'object' || body === null) return {};
  const fields = body as Record<string, unknown>;
  return {
    ...optional('error', cleanField(fields.error, MAX_ERROR_LENGTH, secrets)),
    ...optional(
      'errorDescription',
      cleanField(fields.error_description, MAX_DESCRIPTION_LENGTH, secrets),
    ),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function cleanField(
  value: unknown,
  maxLength: number,
  secrets: readonly string[],
): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  let text = value;
  for (const secret of secrets) {
    if (secret.length > 0) text = text.split(secret).join('[redacted]');
  }
  if (!ERROR_FIELD_CHARS.test(text)) text = text.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
