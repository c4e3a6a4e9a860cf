/**
 * The IdP's registered M2M clients and their client grants (Auth0: an application authorized
 * for an API, with the scopes granted).
 */
import { timingSafeEqual } from 'node:crypto';
import type { LocalClient } from '../contract.js';

/** The client registry. */
export interface ClientRegistry {
  add(client: LocalClient): void;
  revoke(clientId: string): void;
  /** The client if `clientSecret` is its current secret, else `undefined`. */
  authenticate(clientId: string, clientSecret: string): LocalClient | undefined;
  /** Every audience any client has a grant for (the "APIs" of the tenant). */
  audiences(): Set<string>;
  list(): LocalClient[];
}

function validateClient(client: LocalClient): void {
  if (typeof client?.clientId !== 'string' || client.clientId === '') {
    throw new TypeError('client "clientId" must be a non-empty string');
  }
  if (typeof client.clientSecret !== 'string' || client.clientSecret === '') {
    throw new TypeError(`client "${client.clientId}": "clientSecret" must be a non-empty string`);
  }
  if (!Array.isArray(client.grants) || client.grants.some((g) => typeof g?.audience !== 'string')) {
    throw new TypeError(
      `client "${client.clientId}": "grants" must be an array of { audience, scope? }`,
    );
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Creates a registry holding `initial` clients.
 *
 * @example
 * ```ts
 * const clients = createClientRegistry([DEFAULT_CLIENT_REGISTRATION]);
 * clients.authenticate('local-m2m-client', 'wrong'); // undefined
 * ```
 */
export function createClientRegistry(initial: readonly LocalClient[]): ClientRegistry {
  const clients = new Map<string, LocalClient>();
  const add = (client: LocalClient) => {
    validateClient(client);
    clients.set(client.clientId, { ...client, grants: client.grants.map((g) => ({ ...g })) });
  };
  for (const client of initial) add(client);
  return {
    add,
    revoke(clientId) {
      clients.delete(clientId);
    },
    authenticate(clientId, clientSecret) {
      const client = clients.get(clientId);
      return client !== undefined && sameSecret(client.clientSecret, clientSecret)
        ? client
        : undefined;
    },
    audiences() {
      return new Set([...clients.values()].flatMap((c) => c.grants.map((g) => g.audience)));
    },
    list() {
      return [...clients.values()];
    },
  };
}
