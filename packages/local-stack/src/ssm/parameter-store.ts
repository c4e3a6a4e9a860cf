/**
 * The in-memory Parameter Store: parameters with their version history and labels, following
 * AWS's rules (SSM User Guide, "Working with parameter versions" and "Working with parameter
 * labels"): versions start at 1 and only grow, 100 are kept, the oldest is dropped on the 101st
 * write unless it carries a label, a label names at most one version of a parameter.
 */
import { AwsError } from '../aws-json.js';
import type { Tier } from './validation.js';

/** Versions SSM keeps per parameter. */
export const MAX_VERSIONS_KEPT = 100;
/** Labels one parameter version may carry. */
export const MAX_LABELS_PER_VERSION = 10;

/** SSM's parameter types. */
export type ParameterType = 'String' | 'StringList' | 'SecureString';

/** One version of a parameter, as stored (SecureString values stay encrypted). */
export interface ParameterVersion {
  readonly version: number;
  readonly type: ParameterType;
  /** The value at rest: ciphertext for SecureString. */
  readonly storedValue: string;
  readonly keyId?: string;
  readonly description?: string;
  readonly allowedPattern?: string;
  readonly tier: Tier;
  readonly dataType: string;
  /** Epoch milliseconds. */
  readonly lastModifiedMs: number;
  readonly lastModifiedUser: string;
  readonly labels: Set<string>;
}

/** A parameter and its kept versions, oldest first. */
export interface StoredParameter {
  readonly name: string;
  readonly versions: ParameterVersion[];
  readonly tags: ReadonlyArray<{ Key: string; Value: string }>;
}

/** What a write records; validation happens before this (see `validation.ts`). */
export type NewVersion = Omit<ParameterVersion, 'version' | 'labels'>;

/**
 * The store of every parameter of the (single, local) account. Account-wide: a region in the
 * request's credential scope only changes ARNs, not the data (documented in the README).
 *
 * @example
 * ```ts
 * const store = new ParameterStore();
 * store.write('/a', { overwrite: false, tags: [] }, version);
 * store.latest('/a')?.version; // 1
 * ```
 */
export class ParameterStore {
  readonly #parameters = new Map<string, StoredParameter>();

  /** The parameter, or `undefined`. */
  find(name: string): StoredParameter | undefined {
    return this.#parameters.get(name);
  }

  /** The parameter, or `ParameterNotFound` (SSM answers it with an empty message). */
  require(name: string): StoredParameter {
    const parameter = this.#parameters.get(name);
    if (parameter === undefined) throw new AwsError('ParameterNotFound', '');
    return parameter;
  }

  /** The newest version of a parameter, or `undefined`. */
  latest(name: string): ParameterVersion | undefined {
    return this.#parameters.get(name)?.versions.at(-1);
  }

  /** Every parameter, sorted by name (DescribeParameters pages through them in this order). */
  all(): StoredParameter[] {
    return [...this.#parameters.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Writes a new version. `Overwrite=false` on an existing name answers `ParameterAlreadyExists`;
   * the 101st version drops the oldest unless it is labelled (`ParameterMaxVersionLimitExceeded`).
   */
  write(
    name: string,
    options: { overwrite: boolean; tags: ReadonlyArray<{ Key: string; Value: string }> },
    next: NewVersion,
  ): ParameterVersion {
    const existing = this.#parameters.get(name);
    if (existing === undefined) {
      const first: ParameterVersion = { ...next, version: 1, labels: new Set() };
      this.#parameters.set(name, { name, versions: [first], tags: options.tags });
      return first;
    }
    if (!options.overwrite) {
      throw new AwsError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const oldest = existing.versions[0];
    if (existing.versions.length >= MAX_VERSIONS_KEPT && oldest !== undefined) {
      if (oldest.labels.size > 0) {
        throw new AwsError(
          'ParameterMaxVersionLimitExceeded',
          `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
        );
      }
      existing.versions.shift();
    }
    const previous = existing.versions.at(-1);
    const version: ParameterVersion = {
      ...next,
      // An overwrite without a description keeps the current one, as SSM does.
      description: next.description ?? previous?.description,
      version: (previous?.version ?? 0) + 1,
      labels: new Set(),
    };
    existing.versions.push(version);
    return version;
  }

  /** Deletes a parameter with all its versions; `ParameterNotFound` if absent. */
  delete(name: string): void {
    this.require(name);
    this.#parameters.delete(name);
  }

  /** Removes every parameter. */
  clear(): void {
    this.#parameters.clear();
  }
}
