/**
 * The seed's `get_vehicle_overview` Lambda: API Gateway `GET /vehicles/{id}/overview`. It
 * calls the protected vehicle API (`VEHICLE_API_URL`) with the fleet's shared Auth0 token
 * from `getAuth0Token()` and returns the API's answer.
 */

import {
  authorizedFetch,
  ConfigError,
  requireSecureUrl,
  TokenCacheError,
  type TokenSource,
} from '@token-cache/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { getAuth0Token } from '../lib/auth0.js';
import { errorFields, type HandlerLog, jsonLineLog } from './handler-log.js';

/** Environment variable holding the vehicle API's base URL. */
export const VEHICLE_API_URL_VARIABLE = 'VEHICLE_API_URL';

/** Default time the vehicle API gets to answer; the Lambda's timeout (20 s) covers token + call. */
export const DEFAULT_API_TIMEOUT_MS = 5_000;

/** Vehicle ids are opaque, URL-safe identifiers (MongoDB ObjectIds, VINs, slugs). */
const VEHICLE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What the handler needs; every edge is injectable. */
export interface GetVehicleOverviewOptions {
  /** Base URL of the protected API, e.g. `https://api.example.com/v1`. */
  readonly apiBaseUrl: string;
  /**
   * Supplies the bearer token; default `getAuth0Token` (memory → SSM → Auth0). Called with
   * `forceRefresh` after the API refused a token, to obtain a different one.
   */
  readonly getToken?: (options?: { forceRefresh?: boolean }) => Promise<string>;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly log?: HandlerLog;
}

/** The handler's signature: an API Gateway proxy integration. */
export type GetVehicleOverviewHandler = (
  event: Pick<APIGatewayProxyEvent, 'pathParameters'>,
) => Promise<APIGatewayProxyResult>;

/**
 * Builds the handler. The API base URL must be https (http only on a loopback host, for local
 * runs): the request carries a bearer token (RFC 6750 §5.3).
 *
 * @example
 * ```ts
 * const handler = createGetVehicleOverviewHandler({ apiBaseUrl: 'https://api.example.com' });
 * await handler({ pathParameters: { id: 'v-42' } }); // { statusCode: 200, body: '{...}' }
 * ```
 */
export function createGetVehicleOverviewHandler(
  options: GetVehicleOverviewOptions,
): GetVehicleOverviewHandler {
  const base = requireSecureUrl(options.apiBaseUrl, VEHICLE_API_URL_VARIABLE);
  const getToken = options.getToken ?? getAuth0Token;
  // Adds the bearer header and, when the API answers 401 (a revoked token, a rotated client or
  // signing key), obtains a different token and retries once; it never mints another token for
  // an API that refuses a brand-new one too, so a misconfigured audience can't drain the quota.
  const apiFetch = authorizedFetch(
    bearerSource(getToken),
    options.fetch ? { fetch: options.fetch } : {},
  );
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  const log = options.log ?? jsonLineLog;

  return async (event) => {
    const vehicleId = event.pathParameters?.id ?? event.pathParameters?.vehicleId;
    if (vehicleId === undefined || !VEHICLE_ID.test(vehicleId)) {
      return json(400, {
        message: 'The path parameter "id" must be 1-64 letters, digits, "-" or "_".',
      });
    }

    const url = new URL(
      `vehicles/${encodeURIComponent(vehicleId)}/overview`,
      withTrailingSlash(base),
    );
    let response: Response;
    try {
      response = await apiFetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof TokenCacheError) {
        // TokenUnavailableError / ConfigError: the library names the cause, never the secret.
        log({
          level: 'error',
          message: 'no bearer token for the vehicle API',
          ...errorFields(error),
        });
        return json(503, { message: 'The vehicle service is temporarily unavailable.' });
      }
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      log({ level: 'error', message: 'vehicle API unreachable', timedOut, ...errorFields(error) });
      return json(timedOut ? 504 : 502, { message: 'The vehicle API did not answer.' });
    }

    const body = await response.text();
    if (response.status === 401 || response.status === 403) {
      // Our token was refused even after a retry with a different one: a configuration problem
      // (audience, grant), not the caller's fault. The body may echo details, so it is not passed through.
      log({
        level: 'error',
        message: 'vehicle API refused the bearer token',
        status: response.status,
      });
      return json(502, { message: 'The vehicle API refused the service credentials.' });
    }
    if (response.status >= 500) {
      log({ level: 'warn', message: 'vehicle API failed', status: response.status });
      return json(502, { message: 'The vehicle API failed.' });
    }
    return {
      statusCode: response.status,
      headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' },
      body,
    };
  };
}

let fromEnvironment: GetVehicleOverviewHandler | undefined;

/**
 * The Lambda entry point (`index.handler` in the bundle), configured from `VEHICLE_API_URL`
 * and the token cache's variables. Built on the first invocation and kept for the container.
 *
 * @example
 * ```ts
 * // VEHICLE_API_URL=https://api.example.com, AWS_SECRET_ID=..., AUTH0_TOKEN_PARAMETER_NAME=...
 * const result = await handler({ pathParameters: { id: 'v-42' } });
 * ```
 */
export const handler: GetVehicleOverviewHandler = async (event) => {
  if (!fromEnvironment) {
    const apiBaseUrl = process.env[VEHICLE_API_URL_VARIABLE]?.trim();
    if (!apiBaseUrl) {
      const error = new ConfigError(
        VEHICLE_API_URL_VARIABLE,
        'the base URL of the vehicle API, e.g. https://api.example.com',
      );
      jsonLineLog({ level: 'error', message: 'misconfigured', ...errorFields(error) });
      return json(500, { message: 'The vehicle service is misconfigured.' });
    }
    try {
      fromEnvironment = createGetVehicleOverviewHandler({ apiBaseUrl });
    } catch (error) {
      jsonLineLog({ level: 'error', message: 'misconfigured', ...errorFields(error) });
      return json(500, { message: 'The vehicle service is misconfigured.' });
    }
  }
  return fromEnvironment(event);
};

/**
 * The token getter as a `TokenSource` for `authorizedFetch`, which only reads `accessToken`.
 * The getter takes no signal: getting a token has its own deadline, separate from the API's
 * timeout.
 */
function bearerSource(
  getToken: (options?: { forceRefresh?: boolean }) => Promise<string>,
): TokenSource {
  return {
    async getToken(options) {
      const accessToken = await getToken(
        options?.forceRefresh ? { forceRefresh: true } : undefined,
      );
      return { accessToken, tokenType: 'Bearer', expiresAt: Number.POSITIVE_INFINITY };
    },
  };
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** `new URL('x', base)` drops the base's last path segment unless it ends with "/". */
function withTrailingSlash(url: URL): URL {
  const copy = new URL(url);
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}
