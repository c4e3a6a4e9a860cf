/**
 * Builds one container's cache for the `shared` strategies: the library's `createTokenCache`
 * with the Auth0 source pointed at the stack's IdP and the given store, configured with the
 * run's (compressed) timing.
 */
import {
  auth0ClientCredentials,
  createTokenCache,
  type FetchFunction,
  type SharedStore,
  type TokenCacheListener,
} from '@token-cache/core';
import { authorizedFetch } from '@token-cache/core/fetch';
import type { BenchStack } from '../bench-stack.js';
import type { CrashSwitch } from '../crash-switch.js';
import type { TimingProfile } from '../timing.js';
import type { SimulatedContainer } from './types.js';

/**
 * A store whose calls go through a crash switch: once the container dies, nothing it started
 * reaches the store or comes back (so its lease is never released).
 *
 * @example
 * ```ts
 * const store = gatedStore(new SsmStore({ parameterName, client }), crash);
 * ```
 */
export function gatedStore(store: SharedStore, crash: CrashSwitch): SharedStore {
  const gated: SharedStore = {
    description: store.description,
    maxValueLength: store.maxValueLength,
    supportsCompareAndSet: store.supportsCompareAndSet,
    get: (key, options) => crash.gate(() => store.get(key, options)),
    create: (key, value, options) => crash.gate(() => store.create(key, value, options)),
    put: (key, value, options) => crash.gate(() => store.put(key, value, options)),
    delete: (key, options) => crash.gate(() => store.delete(key, options)),
  };
  // An optional capability passes through as it is: the cache picks its lease by it.
  const overwrite = store.overwrite?.bind(store);
  if (overwrite) {
    gated.overwrite = (key, value, options) => crash.gate(() => overwrite(key, value, options));
  }
  return gated;
}

/** What one shared-strategy container is made of. */
export interface SharedContainerParts {
  readonly stack: BenchStack;
  readonly timing: TimingProfile;
  readonly store: SharedStore;
  readonly crash: CrashSwitch;
  readonly crashAfterEndpointResponse: boolean;
  /** Receives the cache's events. */
  readonly onEvent: TokenCacheListener;
  /** Releases the container's SDK client. */
  readonly dispose: () => void;
  /** How far this container's clock is ahead of the true time (negative: behind), ms. */
  readonly clockSkewMs?: number;
}

/**
 * One container of a `shared` strategy.
 *
 * @example
 * ```ts
 * const container = sharedContainer({ stack, timing, store, crash: NO_CRASH, crashAfterEndpointResponse: false, dispose });
 * ```
 */
export function sharedContainer(parts: SharedContainerParts): SimulatedContainer {
  const { stack, timing, crash } = parts;
  const crashingFetch: FetchFunction = (input, init) =>
    crash.gate(async () => {
      const response = await fetch(input, init);
      if (!parts.crashAfterEndpointResponse) return response;
      await response.arrayBuffer(); // the token reached the container, which then dies
      crash.crash();
      return response;
    });
  const skewMs = parts.clockSkewMs ?? 0;
  const cache = createTokenCache({
    source: auth0ClientCredentials({
      domain: stack.url,
      clientId: stack.client.clientId,
      clientSecret: stack.client.clientSecret,
      audience: stack.client.audience,
      fetch: crashingFetch,
    }),
    store: gatedStore(parts.store, crash),
    refreshWindowMs: timing.refreshWindowMs,
    minRemainingMs: timing.minRemainingMs,
    leaseMs: timing.leaseMs,
    deadlineMs: timing.deadlineMs,
    errorBackoffMs: timing.errorBackoffMs,
    maxBackoffMs: timing.maxBackoffMs,
    tuning: { maxClockSkewMs: timing.maxClockSkewMs },
    // Only the cache's clock is skewed: the SDK signs with the real one, as the stack checks.
    ...(skewMs === 0 ? {} : { clock: () => Date.now() + skewMs }),
    onEvent: parts.onEvent,
  });
  // The harness measures expiries on the true clock; the cache computed them on its own.
  const trueTime = (token: { accessToken: string; expiresAt: number }) =>
    skewMs === 0 ? token : { accessToken: token.accessToken, expiresAt: token.expiresAt - skewMs };
  // A handler calls the API the way the library offers: a refused token is replaced once, and a
  // brand-new token refused too is reported to the fleet (`reportRefused`).
  const apiFetch = authorizedFetch(cache);
  return {
    getToken: async () => trueTime(await cache.getToken()),
    refreshNow: async () => trueTime((await cache.refresh({ force: true })).token),
    callApi: (url) => apiFetch(url),
    dispose: parts.dispose,
  };
}
