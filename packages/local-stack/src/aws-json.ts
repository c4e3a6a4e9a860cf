/**
 * The AWS JSON 1.1 protocol as SSM and Secrets Manager speak it: `POST /` with
 * `X-Amz-Target: <Service>.<Operation>`, a JSON body, and errors as
 * `{"__type": "<Name>", "message": "..."}` (HTTP 400 for client errors, 5xx for server errors).
 * See the Smithy "AWS JSON 1.1 protocol" spec, section "Operation error serialization".
 */
import { randomUUID } from 'node:crypto';
import type { Reply } from './http.js';

/** Content type of every AWS JSON 1.1 request and response. */
export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Account id used in every ARN the stack returns. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * An error an AWS service answers with. `type` is the error shape's name in the service model.
 *
 * @example
 * ```ts
 * throw new AwsError('ParameterNotFound', '', 400);
 * ```
 */
export class AwsError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = 'AwsError';
    this.type = type;
    this.status = status;
  }
}

/**
 * Builds a successful AWS JSON 1.1 reply.
 *
 * @example
 * ```ts
 * awsReply({ Version: 1, Tier: 'Standard' });
 * ```
 */
export function awsReply(body: unknown, status = 200): Reply {
  return {
    status,
    headers: { 'content-type': AWS_JSON_CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}

/**
 * Builds an AWS JSON 1.1 error reply. The type goes in both `__type` and the
 * `x-amzn-errortype` header, where SDKs look for it.
 *
 * @example
 * ```ts
 * awsErrorReply(new AwsError('ThrottlingException', 'Rate exceeded'));
 * ```
 */
export function awsErrorReply(error: AwsError): Reply {
  return {
    status: error.status,
    headers: {
      'content-type': AWS_JSON_CONTENT_TYPE,
      'x-amzn-requestid': randomUUID(),
      'x-amzn-errortype': error.type,
    },
    // AWS omits `message` for some errors (ParameterNotFound, TooManyUpdates answer exactly
    // `{"__type":"TooManyUpdates"}`), so an empty message is left out too.
    body: JSON.stringify(
      error.message === ''
        ? { __type: error.type }
        : { __type: error.type, message: error.message },
    ),
  };
}

/** The credential scope of a verified SigV4 request (see `sigv4.ts`). */
export interface SigV4Credential {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

/**
 * Splits an `X-Amz-Target` header into service prefix and operation.
 *
 * @example
 * ```ts
 * parseTarget('AmazonSSM.GetParameter'); // { prefix: 'AmazonSSM', operation: 'GetParameter' }
 * ```
 */
export function parseTarget(
  target: string | undefined,
): { prefix: string; operation: string } | undefined {
  if (target === undefined) return undefined;
  const dot = target.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}
