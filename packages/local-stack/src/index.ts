/**
 * `@token-cache/local-stack`: offline SSM, Secrets Manager, an Auth0-compatible token endpoint
 * and a JWT-protected API on one port, speaking the real wire protocols, with fault injection
 * and counters.
 *
 * @example
 * ```ts
 * import { start } from '@token-cache/local-stack';
 * const stack = await start();
 * process.env = { ...process.env, ...stack.env };
 * ```
 */
export type {
  Counters,
  FaultKind,
  FaultSpec,
  Faults,
  FaultTarget,
  LocalAwsCredential,
  LocalClient,
  LocalStack,
  LocalStackOptions,
} from './contract.js';
export { DEFAULT_AWS_CREDENTIALS, DEFAULT_CLIENT } from './contract.js';
export { LOCAL_REGION, stackEnv } from './env.js';
export { FAULT_KINDS } from './faults.js';
export { DEFAULT_CLIENT_REGISTRATION } from './options.js';
export { start } from './start.js';
