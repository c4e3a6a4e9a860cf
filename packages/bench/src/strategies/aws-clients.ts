/**
 * SDK clients pointed at the local stack, one per simulated container (each Lambda
 * environment builds its own client at cold start), signing with the access key the stack
 * accepts by default (it verifies SigV4 signatures).
 */
import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import type { BenchStack } from '../bench-stack.js';

/**
 * The region every client uses (the stack echoes it in ARNs).
 *
 * @example
 * ```ts
 * new DynamoDBClient({ region: BENCH_REGION, credentials: LOCAL_CREDENTIALS, endpoint });
 * ```
 */
export const BENCH_REGION = 'us-west-2';

/**
 * Credentials for loopback endpoints: the local stack's default access key
 * (`DEFAULT_AWS_CREDENTIALS`), which dynalite also takes (it checks none).
 *
 * @example
 * ```ts
 * new SSMClient({ endpoint: stack.url, region: BENCH_REGION, credentials: LOCAL_CREDENTIALS });
 * ```
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * An SSM client for the stack. `overrides` carries a strategy's retry/timeout choices; without
 * them it is the SDK's default client, as the seed builds it (3 attempts, no timeouts).
 *
 * @example
 * ```ts
 * const ssm = stackSsmClient(stack, { maxAttempts: 1 });
 * ```
 */
export function stackSsmClient(stack: BenchStack, overrides: SSMClientConfig = {}): SSMClient {
  return new SSMClient({
    endpoint: stack.url,
    region: BENCH_REGION,
    credentials: LOCAL_CREDENTIALS,
    ...overrides,
  });
}
