/**
 * SSM's input rules for names and values, with the messages AWS answers. Sources: the
 * `PutParameter` API reference ("Name" and "Value" request parameters) and the SSM User Guide,
 * "Requirements and constraints for parameter names".
 */
import { AwsError } from '../aws-json.js';

/** Longest name a caller may create (2,048 minus 1,037 characters SSM reserves). */
export const MAX_PARAMETER_NAME_LENGTH = 1011;
/** Deepest hierarchy: `/a/b/.../o` with 15 levels. */
export const MAX_HIERARCHY_DEPTH = 15;
/** Value limits per tier, characters. */
export const MAX_VALUE_LENGTH = { Standard: 4096, Advanced: 8192 } as const;

/** The parameter tiers `PutParameter` accepts (`Intelligent-Tiering` picks one per value). */
export type Tier = 'Standard' | 'Advanced';

const NAME_CHARACTERS_MESSAGE =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

/**
 * Validates a parameter name for creation; throws the `AwsError` SSM would answer.
 *
 * @example
 * ```ts
 * validateParameterName('/vwc/dev/auth0-token-cache'); // ok
 * validateParameterName('/aws/x'); // throws ValidationException
 * ```
 */
export function validateParameterName(name: string): void {
  if (name.length < 1 || name.length > MAX_PARAMETER_NAME_LENGTH) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PARAMETER_NAME_LENGTH}`,
    );
  }
  const segments = name.startsWith('/') ? name.slice(1).split('/') : name.split('/');
  const firstSegment = segments[0] ?? '';
  const validCharacters = segments.every((segment) => /^[a-zA-Z0-9_.-]+$/.test(segment));
  // A hierarchical name must start with "/" ("a/b" is refused), and no segment may be empty.
  const wellFormedPath = !name.includes('/') || name.startsWith('/');
  if (!validCharacters || !wellFormedPath || /^(aws|ssm)/i.test(firstSegment)) {
    throw new AwsError('ValidationException', NAME_CHARACTERS_MESSAGE);
  }
  if (segments.length > MAX_HIERARCHY_DEPTH) {
    throw new AwsError(
      'HierarchyLevelLimitExceededException',
      `A hierarchy can have a maximum of ${MAX_HIERARCHY_DEPTH} levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.`,
    );
  }
}

/**
 * Validates a value's length against its tier; throws the `AwsError` SSM would answer.
 *
 * @example
 * ```ts
 * validateParameterValue('x'.repeat(4097), 'Standard'); // throws ValidationException
 * ```
 */
export function validateParameterValue(value: string, tier: Tier): void {
  if (value.length < 1) {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (value.length > MAX_VALUE_LENGTH.Advanced) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE_LENGTH.Advanced}`,
    );
  }
  if (tier === 'Standard' && value.length > MAX_VALUE_LENGTH.Standard) {
    throw new AwsError(
      'ValidationException',
      `Standard tier parameters support a maximum parameter value of ${MAX_VALUE_LENGTH.Standard} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`,
    );
  }
}
