/**
 * Test helpers: a stack with an injected clock, and real AWS SDK clients pointed at it.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  DEFAULT_AWS_CREDENTIALS,
  type LocalAwsCredential,
  type LocalStack,
  type LocalStackOptions,
  start,
} from '../src/index.js';

/** A clock tests move by hand. */
export interface ManualClock {
  readonly now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

/**
 * Creates a manual clock starting at `startMs` (default 2026-01-15T12:00:00.250Z, a fractional
 * second so epoch-seconds timestamps have a fraction).
 */
export function manualClock(startMs = Date.UTC(2026, 0, 15, 12, 0, 0, 250)): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    set(ms) {
      current = ms;
    },
  };
}

/** Starts a stack with unlimited throttles unless the options say otherwise. */
export async function startStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return start({
    ...options,
    ssm: { readsPerSecond: 0, writesPerSecond: 0, ...options.ssm },
  });
}

const credentials = DEFAULT_AWS_CREDENTIALS;

/**
 * An SSM client for the stack. `maxAttempts: 1` by default so a test sees each error once
 * (the SDK would otherwise retry throttling and 5xx).
 */
export function ssmClient(stack: LocalStack, config: { maxAttempts?: number } = {}): SSMClient {
  return new SSMClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials,
    maxAttempts: config.maxAttempts ?? 1,
  });
}

/** A Secrets Manager client for the stack. */
export function secretsManagerClient(stack: LocalStack): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: stack.url,
    region: 'us-west-2',
    credentials,
    maxAttempts: 1,
  });
}

/** How `signedFetch` signs, and what it changes after signing. */
export interface SigningOptions {
  readonly credentials?: LocalAwsCredential & { readonly sessionToken?: string };
  readonly signingDate?: Date;
  /** Service name in the credential scope (default: the target's, `ssm` or `secretsmanager`). */
  readonly service?: string;
  /** Signs without an `x-amz-content-sha256` header, so only the signature covers the body. */
  readonly omitPayloadHash?: boolean;
  /** Replaces the body after signing (a request changed in transit). */
  readonly sentBody?: string;
  /** Headers added after signing (so not covered by the signature). */
  readonly unsignedHeaders?: Readonly<Record<string, string>>;
}

/**
 * Sends one AWS JSON 1.1 request signed with SigV4 (the SDK's signer), for the cases a real
 * client cannot produce: a body changed after signing, a chosen signing date.
 */
export async function signedFetch(
  stack: LocalStack,
  target: string,
  body: Record<string, unknown>,
  options: SigningOptions = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(stack.url);
  const payload = JSON.stringify(body);
  const service = options.service ?? (target.startsWith('AmazonSSM.') ? 'ssm' : 'secretsmanager');
  const signer = new SignatureV4({
    credentials: options.credentials ?? credentials,
    region: 'us-west-2',
    service,
    sha256: Sha256,
    applyChecksum: options.omitPayloadHash !== true,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': target,
      },
      body: payload,
    },
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { ...signed.headers, ...options.unsignedHeaders },
    body: options.sentBody ?? payload,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Requests a token from the stack's endpoint with a JSON body. */
export async function requestToken(
  stack: LocalStack,
  body: Record<string, string>,
  init: { headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(stack.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** The default client's credentials as a token request body. */
export function defaultTokenRequest(stack: LocalStack): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: stack.env.AUTH0_M2M_CLIENT_ID as string,
    client_secret: stack.env.AUTH0_M2M_CLIENT_SECRET as string,
    audience: stack.env.AUTH0_AUDIENCE as string,
  };
}
