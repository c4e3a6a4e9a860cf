/**
 * Fixtures for the fleet integration tests: the local stack on loopback, a real AWS SDK SSM
 * client per "container", and the Auth0 client-credentials source over real HTTP.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { DEFAULT_CLIENT, type LocalStack, start } from '@token-cache/local-stack';
import { createTokenCache, type TokenCache, type TokenCacheOptions } from '../../src/cache.js';
import type { TokenCacheEvent } from '../../src/events.js';
import { auth0ClientCredentials } from '../../src/sources/auth0.js';
import { SsmStore } from '../../src/stores/ssm-store.js';

let parameterCounter = 0;

/** A stack on a free loopback port; SSM unthrottled unless the test asks. */
export function startFleetStack(ssm = { readsPerSecond: 0, writesPerSecond: 0 }) {
  return start({ port: 0, host: '127.0.0.1', ssm });
}

/** A parameter name of its own per test, so tests never share a token. */
export function freshParameterName(label: string): string {
  parameterCounter += 1;
  return `/vwc/test/fleet-${label}-${process.pid}-${parameterCounter}`;
}

/** One SSM store per container, each with its own SDK client (one attempt: our retries rule). */
export function ssmStoreFor(stack: LocalStack, parameterName: string): SsmStore {
  const client = new SSMClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return new SsmStore({ parameterName, client });
}

/** Builds `count` containers sharing one parameter; events are tagged with the container. */
export function fleetOf(
  stack: LocalStack,
  parameterName: string,
  count: number,
  options: Partial<TokenCacheOptions> = {},
): { caches: TokenCache[]; events: Array<TokenCacheEvent & { container: number }> } {
  const events: Array<TokenCacheEvent & { container: number }> = [];
  const caches = Array.from({ length: count }, (_, container) =>
    createTokenCache({
      source: auth0ClientCredentials({
        domain: stack.url,
        clientId: DEFAULT_CLIENT.clientId,
        clientSecret: DEFAULT_CLIENT.clientSecret,
        audience: DEFAULT_CLIENT.audience,
      }),
      store: ssmStoreFor(stack, parameterName),
      ownerId: `container-${container}`,
      onEvent: (event) => events.push({ ...event, container }),
      ...options,
    }),
  );
  return { caches, events };
}

/** Calls the stack's JWT-protected API with a token: the real verifier judges it. */
export async function apiAccepts(stack: LocalStack, accessToken: string): Promise<boolean> {
  const response = await fetch(`${stack.url}/vehicles/v-1/overview`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await response.arrayBuffer();
  return response.status === 200;
}

/** Polls a condition on the real clock (for an event in another "container"), bounded. */
export async function eventually(condition: () => boolean, what: string, limitMs = 10_000) {
  const giveUpAt = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
