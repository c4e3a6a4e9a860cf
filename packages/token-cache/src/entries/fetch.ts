/**
 * `@token-cache/core/fetch`: `fetch` with the bearer token (one retry with a different token on
 * a 401), and the check that keeps a bearer token off plain HTTP.
 */
export type { AuthorizedFetchOptions } from '../integrations/authorized-fetch.js';
export { authorizedFetch } from '../integrations/authorized-fetch.js';
export { isLoopbackHost, requireSecureUrl } from '../sources/endpoint-url.js';
