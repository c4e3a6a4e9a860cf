/**
 * What every SSM operation needs: the store, the SecureString cipher, the clock, and who is
 * calling from which region (read from the request's SigV4 credential scope).
 */
import { AwsError } from '../aws-json.js';
import type { ParameterStore } from './parameter-store.js';
import type { SecureStringCipher } from './secure-string.js';

/** Per-request context of an SSM operation. */
export interface SsmContext {
  readonly store: ParameterStore;
  readonly cipher: SecureStringCipher;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly region: string;
  readonly accountId: string;
  /** `LastModifiedUser`: an IAM ARN derived from the caller's access key id. */
  readonly user: string;
}

/** A JSON 1.1 request body. */
export type SsmInput = Readonly<Record<string, unknown>>;

/**
 * Reads a required string member; a missing one answers the validation error AWS's front end
 * produces from the model ("Member must not be null").
 *
 * @example
 * ```ts
 * requireString({ Name: '/a' }, 'Name'); // '/a'
 * ```
 */
export function requireString(input: SsmInput, member: string): string {
  const value = input[member];
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  throw new AwsError('SerializationException', `Expected a string for member '${member}'`);
}

/**
 * Reads an optional member of the given JSON type; a wrong type is a `SerializationException`.
 *
 * @example
 * ```ts
 * optional({ WithDecryption: true }, 'WithDecryption', 'boolean'); // true
 * ```
 */
export function optional<T extends 'string' | 'boolean' | 'number' | 'array' | 'object'>(
  input: SsmInput,
  member: string,
  type: T,
):
  | (T extends 'string'
      ? string
      : T extends 'boolean'
        ? boolean
        : T extends 'number'
          ? number
          : T extends 'array'
            ? unknown[]
            : Record<string, unknown>)
  | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  const actual = Array.isArray(value) ? 'array' : typeof value;
  if (actual !== type) {
    throw new AwsError('SerializationException', `Expected a ${type} for member '${member}'`);
  }
  // biome-ignore lint/suspicious/noExplicitAny: the conditional return type is checked above.
  return value as any;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
