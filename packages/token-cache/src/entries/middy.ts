/**
 * `@token-cache/core/middy`: the token on a middy handler's context (no dependency on
 * `@middy/core`: a plain object with the middleware hooks).
 */
export type {
  MiddyRequestLike,
  TokenCacheContext,
  TokenCacheMiddleware,
  TokenCacheMiddlewareOptions,
} from '../integrations/middy-middleware.js';
export { tokenCacheMiddleware } from '../integrations/middy-middleware.js';
