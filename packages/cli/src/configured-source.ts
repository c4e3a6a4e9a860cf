/**
 * The token endpoint as configured, built with the library's own sources so `inspect` and
 * `doctor` judge stored tokens by exactly the identity the fleet uses. Building a source does
 * no I/O; only `getToken()` calls the endpoint.
 */
import {
  auth0BaseUrl,
  auth0ClientCredentials,
  type ClientCredentialsSource,
  type CredentialValues,
  oauth2ClientCredentials,
  readClientCredentialsList,
  type TokenCacheSettings,
  type TokenIdentity,
} from '@token-cache/core/internal';

/** The configured endpoint: where tokens come from and whose tokens are accepted. */
export interface ConfiguredEndpoint {
  /** The token endpoint URL (`<Auth0 base>/oauth/token` or `TOKEN_CACHE_TOKEN_ENDPOINT`). */
  readonly tokenEndpoint: string;
  /** A source for the first configured client (`doctor --fetch`). */
  readonly source: ClientCredentialsSource;
  /** Issuer, audience and every configured client id (all clients of a rotation). */
  readonly identity: TokenIdentity;
}

/**
 * Builds the configured endpoint from settings and credential values; throws a `ConfigError`
 * naming the variable when something is missing.
 *
 * @example
 * ```ts
 * const { identity } = configuredEndpoint(settings, await context.credentials());
 * ```
 */
export function configuredEndpoint(
  settings: TokenCacheSettings,
  values: CredentialValues,
): ConfiguredEndpoint {
  const clients = readClientCredentialsList(values);
  const first = clients[0];
  if (first === undefined) {
    throw new Error('no client credentials configured (AUTH0_M2M_CLIENT_ID)');
  }
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '');
  const common = { ...first, timeoutMs: settings.endpointTimeoutMs };
  const scope = settings.scope === undefined ? {} : { scope: settings.scope };
  let source: ClientCredentialsSource;
  let tokenEndpoint: string;
  if (settings.provider === 'auth0') {
    const base = auth0BaseUrl(text('AUTH0_DOMAIN'), 'AUTH0_DOMAIN');
    tokenEndpoint = `${base}/oauth/token`;
    source = auth0ClientCredentials({
      domain: base,
      audience: text('AUTH0_AUDIENCE'),
      ...common,
      ...scope,
    });
  } else {
    tokenEndpoint = settings.tokenEndpoint ?? '';
    const audience = text('AUTH0_AUDIENCE');
    source = oauth2ClientCredentials({
      tokenEndpoint,
      authMethod: settings.authMethod,
      ...common,
      ...scope,
      ...(audience === '' ? {} : { audience }),
      ...(settings.resource === undefined ? {} : { resource: settings.resource }),
      ...(settings.issuer === undefined ? {} : { issuer: settings.issuer }),
    });
  }
  const identity: TokenIdentity = {
    ...source.identity,
    clientIds: clients.map((client) => client.clientId),
  };
  return { tokenEndpoint, source, identity };
}
