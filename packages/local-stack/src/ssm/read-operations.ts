/**
 * SSM's read operations: GetParameter, GetParameters, GetParameterHistory, DescribeParameters.
 */
import { AwsError } from '../aws-json.js';
import { optional, requireString, type SsmContext, type SsmInput } from './context.js';
import type { ParameterVersion, StoredParameter } from './parameter-store.js';
import { alternateName, type ParameterReference, parseParameterReference } from './selector.js';
import { toHistoryShape, toMetadataShape, toParameterShape } from './shapes.js';

/** Most names one GetParameters call accepts (SSM model: `Names` length 1..10). */
const MAX_NAMES_PER_GET_PARAMETERS = 10;

function resolve(
  context: SsmContext,
  reference: ParameterReference,
  raw: string,
): { parameter: StoredParameter; version: ParameterVersion } {
  const alternate = alternateName(raw);
  const parameter =
    context.store.find(reference.name) ??
    (alternate === undefined ? undefined : context.store.find(alternate)) ??
    context.store.require(reference.name);
  if (reference.version !== undefined) {
    const version = parameter.versions.find((v) => v.version === reference.version);
    if (version === undefined) {
      throw new AwsError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${reference.version} of ${reference.name}. Verify the version and try again.`,
      );
    }
    return { parameter, version };
  }
  if (reference.label !== undefined) {
    const label = reference.label;
    const version = parameter.versions.find((v) => v.labels.has(label));
    // A label that names no version reads as a missing parameter (see README, "Choices").
    if (version === undefined) throw new AwsError('ParameterNotFound', '');
    return { parameter, version };
  }
  return { parameter, version: parameter.versions.at(-1) as ParameterVersion };
}

/**
 * GetParameter: `{ Parameter }`, the latest version or the one a selector names.
 *
 * @example
 * ```ts
 * getParameter(context, { Name: '/a:2', WithDecryption: true });
 * ```
 */
export function getParameter(context: SsmContext, input: SsmInput): Record<string, unknown> {
  const raw = requireString(input, 'Name');
  const reference = parseParameterReference(raw);
  const withDecryption = optional(input, 'WithDecryption', 'boolean') ?? false;
  const { parameter, version } = resolve(context, reference, raw);
  return {
    Parameter: toParameterShape(context, parameter, version, withDecryption, reference.selector),
  };
}

/**
 * GetParameters: `{ Parameters, InvalidParameters }`; names that resolve to nothing are listed
 * in `InvalidParameters` instead of failing the call.
 *
 * @example
 * ```ts
 * getParameters(context, { Names: ['/a', '/missing'] });
 * ```
 */
export function getParameters(context: SsmContext, input: SsmInput): Record<string, unknown> {
  const names = optional(input, 'Names', 'array');
  if (names === undefined || names.length < 1 || names.length > MAX_NAMES_PER_GET_PARAMETERS) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and ${MAX_NAMES_PER_GET_PARAMETERS}`,
    );
  }
  const withDecryption = optional(input, 'WithDecryption', 'boolean') ?? false;
  const parameters: Record<string, unknown>[] = [];
  const invalid: string[] = [];
  for (const raw of new Set(names.map(String))) {
    const reference = parseParameterReference(raw);
    try {
      const { parameter, version } = resolve(context, reference, raw);
      parameters.push(
        toParameterShape(context, parameter, version, withDecryption, reference.selector),
      );
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      invalid.push(raw);
    }
  }
  return { Parameters: parameters, InvalidParameters: invalid };
}

/** Encodes a page offset as an opaque `NextToken`. */
function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const offset = (parsed as { offset?: unknown }).offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Fall through to the error AWS answers for a token it did not issue.
  }
  throw new AwsError('InvalidNextToken', "The specified token isn't valid.");
}

