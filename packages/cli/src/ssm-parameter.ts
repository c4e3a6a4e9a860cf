/**
 * Reads an SSM parameter's metadata and value for `inspect` and `doctor`: `GetParameter` (value,
 * version, type, last modified) and, when allowed, `DescribeParameters` (tier, KMS key), which
 * the fleet's own policy need not grant.
 */
import {
  DescribeParametersCommand,
  GetParameterCommand,
  type ParameterMetadata,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { SSM_TIER_MAX_VALUE_LENGTH, StoreError, ssmErrorKind } from '@token-cache/core/internal';

/** What `GetParameter` returned. */
export interface ParameterValue {
  readonly name: string;
  readonly value: string;
  readonly version: number;
  readonly type: string;
  readonly dataType?: string;
  readonly arn?: string;
  readonly lastModified?: string;
}

/** What `DescribeParameters` adds, or why it could not. */
export type ParameterDescription =
  | {
      readonly available: true;
      readonly tier: string;
      readonly keyId?: string;
      readonly maxValueLength: number;
    }
  | { readonly available: false; readonly reason: string };

/**
 * `GetParameter` with decryption; `undefined` when the parameter does not exist. Other failures
 * become a `StoreError` whose `kind` says why (access denied, unavailable, throttled...).
 *
 * @example
 * ```ts
 * const parameter = await readParameter(ssm, '/vwc/dev/auth0-token-cache');
 * ```
 */
export async function readParameter(
  ssm: SSMClient,
  name: string,
): Promise<ParameterValue | undefined> {
  try {
    const { Parameter: p } = await ssm.send(
      new GetParameterCommand({ Name: name, WithDecryption: true }),
    );
    if (p?.Value === undefined) return undefined;
    return {
      name,
      value: p.Value,
      version: p.Version ?? 0,
      type: p.Type ?? 'unknown',
      ...(p.DataType ? { dataType: p.DataType } : {}),
      ...(p.ARN ? { arn: p.ARN } : {}),
      ...(p.LastModifiedDate ? { lastModified: p.LastModifiedDate.toISOString() } : {}),
    };
  } catch (error) {
    if (errorName(error) === 'ParameterNotFound') return undefined;
    throw asStoreError(error, 'GetParameter', name);
  }
}

/**
 * `DescribeParameters` filtered to one name: the tier and KMS key. A denial is reported, not
 * thrown: Terraform grants the fleet `GetParameter`/`PutParameter` on two ARNs only.
 *
 * @example
 * ```ts
 * const description = await describeParameter(ssm, name); // { available: true, tier: 'Standard', ... }
 * ```
 */
export async function describeParameter(
  ssm: SSMClient,
  name: string,
): Promise<ParameterDescription> {
  try {
    const output = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
      }),
    );
    const metadata: ParameterMetadata | undefined = output.Parameters?.find((p) => p.Name === name);
    if (metadata === undefined) return { available: false, reason: 'not listed' };
    const tier = metadata.Tier ?? 'Standard';
    return {
      available: true,
      tier,
      ...(metadata.KeyId ? { keyId: metadata.KeyId } : {}),
      maxValueLength: tierLimit(tier),
    };
  } catch (error) {
    return { available: false, reason: `${errorName(error) ?? 'error'}: ${messageOf(error)}` };
  }
}

/**
 * The value limit of a tier (characters); unknown tiers get the Standard limit.
 *
 * @example
 * ```ts
 * tierLimit('Advanced'); // 8192
 * ```
 */
export function tierLimit(tier: string | undefined): number {
  return (
    SSM_TIER_MAX_VALUE_LENGTH[(tier ?? 'Standard') as keyof typeof SSM_TIER_MAX_VALUE_LENGTH] ??
    4_096
  );
}

/**
 * Wraps an SDK error like the store does, so exit codes and messages agree across commands.
 *
 * @example
 * ```ts
 * throw asStoreError(error, 'PutParameter', name);
 * ```
 */
export function asStoreError(error: unknown, operation: string, name: string): StoreError {
  if (error instanceof StoreError) return error;
  const kind = ssmErrorKind(error);
  return new StoreError(
    kind,
    operation,
    `SSM ${operation} on ${name} failed (${kind}): ${messageOf(error)}`,
    {
      cause: error,
    },
  );
}

/**
 * The SDK error's name (`ParameterNotFound`, `AccessDeniedException`, ...).
 *
 * @example
 * ```ts
 * if (errorName(error) === 'ParameterAlreadyExists') return false;
 * ```
 */
export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { name?: string }).name
    : undefined;
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // ECONNREFUSED and friends come with an empty message from the SDK's HTTP handler.
  if (message) return message;
  const code = (error as { code?: string } | null)?.code;
  return code ?? 'no response';
}
