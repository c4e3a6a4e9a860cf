/**
 * Maps a request to a route: which service handles it, under which counter and fault key, in
 * which wire dialect. Every service shares one origin, as with LocalStack: AWS JSON 1.1 on
 * `POST /` (told apart by `X-Amz-Target`), the IdP under `/oauth/token` and `/.well-known/`,
 * the protected API under `/vehicles/`, and the stack's own control API under `/_stack/`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { VEHICLE_OVERVIEW_PATH } from './api.js';
import { AwsError, awsErrorReply, awsReply, parseTarget } from './aws-json.js';
import { handleControl } from './control.js';
import type { Dialect } from './fault-replies.js';
import { jsonReply, parseJsonObject, type Reply } from './http.js';
import type { StackServices } from './services.js';

/** A resolved request. */
export interface Route {
  /** Counter incremented for the request, if any (`ssm.GetParameter`, `idp.token`, ...). */
  readonly counterKey?: string;
  /** Fault key (`ssm.GetParameter`, `idp.token`, `api`); absent for the control API. */
  readonly faultKey?: string;
  /** The parameter or secret the request is about, for name-specific faults. */
  readonly faultResource?: string;
  readonly dialect: Dialect;
  /** IAM-style action name for `access-denied` faults (`ssm:GetParameter`). */
  readonly action: string;
  handle(): Promise<Reply>;
  /** Called once the request is over, whatever happened. */
  release?(): void;
}

/** What the router reads from a request. */
export interface RequestInfo {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The body decoded as UTF-8, for the handlers. */
  readonly body: string;
  /** The body as received, for the SigV4 check. */
  readonly rawBody: Uint8Array;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Service prefixes of `X-Amz-Target`, with the counter/fault prefix and IAM namespace (for both
 * services also the SigV4 signing name a credential scope must carry).
 */
const AWS_SERVICES: Readonly<Record<string, { key: 'ssm' | 'secretsmanager'; iam: string }>> = {
  AmazonSSM: { key: 'ssm', iam: 'ssm' },
  secretsmanager: { key: 'secretsmanager', iam: 'secretsmanager' },
};

async function awsRoute(services: StackServices, request: RequestInfo): Promise<Route> {
  const target = parseTarget(header(request.headers, 'x-amz-target'));
  const service = target === undefined ? undefined : AWS_SERVICES[target.prefix];
  if (target === undefined || service === undefined) {
    return {
      dialect: 'aws',
      action: 'unknown',
      handle: async () => awsErrorReply(new AwsError('UnknownOperationException', '')),
    };
  }
  const operation = target.operation;
  const known =
    service.key === 'ssm'
      ? services.ssm.isOperation(operation)
      : services.secretsManager.isOperation(operation);
  const key = `${service.key}.${known ? operation : 'unknown'}`;
  // Authentication and parsing happen now, before faults and latency, so that an SSM write is
  // "in flight" from its arrival (a racing write sees it) — see ssm/service.ts.
  let prepared: { run(): Record<string, unknown>; release(): void } | AwsError;
  let resource: string | undefined;
  try {
    if (!known) throw new AwsError('UnknownOperationException', '');
    const credential = await services.verifySignature(request, service.iam);
    const input = parseJsonObject(request.body);
    if (input === undefined)
      throw new AwsError('SerializationException', 'Request body is not a JSON object');
    const name = input.Name ?? input.SecretId;
    if (typeof name === 'string') resource = name;
    prepared =
      service.key === 'ssm'
        ? services.ssm.begin(operation, input, credential)
        : {
            run: () => services.secretsManager.call(operation, input, credential),
            release: () => {},
          };
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    prepared = error;
  }
  return {
    counterKey: key,
    faultKey: key,
    ...(resource === undefined ? {} : { faultResource: resource }),
    dialect: 'aws',
    action: `${service.iam}:${operation}`,
    release: () => {
      if (!(prepared instanceof AwsError)) prepared.release();
    },
    async handle() {
      if (prepared instanceof AwsError) return awsErrorReply(prepared);
      try {
        return awsReply(prepared.run());
      } catch (error) {
        if (error instanceof AwsError) return awsErrorReply(error);
        throw error;
      }
    },
  };
}

/**
 * Resolves the route of a request.
 *
 * @example
 * ```ts
 * const route = await resolveRoute(services, { method: 'POST', path: '/oauth/token', query, headers, body, rawBody });
 * route.counterKey; // 'idp.token'
 * ```
 */
export async function resolveRoute(services: StackServices, request: RequestInfo): Promise<Route> {
  const { method, path, headers } = request;
  if (path.startsWith('/_stack/')) {
    return { dialect: 'api', action: 'control', handle: () => handleControl(services, request) };
  }
  if (method === 'POST' && path === '/' && header(headers, 'x-amz-target') !== undefined) {
    return awsRoute(services, request);
  }
  if (path === '/oauth/token') {
    return {
      counterKey: 'idp.token',
      faultKey: 'idp.token',
      dialect: 'idp',
      action: 'oauth/token',
      handle: async () =>
        method === 'POST'
          ? services.token(
              request.body,
              header(headers, 'content-type'),
              header(headers, 'authorization'),
            )
          : jsonReply(
              405,
              { error: 'invalid_request', error_description: 'Use POST' },
              { allow: 'POST' },
            ),
    };
  }
  if (method === 'GET' && path === '/.well-known/jwks.json') {
    return {
      counterKey: 'idp.jwks',
      faultKey: 'idp.jwks',
      dialect: 'idp',
      action: 'jwks',
      handle: async () => jsonReply(200, services.key.jwks),
    };
  }
  if (method === 'GET' && path === '/.well-known/openid-configuration') {
    return {
      counterKey: 'idp.discovery',
      dialect: 'idp',
      action: 'discovery',
      handle: async () =>
        jsonReply(200, {
          issuer: services.issuer,
          token_endpoint: `${services.url}/oauth/token`,
          jwks_uri: `${services.url}/.well-known/jwks.json`,
          grant_types_supported: ['client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
    };
  }
  const vehicle = VEHICLE_OVERVIEW_PATH.exec(path);
  if (method === 'GET' && vehicle !== null) {
    return {
      counterKey: 'api.requests',
      faultKey: 'api',
      dialect: 'api',
      action: 'api',
      handle: () => services.api(vehicle[1] as string, header(headers, 'authorization')),
    };
  }
  if (method === 'POST' && path === '/') {
    // JSON 1.1 without X-Amz-Target: AWS answers UnknownOperationException.
    return awsRoute(services, request);
  }
  return {
    dialect: 'api',
    action: 'none',
    handle: async () => jsonReply(404, { message: 'Not Found' }),
  };
}
