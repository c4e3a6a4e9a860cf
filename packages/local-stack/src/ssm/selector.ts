/**
 * Parses the `Name` of a read: a plain name, an ARN, either followed by a selector
 * `:<version>` or `:<label>` (SSM User Guide, "Working with parameter versions": `name:3`,
 * "Working with parameter labels": `name:Prod`).
 */

/** A name with an optional selector. */
export interface ParameterReference {
  readonly name: string;
  /** The selector as given, with its colon (`:3`), as `GetParameter` echoes it. */
  readonly selector?: string;
  readonly version?: number;
  readonly label?: string;
}

/**
 * Splits a `Name` into name and selector. Names cannot contain `:`, so the last colon after the
 * ARN prefix starts the selector.
 *
 * @example
 * ```ts
 * parseParameterReference('/vwc/dev/token:3'); // { name: '/vwc/dev/token', selector: ':3', version: 3 }
 * ```
 */
export function parseParameterReference(raw: string): ParameterReference {
  const withoutArn = stripArn(raw);
  const colon = withoutArn.lastIndexOf(':');
  if (colon < 0) return { name: withoutArn };
  const name = withoutArn.slice(0, colon);
  const selectorText = withoutArn.slice(colon + 1);
  const selector = `:${selectorText}`;
  if (/^\d+$/.test(selectorText)) return { name, selector, version: Number(selectorText) };
  return { name, selector, label: selectorText };
}

/**
 * Turns `arn:aws:ssm:<region>:<account>:parameter/a/b` into `/a/b` and
 * `arn:...:parameter/x` into `x` (a name without a leading slash).
 */
function stripArn(raw: string): string {
  const match = /^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(raw);
  if (match === null) return raw;
  const path = match[1] ?? '';
  // The ARN of a hierarchical name keeps its leading slash only once: "parameter/a/b" ↔ "/a/b".
  // "parameter/x" may be "x" or "/x"; the plain name is tried first (see `alternateName`).
  return path.slice(1).includes('/') ? path : path.slice(1);
}

/**
 * For a single-level name read through an ARN (`parameter/x`), the other spelling (`/x`).
 *
 * @example
 * ```ts
 * alternateName('arn:aws:ssm:us-west-2:000000000000:parameter/x'); // '/x'
 * ```
 */
export function alternateName(raw: string): string | undefined {
  const name = stripArn(raw);
  return name !== raw && !name.startsWith('/') ? `/${name.replace(/:[^:]*$/, '')}` : undefined;
}

/**
 * Builds a parameter's ARN: `arn:aws:ssm:<region>:<account>:parameter/<name without leading />`.
 *
 * @example
 * ```ts
 * parameterArn('/a/b', 'us-west-2', '000000000000'); // 'arn:aws:ssm:us-west-2:000000000000:parameter/a/b'
 * ```
 */
export function parameterArn(name: string, region: string, accountId: string): string {
  return `arn:aws:ssm:${region}:${accountId}:parameter/${name.replace(/^\//, '')}`;
}
