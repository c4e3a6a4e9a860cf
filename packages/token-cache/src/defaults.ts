/**
 * Every default the library applies, written once. The code's own defaults (the cache's
 * options, the stores' and sources' timeouts) and the configuration's (`CONFIG.md`, built from
 * `config/variables.ts`) are read from here, so the documented default is the one in force.
 */

/**
 * The defaults, with units in the names.
 *
 * @example
 * ```ts
 * DEFAULTS.deadlineMs; // 10_000: the overall bound on one getToken()
 * ```
 */
export const DEFAULTS = {
  /** The SSM parameter holding the shared token (the seed's name). */
  parameterName: '/vwc/dev/auth0-token-cache',
  /** Region when `AWS_REGION` is unset (the seed's). */
  region: 'us-west-2',
  /** A token is refreshed this long before it expires: the seed's 5-minute expiry buffer. */
  refreshWindowMs: 300_000,
  /** Below this remaining life a token is never handed out: the caller needs time to use it. */
  minRemainingMs: 30_000,
  /** The overall bound on one `getToken()`. */
  deadlineMs: 10_000,
  /** The refresh lease: longer than one endpoint call with its timeout and two store calls. */
  leaseMs: 15_000,
  /** One token request, connection to last byte (also the Secrets Manager read). */
  endpointTimeoutMs: 5_000,
  /** One shared-store call (SSM or DynamoDB): milliseconds normally, 2 s covers a cold TLS handshake. */
  storeTimeoutMs: 2_000,
  /** The cap on every back-off: five minutes. */
  maxBackoffMs: 300_000,
  /** The fleet-wide back-off after a configuration failure of the endpoint: one minute. */
  errorBackoffMs: 60_000,
  /** The cache's name, its `CacheName` metric dimension and log key. */
  name: 'default',
} as const;
