/**
 * The seed's `get_vehicle_overview` Lambda: API Gateway `GET /vehicles/{id}/overview`. It
 * calls the protected vehicle API (`VEHICLE_API_URL`) with the fleet's shared Auth0 token
 * from `getAuth0Token()` and returns the API's answer.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { ConfigError, TokenCacheError, type TokenSource } from '@token-cache/core';
import { authorizedFetch, requireSecureUrl } from '@token-cache/core/fetch';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { getAuth0Token } from '../lib/auth0.js';
import { errorFields, type HandlerLog, jsonLineLog } from './handler-log.js';
import {
  DEFAULT_MARGIN_MS,
  InvocationBudget,
  type InvocationContext,
} from './invocation-budget.js';

/** Environment variable holding the vehicle API's base URL. */
export const VEHICLE_API_URL_VARIABLE = 'VEHICLE_API_URL';

/**
 * Default time the vehicle API gets to answer, counted from when the token is in hand; the
 * token gets what the invocation has left minus this and a margin.
 */
export const DEFAULT_API_TIMEOUT_MS = 5_000;

/** Vehicle ids are opaque, URL-safe identifiers (MongoDB ObjectIds, VINs, slugs). */
const VEHICLE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What the handler needs; every edge is injectable. */
export interface GetVehicleOverviewOptions {
  /** Base URL of the protected API, e.g. `https://api.example.com/v1`. */
  readonly apiBaseUrl: string;
  /**
   * Supplies the bearer token; default `getAuth0Token` (memory → SSM → Auth0). Called with
   * `forceRefresh` after the API refused a token, to obtain a different one, and with a
   * `signal` that aborts when the invocation's budget for the token is spent.
   */
  readonly getToken?: (options?: TokenRequest) => Promise<string>;
  readonly fetch?: typeof fetch;
  /** How long the API may take once the token is in hand (default 5,000 ms). */
  readonly timeoutMs?: number;
  /** Time kept back at the end of the invocation to log and answer (default 1,000 ms). */
  readonly marginMs?: number;
  readonly log?: HandlerLog;
}

/** What the handler asks its token getter for. */
export interface TokenRequest {
  /** The API refused the current token: obtain a different one. */
  readonly forceRefresh?: boolean;
  /** Aborts, with a `TokenUnavailableError` naming the budget, when the token may take no longer. */
  readonly signal?: AbortSignal;
}

/**
 * The handler's signature: an API Gateway proxy integration. Without a Lambda `context` (a
 * test, a script) only the token cache's own deadline bounds the token.
 */
export type GetVehicleOverviewHandler = (
  event: Pick<APIGatewayProxyEvent, 'pathParameters'>,
  context?: InvocationContext,
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  // The current invocation's budget, for the token getter and the API requests that
  // authorizedFetch makes on its behalf (it is shared by every invocation of the container).
  const budgets = new AsyncLocalStorage<InvocationBudget>();
  // Adds the bearer header and, when the API answers 401 (a revoked token, a rotated client or
  // signing key), obtains a different token and retries once; it never mints another token for
  // an API that refuses a brand-new one too, so a misconfigured audience can't drain the quota.
  const apiFetch = authorizedFetch(bearerSource(getToken, budgets), {
    // Each API request's timeout starts when it is sent, i.e. with the token in hand.
    fetch: (input, init) =>
      send(input, {
        ...init,
        signal: budgets.getStore()?.apiSignal() ?? AbortSignal.timeout(timeoutMs),
      }),
  });
  const log = options.log ?? jsonLineLog;

  return async (event, context) => {
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
    const budget = new InvocationBudget(context, timeoutMs, marginMs);
    try {
      response = await budgets.run(budget, () =>
        apiFetch(url, { headers: { accept: 'application/json' } }),
      );
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
    } finally {
      budget.dispose();
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
export const handler: GetVehicleOverviewHandler = async (event, context) => {
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
  return fromEnvironment(event, context);
};

/**
 * The token getter as a `TokenSource` for `authorizedFetch`, which only reads `accessToken`.
 * The getter gets the invocation's token deadline, not the request's signal: the API timeout
 * only starts once the token is in hand.
 */
function bearerSource(
  getToken: (options?: TokenRequest) => Promise<string>,
  budgets: AsyncLocalStorage<InvocationBudget>,
): TokenSource {
  return {
    async getToken(options) {
      const signal = budgets.getStore()?.tokenSignal;
      const request: TokenRequest = {
        ...(options?.forceRefresh ? { forceRefresh: true } : {}),
        ...(signal ? { signal } : {}),
      };
      const accessToken = await getToken(Object.keys(request).length > 0 ? request : undefined);
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