function pageSize(input: SsmInput, defaultSize: number): number {
  const max = optional(input, 'MaxResults', 'number') ?? defaultSize;
  if (!Number.isInteger(max) || max < 1 || max > 50) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`,
    );
  }
  return max;
}

function page<T>(items: T[], input: SsmInput, defaultSize: number): { items: T[]; next?: string } {
  const size = pageSize(input, defaultSize);
  const offset = decodeToken(optional(input, 'NextToken', 'string'));
  const slice = items.slice(offset, offset + size);
  return offset + size < items.length
    ? { items: slice, next: encodeToken(offset + size) }
    : { items: slice };
}

/**
 * GetParameterHistory: every kept version, oldest first, with labels.
 *
 * @example
 * ```ts
 * getParameterHistory(context, { Name: '/a', WithDecryption: false });
 * ```
 */
export function getParameterHistory(context: SsmContext, input: SsmInput): Record<string, unknown> {
  const parameter = context.store.require(requireString(input, 'Name'));
  const withDecryption = optional(input, 'WithDecryption', 'boolean') ?? false;
  const { items, next } = page(parameter.versions, input, 50);
  return {
    Parameters: items.map((v) => toHistoryShape(context, parameter, v, withDecryption)),
    ...(next === undefined ? {} : { NextToken: next }),
  };
}

type Filter = { Key: string; Option?: string; Values: string[] };

function matches(parameter: StoredParameter, filter: Filter): boolean {
  const latest = parameter.versions.at(-1) as ParameterVersion;
  const values = filter.Values;
  switch (filter.Key) {
    case 'Name': {
      const option = filter.Option ?? 'Equals';
      return values.some((v) => {
        // Name filters compare with and without the leading slash, as SSM does.
        const name = parameter.name.replace(/^\//, '');
        const wanted = v.replace(/^\//, '');
        if (option === 'BeginsWith') return name.startsWith(wanted);
        if (option === 'Contains') return name.includes(wanted);
        return name === wanted;
      });
    }
    case 'Path': {
      const recursive = filter.Option === 'Recursive';
      return values.some((v) => {
        const prefix = v.endsWith('/') ? v : `${v}/`;
        if (!parameter.name.startsWith(prefix)) return false;
        return recursive || !parameter.name.slice(prefix.length).includes('/');
      });
    }
    case 'Type':
      return values.includes(latest.type);
    case 'KeyId':
      return latest.keyId !== undefined && values.includes(latest.keyId);
    case 'Tier':
      return values.includes(latest.tier);
    case 'DataType':
      return values.includes(latest.dataType);
    case 'Label':
      return parameter.versions.some((version) => values.some((v) => version.labels.has(v)));
    default:
      if (filter.Key.startsWith('tag:')) {
        const tagKey = filter.Key.slice(4);
        return parameter.tags.some(
          (t) => t.Key === tagKey && (values.length === 0 || values.includes(t.Value)),
        );
      }
      throw new AwsError(
        'InvalidFilterKey',
        `The following filter key is not valid: ${filter.Key}`,
      );
  }
}

function readFilters(input: SsmInput): Filter[] {
  const filters: Filter[] = [];
  for (const raw of optional(input, 'ParameterFilters', 'array') ?? []) {
    const f = raw as { Key?: unknown; Option?: unknown; Values?: unknown };
    if (typeof f.Key !== 'string')
      throw new AwsError('InvalidFilterKey', 'The filter key is required.');
    filters.push({
      Key: f.Key,
      ...(typeof f.Option === 'string' ? { Option: f.Option } : {}),
      Values: Array.isArray(f.Values) ? f.Values.map(String) : [],
    });
  }
  // Legacy `Filters` (Name/Type/KeyId) match by prefix for names.
  for (const raw of optional(input, 'Filters', 'array') ?? []) {
    const f = raw as { Key?: unknown; Values?: unknown };
    const values = Array.isArray(f.Values) ? f.Values.map(String) : [];
    filters.push({
      Key: String(f.Key),
      Option: f.Key === 'Name' ? 'BeginsWith' : 'Equals',
      Values: values,
    });
  }
  return filters;
}

/**
 * DescribeParameters: metadata (never values) of the parameters matching every filter.
 *
 * @example
 * ```ts
 * describeParameters(context, { ParameterFilters: [{ Key: 'Name', Values: ['/a'] }] });
 * ```
 */
export function describeParameters(context: SsmContext, input: SsmInput): Record<string, unknown> {
  const filters = readFilters(input);
  const selected = context.store.all().filter((p) => filters.every((f) => matches(p, f)));
  const { items, next } = page(selected, input, 10);
  return {
    Parameters: items.map((p) => toMetadataShape(context, p)),
    ...(next === undefined ? {} : { NextToken: next }),
  };
}
