/**
 * SSM's write operations: PutParameter, DeleteParameter, LabelParameterVersion.
 */
import { AwsError } from '../aws-json.js';
import { optional, requireString, type SsmContext, type SsmInput } from './context.js';
import { MAX_LABELS_PER_VERSION, type ParameterType } from './parameter-store.js';
import { DEFAULT_SSM_KEY_ID } from './secure-string.js';
import {
  MAX_VALUE_LENGTH,
  type Tier,
  validateParameterName,
  validateParameterValue,
} from './validation.js';

const PARAMETER_TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];
const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const MAX_DESCRIPTION_LENGTH = 1024;

function readType(input: SsmInput, current: ParameterType | undefined): ParameterType {
  const type = optional(input, 'Type', 'string');
  if (type === undefined) {
    // An overwrite may omit Type and keeps the current one; a create may not.
    if (current !== undefined) return current;
    throw new AwsError(
      'ValidationException',
      'A parameter type is required when you create a parameter.',
    );
  }
  if (!PARAMETER_TYPES.includes(type as ParameterType)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
    );
  }
  return type as ParameterType;
}

function readTier(input: SsmInput, value: string, current: Tier | undefined): Tier {
  const tier = optional(input, 'Tier', 'string');
  if (tier === undefined) return current ?? 'Standard';
  if (tier === 'Intelligent-Tiering') {
    // Intelligent-Tiering picks Advanced only when the value needs it (SSM User Guide,
    // "Specifying a default parameter tier").
    return current === 'Advanced' || value.length > MAX_VALUE_LENGTH.Standard
      ? 'Advanced'
      : 'Standard';
  }
  if (tier !== 'Standard' && tier !== 'Advanced') {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]`,
    );
  }
  if (current === 'Advanced' && tier === 'Standard') {
    throw new AwsError(
      'ValidationException',
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    );
  }
  return tier;
}

function readTags(input: SsmInput): Array<{ Key: string; Value: string }> {
  const tags = optional(input, 'Tags', 'array') ?? [];
  return tags.map((raw) => {
    const tag = raw as { Key?: unknown; Value?: unknown };
    return { Key: String(tag.Key), Value: String(tag.Value) };
  });
}

/**
 * PutParameter: creates a parameter or, with `Overwrite=true`, a new version of it.
 * Answers `{ Version, Tier }`.
 *
 * @example
 * ```ts
 * putParameter(context, { Name: '/a', Value: 'x', Type: 'SecureString', Overwrite: true });
 * ```
 */
export function putParameter(context: SsmContext, input: SsmInput): Record<string, unknown> {
  const name = requireString(input, 'Name');
  const value = requireString(input, 'Value');
  const overwrite = optional(input, 'Overwrite', 'boolean') ?? false;
  const tags = readTags(input);
  validateParameterName(name);
  if (overwrite && tags.length > 0) {
    throw new AwsError(
      'ValidationException',
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  const current = context.store.latest(name);
  const type = readType(input, current?.type);
  const tier = readTier(input, value, current?.tier);
  validateParameterValue(value, tier);
  const description = optional(input, 'Description', 'string');
  if (description !== undefined && description.length > MAX_DESCRIPTION_LENGTH) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIPTION_LENGTH}`,
    );
  }
  const allowedPattern = optional(input, 'AllowedPattern', 'string');
  if (allowedPattern !== undefined && !new RegExp(allowedPattern).test(value)) {
    throw new AwsError(
      'ParameterPatternMismatchException',
      `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
    );
  }
  const requestedKeyId = optional(input, 'KeyId', 'string');
  if (requestedKeyId !== undefined && type !== 'SecureString') {
    throw new AwsError(
      'ValidationException',
      'KeyId is required for SecureString type parameter only.',
    );
  }
  const dataType = optional(input, 'DataType', 'string') ?? 'text';
  if (!DATA_TYPES.includes(dataType)) {
    throw new AwsError(
      'ValidationException',
      `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`,
    );
  }
  const keyId =
    type === 'SecureString' ? (requestedKeyId ?? current?.keyId ?? DEFAULT_SSM_KEY_ID) : undefined;
  const written = context.store.write(
    name,
    { overwrite, tags },
    {
      type,
      storedValue: keyId === undefined ? value : context.cipher.encrypt(value, keyId),
      ...(keyId === undefined ? {} : { keyId }),
      ...(description === undefined ? {} : { description }),
      ...(allowedPattern === undefined ? {} : { allowedPattern }),
      tier,
      dataType,
      lastModifiedMs: context.now(),
      lastModifiedUser: context.user,
    },
  );
  return { Version: written.version, Tier: written.tier };
}

/**
 * DeleteParameter: removes a parameter and every version; `ParameterNotFound` if absent.
 *
 * @example
 * ```ts
 * deleteParameter(context, { Name: '/a' }); // {}
 * ```
 */
export function deleteParameter(context: SsmContext, input: SsmInput): Record<string, unknown> {
  context.store.delete(requireString(input, 'Name'));
  return {};
}

/** Label rules (SSM User Guide, "Parameter label requirements and restrictions"). */
function isValidLabel(label: string): boolean {
  return (
    label.length >= 1 &&
    label.length <= 100 &&
    /^[a-zA-Z0-9_.-]+$/.test(label) &&
    !/^\d/.test(label) &&
    !/^(aws|ssm)/i.test(label)
  );
}

/**
 * LabelParameterVersion: attaches labels to a version (the latest by default), moving each
 * label off any other version. Invalid labels are returned, not raised.
 *
 * @example
 * ```ts
 * labelParameterVersion(context, { Name: '/a', ParameterVersion: 1, Labels: ['Prod'] });
 * ```
 */
export function labelParameterVersion(
  context: SsmContext,
  input: SsmInput,
): Record<string, unknown> {
  const name = requireString(input, 'Name');
  const labels = (optional(input, 'Labels', 'array') ?? []).map(String);
  if (labels.length < 1 || labels.length > MAX_LABELS_PER_VERSION) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'labels' failed to satisfy constraint: Member must have length between 1 and ${MAX_LABELS_PER_VERSION}`,
    );
  }
  const parameter = context.store.require(name);
  const wanted = optional(input, 'ParameterVersion', 'number');
  const target =
    wanted === undefined
      ? parameter.versions.at(-1)
      : parameter.versions.find((v) => v.version === wanted);
  if (target === undefined) {
    throw new AwsError(
      'ParameterVersionNotFound',
      `Systems Manager could not find version ${wanted} of ${name}. Verify the version and try again.`,
    );
  }
  const valid = labels.filter(isValidLabel);
  const invalid = labels.filter((label) => !isValidLabel(label));
  const after = new Set([...target.labels, ...valid]);
  if (after.size > MAX_LABELS_PER_VERSION) {
    throw new AwsError(
      'ParameterVersionLabelLimitExceeded',
      `A parameter version can have maximum ${MAX_LABELS_PER_VERSION} labels.Move one or more labels to another version and try again.`,
    );
  }
  for (const label of valid) {
    for (const version of parameter.versions) version.labels.delete(label);
    target.labels.add(label);
  }
  return { InvalidLabels: invalid, ParameterVersion: target.version };
}
