/**
 * The standard client-credentials grant (RFC 6749 §4.4) for any authorization server: a form
 * body, the client authenticated with HTTP Basic or in the body (RFC 6749 §2.3.1), optional
 * `scope`, `resource` (RFC 8707) and `audience` parameters.
 */
import { ConfigError } from '../errors.js';
import {
  type ClientCredentialsCommonOptions,
  type ClientCredentialsSource,
  createClientCredentialsSource,
  requireText,
  validateCommonOptions,
} from './client-credentials.js';
import { requireSecureUrl } from './endpoint-url.js';

/** How the client authenticates (RFC 6749 §2.3.1, OpenID Connect `token_endpoint_auth_method`). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** Options of {@link oauth2ClientCredentials}. */
export interface OAuth2ClientCredentialsOptions extends ClientCredentialsCommonOptions {
  /** The token endpoint, `https://` (or `http://` on a loopback host). */
  readonly tokenEndpoint: string;
  readonly authMethod: ClientAuthMethod;
  /** Space-separated scopes to request. */
  readonly scope?: string;
  /** RFC 8707 resource indicator(s): absolute URIs of the APIs the token is for. */
  readonly resource?: string | readonly string[];
  /** `audience` parameter, for servers that use it instead of `resource` (Auth0, Okta, ...). */
  readonly audience?: string;
  /** Issuer of the tokens, for the cache's identity check (default: the endpoint's origin + `/`). */
  readonly issuer?: string;
}

/**
 * Encodes one credential for HTTP Basic as RFC 6749 §2.3.1 demands: form-urlencoded first,
 * then joined with `:` and base64-encoded (so a `:` or non-ASCII secret survives).
 *
 * @example
 * ```ts
 * basicAuthorization('id', 'p@ss:w'); // 'Basic aWQ6cCU0MHNzJTNBdw=='
 * ```
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`, 'utf8').toString('base64')}`;
}

/**
 * A client-credentials source for any RFC 6749 authorization server. The identity's audience
 * is `audience`, else the resource indicator(s), else the empty string.
 *
 * @example
 * ```ts
 * const source = oauth2ClientCredentials({
 *   tokenEndpoint: 'https://login.example.com/oauth2/token',
 *   clientId, clientSecret,
 *   authMethod: 'client_secret_basic',
 *   scope: 'orders:read',
 *   resource: 'https://api.example.com',
 * });
 * const { accessToken } = await source.getToken();
 * ```
 */
export function oauth2ClientCredentials(
  options: OAuth2ClientCredentialsOptions,
): ClientCredentialsSource {
  validateCommonOptions(options);
  const endpoint = requireSecureUrl(options.tokenEndpoint, 'tokenEndpoint');
  if (options.authMethod !== 'client_secret_basic' && options.authMethod !== 'client_secret_post') {
    throw new ConfigError(
      'authMethod',
      `"client_secret_basic" or "client_secret_post", got "${String(options.authMethod)}"`,
    );
  }
  if (options.scope !== undefined) requireText(options.scope, 'scope');
  if (options.audience !== undefined) requireText(options.audience, 'audience');
  const resources = resourceList(options.resource);
  const issuer = options.issuer ?? `${endpoint.origin}/`;
  requireText(issuer, 'issuer');

  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (options.scope !== undefined) form.set('scope', options.scope);
  for (const resource of resources) form.append('resource', resource);
  if (options.audience !== undefined) form.set('audience', options.audience);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.authMethod === 'client_secret_basic') {
    headers.authorization = basicAuthorization(options.clientId, options.clientSecret);
  } else {
    form.set('client_id', options.clientId);
    form.set('client_secret', options.clientSecret);
  }

  return createClientCredentialsSource({
    endpoint,
    identity: {
      issuer,
      audience: options.audience ?? resources.join(' '),
      clientIds: [options.clientId],
    },
    request: { headers, body: form.toString() },
    common: options,
  });
}

function resourceList(resource: string | readonly string[] | undefined): string[] {
  if (resource === undefined) return [];
  const list = typeof resource === 'string' ? [resource] : [...resource];
  for (const entry of list) {
    // RFC 8707 §2: an absolute URI without a fragment.
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (url === undefined || url.hash !== '') {
      throw new ConfigError(
        'resource',
        `an absolute URI without a fragment (RFC 8707), got "${entry}"`,
      );
    }
  }
  return list;
}
