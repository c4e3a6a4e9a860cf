/**
 * Turns any error into what the CLI reports: an exit code from {@link EXIT_CODES} and a message
 * naming the variable or flag at fault. Messages come from the library's typed errors, which
 * never carry a token or a secret; the output layer redacts them again regardless.
 */
import {
  ConfigError,
  StoreError,
  TokenCacheError,
  TokenEndpointError,
} from '@token-cache/core/internal';
import { CommanderError } from 'commander';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';

/** A failure as printed: `--json` prints these fields under `error`. */
export interface CliFailure {
  readonly exitCode: ExitCode;
  /** The library's error code (`CONFIG_INVALID`, `STORE_ERROR`, ...) or `USAGE`/`INTERNAL`. */
  readonly code: string;
  readonly message: string;
  /** The environment variable (or flag) at fault, for configuration errors. */
  readonly variable?: string;
  /** For store errors: the kind (`access-denied`, `timeout`, ...) and the operation. */
  readonly kind?: string;
  readonly operation?: string;
  /** For endpoint errors: the HTTP status and the RFC 6749 `error`. */
  readonly status?: number;
  readonly error?: string;
}

/**
 * Classifies `error`. `flagFor` maps an environment variable to the flag that set it in this run,
 * so a bad `--parameter-name` is reported as such rather than as its variable.
 *
 * @example
 * ```ts
 * describeFailure(new ConfigError('AWS_REGION', 'a region'), () => '--region');
 * // { exitCode: 2, code: 'CONFIG_INVALID', message: '--region: AWS_REGION must be a region', ... }
 * ```
 */
export function describeFailure(
  error: unknown,
  flagFor: (variable: string) => string | undefined = () => undefined,
): CliFailure {
  if (error instanceof CommanderError) {
    return {
      exitCode: EXIT_CODES.usage,
      code: 'USAGE',
      message: error.message.replace(/^error: /, ''),
    };
  }
  if (error instanceof ConfigError) {
    const flag = flagFor(error.variable);
    return {
      exitCode: EXIT_CODES.usage,
      code: error.code,
      message: flag ? `${flag}: ${error.message}` : error.message,
      variable: flag ?? error.variable,
    };
  }
  const store = findInChain(error, StoreError);
  const endpoint = findInChain(error, TokenEndpointError);
  // The outermost typed cause decides: a TokenUnavailableError wraps what actually failed.
  if (endpoint && (!store || depthOf(error, endpoint) <= depthOf(error, store))) {
    return {
      exitCode: EXIT_CODES.endpoint,
      code: endpoint.code,
      message: messageOf(error, endpoint),
      ...(endpoint.status === undefined ? {} : { status: endpoint.status }),
      ...(endpoint.error === undefined ? {} : { error: endpoint.error }),
    };
  }
  if (store) {
    return {
      exitCode: EXIT_CODES.store,
      code: store.code,
      message: messageOf(error, store),
      kind: store.kind,
      operation: store.operation,
    };
  }
  if (error instanceof TokenCacheError) {
    return {
      exitCode: EXIT_CODES.failure,
      code: error.code,
      message: withNetworkCode(error.message, error),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: EXIT_CODES.failure,
    code: 'INTERNAL',
    message: withNetworkCode(message, error),
  };
}

/**
 * The SDK reports a refused connection as an `Error` with an empty message and a `code`;
 * naming the code (ECONNREFUSED, ENOTFOUND, ...) is what tells an operator what happened.
 */
function withNetworkCode(message: string, error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 10; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      return message.includes(code) ? message : `${message} (${code})`;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return message;
}

/** The outer message, plus the cause's when the outer one does not already include it. */
function messageOf(outer: unknown, cause: Error): string {
  if (outer === cause || !(outer instanceof Error)) return cause.message;
  return outer.message.includes(cause.message)
    ? outer.message
    : `${outer.message}: ${cause.message}`;
}

function findInChain<T extends Error>(
  error: unknown,
  type: abstract new (...args: never[]) => T,
): T | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 10; depth += 1) {
    if (current instanceof type) return current;
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const found = findInChain(inner, type);
        if (found) return found;
      }
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

function depthOf(error: unknown, target: unknown): number {
  let depth = 0;
  for (let current: unknown = error; current && depth < 10; depth += 1) {
    if (current === target) return depth;
    current = current instanceof Error ? current.cause : undefined;
  }
  return depth;
}
