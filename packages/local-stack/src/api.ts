/**
 * A JWT-protected API in the manner of API Gateway's HTTP API JWT authorizer: a bearer token is
 * accepted when its signature verifies against the IdP's JWKS, `iss` and `aud` match, and it has
 * not expired; anything else is 401 `{"message":"Unauthorized"}` (API Gateway developer guide,
 * "Controlling access to HTTP APIs with JWT authorizers").
 */
import { createLocalJWKSet, errors, type JWK, jwtVerify } from 'jose';
import type { MutableCounters } from './counters.js';
import { jsonReply, type Reply } from './http.js';

/** The route of the protected API. */
export const VEHICLE_OVERVIEW_PATH = /^\/vehicles\/([^/]+)\/overview$/;

/** What the API needs to verify tokens. */
export interface ProtectedApiOptions {
  readonly jwks: { keys: JWK[] };
  readonly issuer: string;
  readonly audience: () => string;
  readonly now: () => number;
  readonly counters: MutableCounters;
}

function unauthorized(description: string): Reply {
  // The description is generic on purpose: never echo the token back.
  return jsonReply(
    401,
    { message: 'Unauthorized' },
    { 'www-authenticate': `Bearer error="invalid_token" error_description="${description}"` },
  );
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not accepted`;
  return 'the token is not valid';
}

/**
 * Creates the handler of `GET /vehicles/:id/overview`.
 *
 * @example
 * ```ts
 * const api = createProtectedApi({ jwks, issuer, audience: () => aud, now: Date.now, counters });
 * const reply = await api('42', req.headers.authorization);
 * ```
 */
export function createProtectedApi(
  options: ProtectedApiOptions,
): (vehicleId: string, authorization: string | undefined) => Promise<Reply> {
  const keySet = createLocalJWKSet(options.jwks);
  return async (vehicleId, authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (match === null) {
      options.counters.increment('api.rejected');
      return unauthorized('a bearer token is required');
    }
    try {
      const { payload } = await jwtVerify(match[1] as string, keySet, {
        issuer: options.issuer,
        audience: options.audience(),
        algorithms: ['RS256'],
        currentDate: new Date(options.now()),
      });
      options.counters.increment('api.accepted');
      return jsonReply(200, {
        vehicleId: decodeURIComponent(vehicleId),
        status: 'parked',
        batteryPercent: 82,
        odometerKm: 12873,
        requestedBy: payload.sub,
      });
    } catch (error) {
      options.counters.increment('api.rejected');
      return unauthorized(describe(error));
    }
  };
}
