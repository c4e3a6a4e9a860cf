/**
 * The stack's HTTP control API under `/_stack/`, so other processes (the CLI's `dev` command,
 * spawned tests, the fleet benchmark) can read counters and drive faults and clients:
 *
 * | Method | Path | Effect |
 * |---|---|---|
 * | GET | `/_stack/health` | `{ "status": "ok" }` |
 * | GET | `/_stack/info` | URLs and the environment to use |
 * | GET / DELETE | `/_stack/counters` | snapshot / reset the counters |
 * | GET / POST / DELETE | `/_stack/faults` | list / set `{ target, ...spec }` / clear (`?target=`) |
 * | POST | `/_stack/reset` | clear data, counters, faults and IdP limits |
 * | POST | `/_stack/clients` | register `{ clientId, clientSecret, grants }` |
 * | POST | `/_stack/clients/:id/revoke` | revoke a client |
 * | POST | `/_stack/idp/expires-in` | `{ seconds }`: `expires_in` of new tokens |
 * | POST | `/_stack/ssm/throttle` | `{ readsPerSecond?, writesPerSecond? }` |
 */
import type { FaultSpec, LocalClient } from './contract.js';
import { stackEnv } from './env.js';
import { jsonReply, parseJsonObject, type Reply } from './http.js';
import { requireNonNegative } from './options.js';
import type { RequestInfo } from './router.js';
import type { StackServices } from './services.js';

function badRequest(message: string): Reply {
  return jsonReply(400, { error: 'bad_request', message });
}

/**
 * Applies a control request.
 *
 * @example
 * ```ts
 * await handleControl(services, { method: 'GET', path: '/_stack/counters', query, headers, body: '' });
 * ```
 */
export async function handleControl(services: StackServices, request: RequestInfo): Promise<Reply> {
  const { method, path } = request;
  const body = parseJsonObject(request.body);
  if (body === undefined) return badRequest('body must be a JSON object');
  try {
    return route(services, method, path, request.query, body);
  } catch (error) {
    if (error instanceof TypeError) return badRequest(error.message);
    throw error;
  }
}

function route(
  services: StackServices,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Record<string, unknown>,
): Reply {
  const revoke = /^\/_stack\/clients\/([^/]+)\/revoke$/.exec(path);
  switch (`${method} ${revoke === null ? path : '/_stack/clients/:id/revoke'}`) {
    case 'GET /_stack/health':
      return jsonReply(200, { status: 'ok' });
    case 'GET /_stack/info':
      return jsonReply(200, {
        url: services.url,
        issuer: services.issuer,
        tokenEndpoint: `${services.url}/oauth/token`,
        jwksUri: `${services.url}/.well-known/jwks.json`,
        env: stackEnv(services.url, services.clients.list()[0], services.awsCredential),
      });
    case 'GET /_stack/counters':
      return jsonReply(200, services.counters.snapshot());
    case 'DELETE /_stack/counters':
      services.counters.reset();
      return jsonReply(200, {});
    case 'GET /_stack/faults':
      return jsonReply(200, services.faults.list());
    case 'POST /_stack/faults': {
      const { target, ...spec } = body;
      services.faults.set(target as string, spec as FaultSpec);
      return jsonReply(200, services.faults.list());
    }
    case 'DELETE /_stack/faults':
      services.faults.clear(query.get('target') ?? undefined);
      return jsonReply(200, services.faults.list());
    case 'POST /_stack/reset':
      services.reset();
      return jsonReply(200, {});
    case 'POST /_stack/clients':
      services.clients.add(body as unknown as LocalClient);
      return jsonReply(200, { clientId: body.clientId });
    case 'POST /_stack/clients/:id/revoke':
      services.clients.revoke(decodeURIComponent(revoke?.[1] ?? ''));
      return jsonReply(200, {});
    case 'POST /_stack/idp/expires-in': {
      const seconds = requireNonNegative('seconds', body.seconds, true);
      if (seconds === 0) throw new TypeError('"seconds" must be a positive integer, got 0');
      services.settings.expiresInSeconds = seconds;
      return jsonReply(200, { seconds });
    }
    case 'POST /_stack/ssm/throttle': {
      if (body.readsPerSecond !== undefined) {
        services.ssm.reads.setRate(requireNonNegative('readsPerSecond', body.readsPerSecond));
      }
      if (body.writesPerSecond !== undefined) {
        services.ssm.writes.setRate(requireNonNegative('writesPerSecond', body.writesPerSecond));
      }
      return jsonReply(200, {
        readsPerSecond: services.ssm.reads.ratePerSecond,
        writesPerSecond: services.ssm.writes.ratePerSecond,
      });
    }
    default:
      return jsonReply(404, {
        error: 'not_found',
        message: `no control endpoint ${method} ${path}`,
      });
  }
}
