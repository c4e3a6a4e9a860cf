/**
 * What an injected failure looks like on the wire, per kind of endpoint: AWS JSON 1.1 error
 * shapes for SSM and Secrets Manager, Auth0's OAuth error bodies for the IdP, API Gateway's
 * `{"message": ...}` for the protected API. `reset` and `hang` have no reply: the pipeline
 * destroys the socket or never answers.
 */
import { AwsError, awsErrorReply } from './aws-json.js';
import type { FaultKind } from './contract.js';
import { jsonReply, type Reply } from './http.js';
import { rateLimitHeaders } from './idp/rate-limit.js';

/** The wire dialect of an endpoint. */
export type Dialect = 'aws' | 'idp' | 'api';

/** A body that is not JSON, for the `malformed` fault. */
export const MALFORMED_BODY = '{"this is": not json <html>';

function awsFault(kind: FaultKind, operation: string): Reply {
  switch (kind) {
    case 'http-500':
      return awsErrorReply(new AwsError('InternalServerError', 'An internal error occurred.', 500));
    case 'http-503':
      return awsErrorReply(new AwsError('ServiceUnavailable', 'Service Unavailable', 503));
    case 'throttle':
      return awsErrorReply(new AwsError('ThrottlingException', 'Rate exceeded'));
    case 'rate-limit-429':
      return awsErrorReply(new AwsError('ThrottlingException', 'Rate exceeded', 429));
    case 'too-many-updates':
      return awsErrorReply(new AwsError('TooManyUpdates', ''));
    case 'access-denied':
    case 'unauthorized':
      return awsErrorReply(
        new AwsError(
          'AccessDeniedException',
          `User: arn:aws:iam::000000000000:user/local is not authorized to perform: ${operation} because no identity-based policy allows the ${operation} action`,
        ),
      );
    default:
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: MALFORMED_BODY,
      };
  }
}

/** Per-rule details of a reply. */
export interface FaultReplyDetails {
  /** The IdP's `x-ratelimit-reset` on a 429, epoch seconds (default one second from now). */
  readonly rateLimitResetEpochSeconds?: number;
}

function idpFault(kind: FaultKind, nowMs: number, details: FaultReplyDetails): Reply {
  switch (kind) {
    case 'http-500':
      return jsonReply(500, { error: 'server_error', error_description: 'Internal Server Error' });
    case 'http-503':
      return jsonReply(503, {
        error: 'temporarily_unavailable',
        error_description: 'Service Unavailable',
      });
    case 'access-denied':
    case 'unauthorized':
      return jsonReply(401, { error: 'access_denied', error_description: 'Unauthorized' });
    case 'throttle':
    case 'rate-limit-429':
    case 'too-many-updates':
      return jsonReply(
        429,
        { error: 'too_many_requests', error_description: 'Global limit has been reached' },
        rateLimitHeaders({
          limit: 30,
          remaining: 0,
          resetEpochSeconds: details.rateLimitResetEpochSeconds ?? Math.ceil(nowMs / 1000) + 1,
        }),
      );
    default:
      return { status: 200, headers: { 'content-type': 'application/json' }, body: MALFORMED_BODY };
  }
}

function apiFault(kind: FaultKind): Reply {
  switch (kind) {
    case 'http-500':
      return jsonReply(500, { message: 'Internal Server Error' });
    case 'http-503':
      return jsonReply(503, { message: 'Service Unavailable' });
    case 'access-denied':
      return jsonReply(403, { message: 'Forbidden' });
    case 'unauthorized':
      // What API Gateway's JWT authorizer answers for a token it does not accept.
      return jsonReply(401, { message: 'Unauthorized' });
    case 'throttle':
    case 'rate-limit-429':
    case 'too-many-updates':
      return jsonReply(429, { message: 'Too Many Requests' });
    default:
      return { status: 200, headers: { 'content-type': 'application/json' }, body: MALFORMED_BODY };
  }
}

/**
 * The reply for an injected failure (not `reset`/`hang`).
 *
 * @example
 * ```ts
 * faultReply('aws', 'throttle', 'ssm:GetParameter', Date.now()); // 400 ThrottlingException
 * ```
 */
export function faultReply(
  dialect: Dialect,
  kind: FaultKind,
  operation: string,
  nowMs: number,
  details: FaultReplyDetails = {},
): Reply {
  if (dialect === 'aws') return awsFault(kind, operation);
  if (dialect === 'idp') return idpFault(kind, nowMs, details);
  return apiFault(kind);
}
