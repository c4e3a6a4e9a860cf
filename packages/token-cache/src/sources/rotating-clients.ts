/**
 * Where the ordered client list for rotation comes from: the Secrets Manager secret
 * (`AWS_SECRET_ID`) or the environment, in one of two forms.
 *
 * 1. `AUTH0_M2M_CLIENTS`: a JSON array `[{"clientId": "...", "clientSecret": "..."}, ...]`, in
 *    order of preference (a string holding JSON, or a nested array inside the secret's JSON).
 * 2. Numbered pairs: `AUTH0_M2M_CLIENT_ID` / `AUTH0_M2M_CLIENT_SECRET` first, then
 *    `AUTH0_M2M_CLIENT_ID_2` / `AUTH0_M2M_CLIENT_SECRET_2`, `_3`, ... up to the first missing
 *    number. The un-numbered pair is what the seed's secret already holds, so a secret without
 *    rotation keeps working unchanged.
 *
 * When `AUTH0_M2M_CLIENTS` is set it is the whole list and the numbered pairs are ignored: during
 * a migration the secret may keep the old keys for deployments that only know them.
 */
import { ConfigError } from '../errors.js';

/** One M2M client's credentials. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The JSON-array variable. */
export const CLIENT_LIST_VARIABLE = 'AUTH0_M2M_CLIENTS';

/** Pairs beyond this are ignored: a rotation needs two, a list of 10 is already a smell. */
const MAX_NUMBERED_CLIENTS = 10;

/**
 * Reads the ordered client list from the secret's JSON object or the environment. Throws a
 * `ConfigError` naming the variable for a half pair, a malformed list or a duplicate client id;
 * never quotes a secret.
 *
 * @example
 * ```ts
 * readClientCredentialsList({
 *   AUTH0_M2M_CLIENT_ID: 'old', AUTH0_M2M_CLIENT_SECRET: '...',
 *   AUTH0_M2M_CLIENT_ID_2: 'new', AUTH0_M2M_CLIENT_SECRET_2: '...',
 * }); // [{ clientId: 'old', ... }, { clientId: 'new', ... }]
 * ```
 */
export function readClientCredentialsList(
  values: Readonly<Record<string, unknown>>,
): ClientCredentials[] {
  const list = values[CLIENT_LIST_VARIABLE];
  const clients =
    list === undefined || list === '' ? readNumberedPairs(values) : readJsonList(list);
  const seen = new Set<string>();
  for (const { clientId } of clients) {
    if (seen.has(clientId)) {
      throw new ConfigError(
        list === undefined ? 'AUTH0_M2M_CLIENT_ID_<n>' : CLIENT_LIST_VARIABLE,
        `a list without duplicate client ids (${clientId} appears twice)`,
      );
    }
    seen.add(clientId);
  }
  return clients;
}

function readJsonList(list: unknown): ClientCredentials[] {
  let parsed: unknown = list;
  if (typeof list === 'string') {
    try {
      parsed = JSON.parse(list);
    } catch {
      throw new ConfigError(CLIENT_LIST_VARIABLE, 'a JSON array of {"clientId","clientSecret"}');
    }
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ConfigError(
      CLIENT_LIST_VARIABLE,
      'a non-empty JSON array of {"clientId","clientSecret"}',
    );
  }
  return parsed.map((entry: unknown, index) => {
    const { clientId, clientSecret } = (entry ?? {}) as Record<string, unknown>;
    if (!isText(clientId) || !isText(clientSecret)) {
      throw new ConfigError(
        `${CLIENT_LIST_VARIABLE}[${index}]`,
        'an object with non-empty string "clientId" and "clientSecret"',
      );
    }
    return { clientId, clientSecret };
  });
}

function readNumberedPairs(values: Readonly<Record<string, unknown>>): ClientCredentials[] {
  const clients: ClientCredentials[] = [];
  for (let n = 1; n <= MAX_NUMBERED_CLIENTS; n += 1) {
    const suffix = n === 1 ? '' : `_${n}`;
    const idName = `AUTH0_M2M_CLIENT_ID${suffix}`;
    const secretName = `AUTH0_M2M_CLIENT_SECRET${suffix}`;
    const clientId = values[idName];
    const clientSecret = values[secretName];
    if (isAbsent(clientId) && isAbsent(clientSecret)) {
      break;
    }
    if (!isText(clientId)) {
      throw new ConfigError(idName, `a non-empty client id, since ${secretName} is set`);
    }
    if (!isText(clientSecret)) {
      throw new ConfigError(secretName, `a non-empty client secret, since ${idName} is set`);
    }
    clients.push({ clientId, clientSecret });
  }
  if (clients.length === 0) {
    throw new ConfigError(
      'AUTH0_M2M_CLIENT_ID',
      `set (with AUTH0_M2M_CLIENT_SECRET), or ${CLIENT_LIST_VARIABLE} set to a JSON array`,
    );
  }
  return clients;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.trim() === value;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === '';
}
