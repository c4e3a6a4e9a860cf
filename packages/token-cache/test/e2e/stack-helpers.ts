/**
 * Shared helpers for the edge and end-to-end tests: a local stack on loopback with SSM's
 * throttling off, and real AWS SDK clients pointed at it.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  DEFAULT_AWS_CREDENTIALS,
  type LocalStack,
  type LocalStackOptions,
  start,
} from '@token-cache/local-stack';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  createTokenCacheFromEnv,
  type EnvTokenCache,
  type TokenCacheFromEnvOverrides,
} from '../../src/config/from-env.js';
import type { TokenCacheEvent } from '../../src/events.js';

/** The access key the local stack accepts (it verifies SigV4 signatures). */
const credentials = DEFAULT_AWS_CREDENTIALS;

/**
 * Starts a stack on a free loopback port with SSM throttling off (tests that want AWS's
 * 40 reads/s pass their own `ssm`).
 */
export function startStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return start({
    port: 0,
    host: '127.0.0.1',
    ssm: { readsPerSecond: 0, writesPerSecond: 0 },
    ...options,
  });
}

/**
 * One stack per test file: started before its tests, stopped after them, with faults and
 * counters cleared before each test so that every count a test asserts is its own.
 *
 * @example
 * ```ts
 * let stack: LocalStack;
 * useStack((started) => {
 *   stack = started;
 * });
 * ```
 */
export function useStack(
  onStarted: (stack: LocalStack) => void,
  options?: LocalStackOptions,
): void {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
    onStarted(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    stack?.counters.reset();
    stack?.faults.clear();
  });
}

/** A real SSM client on the stack, one attempt per call (as `SsmStore` builds its own). */
export function ssmClientFor(stack: LocalStack): SSMClient {
  return new SSMClient({ endpoint: stack.url, region: 'us-west-2', credentials, maxAttempts: 1 });
}

/** A real Secrets Manager client on the stack. */
export function secretsClientFor(stack: LocalStack): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials,
    maxAttempts: 1,
  });
}

/** The stack's environment for a cache: the default client's AUTH0_* and a region. */
export function stackCacheEnv(
  stack: LocalStack,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AUTH0_DOMAIN: stack.env.AUTH0_DOMAIN ?? stack.url,
    AUTH0_M2M_CLIENT_ID: stack.env.AUTH0_M2M_CLIENT_ID ?? '',
    AUTH0_M2M_CLIENT_SECRET: stack.env.AUTH0_M2M_CLIENT_SECRET ?? '',
    AUTH0_AUDIENCE: stack.env.AUTH0_AUDIENCE ?? '',
    AWS_REGION: 'us-west-2',
    TOKEN_CACHE_METRICS: 'off',
    ...extra,
  };
}

/** Collects events; `text()` is everything they say, for "no secret in telemetry" checks. */
export function eventRecorder(): {
  events: TokenCacheEvent[];
  listener: (event: TokenCacheEvent) => void;
  text(): string;
} {
  const events: TokenCacheEvent[] = [];
  return { events, listener: (event) => events.push(event), text: () => JSON.stringify(events) };
}

/** Resolves with the rejection of `promise`, or fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Everything an error exposes: messages, stacks and JSON of the error and its causes. */
export function exposedText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    parts.push(String(current));
    if (current instanceof Error) parts.push(current.stack ?? '', safeJson(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}

/** Options for {@link containerCache}. */
export interface ContainerOptions {
  /** Extra environment variables (over the stack's AUTH0_* and the parameter name). */
  readonly env?: Record<string, string>;
  /** Overrides passed to `createTokenCacheFromEnv`. */
  readonly overrides?: TokenCacheFromEnvOverrides;
}

/**
 * A simulated container: a fresh cache instance (its own memory and its own SSM client) built
 * from the environment, on the stack's SSM and IdP, storing in `parameterName`.
 */
export function containerCache(
  stack: LocalStack,
  parameterName: string,
  options: ContainerOptions = {},
): EnvTokenCache {
  return createTokenCacheFromEnv(
    stackCacheEnv(stack, { AUTH0_TOKEN_PARAMETER_NAME: parameterName, ...options.env }),
    { ssmClient: ssmClientFor(stack), onEvent: false, ...options.overrides },
  );
}

let parameterCounter = 0;
/** A parameter name no other test uses (tests share a stack). */
export function uniqueParameterName(label: string): string {
  parameterCounter += 1;
  return `/vwc/test/${label}-${process.pid}-${parameterCounter}`;
}
