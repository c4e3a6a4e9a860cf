/**
 * Response shapes exactly as in the SSM service model (`Parameter`, `ParameterMetadata`,
 * `ParameterHistory`). `Parameter` (GetParameter/GetParameters) has no `Description`, `Tier`
 * or `KeyId`: a consumer that keeps data there never sees it again, as in AWS.
 * Timestamps are epoch seconds with a fraction, as AWS's JSON 1.1 services send them.
 */
import type { SsmContext } from './context.js';
import type { ParameterVersion, StoredParameter } from './parameter-store.js';
import { parameterArn } from './selector.js';

/**
 * Epoch milliseconds → epoch seconds (fractional), the JSON 1.1 timestamp format.
 *
 * @example
 * ```ts
 * epochSeconds(1_768_478_400_250); // 1768478400.25
 * ```
 */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

function visibleValue(
  context: SsmContext,
  version: ParameterVersion,
  withDecryption: boolean,
): string {
  return version.type === 'SecureString' && withDecryption
    ? context.cipher.decrypt(version.storedValue)
    : version.storedValue;
}

/**
 * The `Parameter` shape of GetParameter/GetParameters.
 *
 * @example
 * ```ts
 * toParameterShape(context, parameter, version, false, ':2');
 * ```
 */
export function toParameterShape(
  context: SsmContext,
  parameter: StoredParameter,
  version: ParameterVersion,
  withDecryption: boolean,
  selector: string | undefined,
): Record<string, unknown> {
  return {
    Name: parameter.name,
    Type: version.type,
    Value: visibleValue(context, version, withDecryption),
    Version: version.version,
    ...(selector === undefined ? {} : { Selector: selector }),
    LastModifiedDate: epochSeconds(version.lastModifiedMs),
    ARN: parameterArn(parameter.name, context.region, context.accountId),
    DataType: version.dataType,
  };
}

/**
 * The `ParameterMetadata` shape of DescribeParameters (no value).
 *
 * @example
 * ```ts
 * toMetadataShape(context, parameter);
 * ```
 */
export function toMetadataShape(
  context: SsmContext,
  parameter: StoredParameter,
): Record<string, unknown> {
  const version = parameter.versions.at(-1) as ParameterVersion;
  return {
    Name: parameter.name,
    ARN: parameterArn(parameter.name, context.region, context.accountId),
    Type: version.type,
    ...(version.keyId === undefined ? {} : { KeyId: version.keyId }),
    LastModifiedDate: epochSeconds(version.lastModifiedMs),
    LastModifiedUser: version.lastModifiedUser,
    ...(version.description === undefined ? {} : { Description: version.description }),
    ...(version.allowedPattern === undefined ? {} : { AllowedPattern: version.allowedPattern }),
    Version: version.version,
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  };
}

/**
 * The `ParameterHistory` shape of GetParameterHistory.
 *
 * @example
 * ```ts
 * parameter.versions.map((v) => toHistoryShape(context, parameter, v, true));
 * ```
 */
export function toHistoryShape(
  context: SsmContext,
  parameter: StoredParameter,
  version: ParameterVersion,
  withDecryption: boolean,
): Record<string, unknown> {
  return {
    Name: parameter.name,
    Type: version.type,
    ...(version.keyId === undefined ? {} : { KeyId: version.keyId }),
    LastModifiedDate: epochSeconds(version.lastModifiedMs),
    LastModifiedUser: version.lastModifiedUser,
    ...(version.description === undefined ? {} : { Description: version.description }),
    Value: visibleValue(context, version, withDecryption),
    ...(version.allowedPattern === undefined ? {} : { AllowedPattern: version.allowedPattern }),
    Version: version.version,
    Labels: [...version.labels],
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  };
}
