/**
 * `start()`: one local stack on one port, with SSM, Secrets Manager, an Auth0-compatible IdP,
 * a JWT-protected API, fault injection and counters.
 */
import type { LocalStack, LocalStackOptions } from './contract.js';
import { stackEnv } from './env.js';
import { resolveOptions } from './options.js';
import { listen } from './server.js';
import { createServices } from './services.js';

function formatUrl(host: string, port: number): string {
  // An IPv6 literal needs brackets in a URL; 0.0.0.0/:: are reachable through loopback.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Starts a local stack. Every option has a default; port 0 picks a free port.
 *
 * @example
 * ```ts
 * const stack = await start({ ssm: { readsPerSecond: 0, writesPerSecond: 0 } });
 * const ssm = new SSMClient({ endpoint: stack.url, region: 'us-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 * await stack.stop();
 * ```
 */
export async function start(options: LocalStackOptions = {}): Promise<LocalStack> {
  const resolved = resolveOptions(options);
  const server = await listen(resolved.host, resolved.port);
  try {
    const url = formatUrl(resolved.host, server.port);
    const services = await createServices(resolved, url);
    server.attach(services);
    return {
      url,
      port: server.port,
      issuer: services.issuer,
      tokenEndpoint: `${url}/oauth/token`,
      jwksUri: `${url}/.well-known/jwks.json`,
      env: stackEnv(url, resolved.clients[0], services.awsCredential),
      counters: services.counters,
      faults: services.faults,
      idp: {
        addClient: (client) => services.clients.add(client),
        revokeClient: (clientId) => services.clients.revoke(clientId),
        setExpiresIn(seconds) {
          if (!Number.isInteger(seconds) || seconds <= 0) {
            throw new TypeError(
              `"seconds" must be a positive integer, got ${JSON.stringify(seconds)}`,
            );
          }
          services.settings.expiresInSeconds = seconds;
        },
      },
      ssm: {
        setThrottle(rates) {
          if (rates.readsPerSecond !== undefined) services.ssm.reads.setRate(rates.readsPerSecond);
          if (rates.writesPerSecond !== undefined)
            services.ssm.writes.setRate(rates.writesPerSecond);
        },
      },
      reset: () => services.reset(),
      stop: () => server.close(),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
