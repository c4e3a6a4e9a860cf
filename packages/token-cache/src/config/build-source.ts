/**
 * Builds the token endpoint tier from resolved settings and credential values: Auth0 or RFC 6749,
 * one client or an ordered list for rotation (issue 7). Every missing or malformed value is a
 * `ConfigError` naming the variable, never quoting a secret.
 */
import type { CredentialValues } from '../credentials.js';
import { ConfigError } from '../errors.js';
import type { TokenCacheListener } from '../events.js';
import { auth0BaseUrl, auth0ClientCredentials } from '../sources/auth0.js';
import type { ClientCredentialsSource } from '../sources/client-credentials.js';
import { requireSecureUrl } from '../sources/endpoint-url.js';
import { oauth2ClientCredentials } from '../sources/oauth2.js';
import type { FetchFunction } from '../sources/post-token-request.js';
import { rotatingClientCredentials } from '../sources/rotating.js';
import { type ClientCredentials, readClientCredentialsList } from '../sources/rotating-clients.js';
import type { Clock } from '../token.js';
import type { TokenCacheSettings } from './settings.js';
import { ENV } from './variables.js';

/** Edges the source may be given instead of the defaults. */
export interface SourceInjections {
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
  /** Receives `client-rotated` events. */
  readonly onEvent?: TokenCacheListener;
}

/**
 * The client-credentials source the settings describe.
 *
 * @example
 * ```ts
 * const source = buildSource(resolveSettings(process.env), credentialsFromEnv(process.env));
 * ```
 */
export function buildSource(
  settings: TokenCacheSettings,
  values: CredentialValues,
  injections: SourceInjections = {},
): ClientCredentialsSource {
  const where =
    settings.secretId === undefined
      ? 'in the environment'
      : `in the secret named by ${ENV.secretId} or in the environment`;
  const clients = readClients(values, where);
  const common = {
    timeoutMs: settings.endpointTimeoutMs,
    ...(injections.fetch ? { fetch: injections.fetch } : {}),
    ...(injections.clock ? { clock: injections.clock } : {}),
  };
  const scope = settings.scope === undefined ? {} : { scope: settings.scope };
  const audienceValue = text(values[ENV.audience], ENV.audience);

  let perClient: (client: ClientCredentials) => ClientCredentialsSource;
  if (settings.provider === 'auth0') {
    const domain = required(text(values[ENV.domain], ENV.domain), ENV.domain, where);
    const base = auth0BaseUrl(domain, ENV.domain);
    const audience = required(audienceValue, ENV.audience, where);
    perClient = (client) =>
      auth0ClientCredentials({ domain: base, audience, ...client, ...common, ...scope });
  } else {
    const endpoint = requireSecureUrl(settings.tokenEndpoint ?? '', ENV.tokenEndpoint).href;
    perClient = (client) =>
      oauth2ClientCredentials({
        tokenEndpoint: endpoint,
        authMethod: settings.authMethod,
        ...client,
        ...common,
        ...scope,
        ...(settings.resource === undefined ? {} : { resource: settings.resource }),
        ...(audienceValue === undefined ? {} : { audience: audienceValue }),
        ...(settings.issuer === undefined ? {} : { issuer: settings.issuer }),
      });
  }
  const sources = clients.map(perClient);
  if (sources.length === 1 && sources[0] !== undefined) return sources[0];
  return rotatingClientCredentials(
    sources,
    injections.onEvent ? { onEvent: injections.onEvent } : {},
  );
}

function readClients(values: CredentialValues, where: string): ClientCredentials[] {
  try {
    return readClientCredentialsList(values);
  } catch (error) {
    if (
      error instanceof ConfigError &&
      error.variable === ENV.clientId &&
      values[ENV.clientId] === undefined &&
      values[ENV.clientSecret] === undefined
    ) {
      throw new ConfigError(ENV.clientId, `set ${where} (with ${ENV.clientSecret})`);
    }
    throw error;
  }
}

function text(value: unknown, variable: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(variable, 'a non-empty string');
  }
  return value.trim();
}

function required(value: string | undefined, variable: string, where: string): string {
  if (value === undefined) throw new ConfigError(variable, `set ${where}`);
  return value;
}
