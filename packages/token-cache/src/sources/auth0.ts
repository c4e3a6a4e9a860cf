/**
 * Auth0's flavour of the client-credentials grant: `POST https://{domain}/oauth/token` with a
 * JSON body carrying the `audience` (the API identifier) — Auth0 requires it for M2M tokens.
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

/** Options of {@link auth0ClientCredentials}. */
export interface Auth0ClientCredentialsOptions extends ClientCredentialsCommonOptions {
  /**
   * The tenant: a bare domain (`tenant.us.auth0.com`, https implied) or a base URL
   * (`https://login.example.com`, `http://127.0.0.1:4566` for a loopback test IdP).
   */
  readonly domain: string;
  /** The API identifier the token is for. */
  readonly audience: string;
  /** Space-separated scopes to request (default: every scope of the client grant). */
  readonly scope?: string;
}

/**
 * Normalizes an Auth0 domain or base URL to a base URL without a trailing slash. Throws a
 * `ConfigError` naming `variable` for anything else (http:// is accepted for loopback only).
 *
 * @example
 * ```ts
 * auth0BaseUrl('tenant.auth0.com');       // 'https://tenant.auth0.com'
 * auth0BaseUrl('http://127.0.0.1:4566/'); // 'http://127.0.0.1:4566'
 * ```
 */
export function auth0BaseUrl(domain: string, variable = 'domain'): string {
  requireText(domain, variable);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(domain)) {
    const url = requireSecureUrl(domain, variable);
    if (url.search !== '' || url.hash !== '') {
      throw new ConfigError(variable, 'a base URL without a query or fragment');
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  // A bare domain, optionally with a port: it must survive URL parsing unchanged.
  let parsed: URL | undefined;
  try {
    parsed = new URL(`https://${domain}`);
  } catch {
    parsed = undefined;
  }
  const bare = domain.replace(/\/$/, '').toLowerCase();
  if (parsed === undefined || parsed.host !== bare || !/^[a-z0-9.-]+(:\d+)?$/.test(bare)) {
    throw new ConfigError(
      variable,
      `a bare domain such as "tenant.us.auth0.com" or an http(s):// base URL, got "${domain}"`,
    );
  }
  return `https://${parsed.host}`;
}

/**
 * A client-credentials source for an Auth0 tenant. Its identity's issuer is `<base URL>/`
 * (the `iss` Auth0 puts in its tokens, trailing slash included).
 *
 * @example
 * ```ts
 * const source = auth0ClientCredentials({
 *   domain: 'tenant.us.auth0.com',
 *   clientId: process.env.AUTH0_M2M_CLIENT_ID!,
 *   clientSecret: process.env.AUTH0_M2M_CLIENT_SECRET!,
 *   audience: 'https://api.example.com',
 * });
 * const { accessToken } = await source.getToken();
 * ```
 */
export function auth0ClientCredentials(
  options: Auth0ClientCredentialsOptions,
): ClientCredentialsSource {
  validateCommonOptions(options);
  const base = auth0BaseUrl(options.domain);
  requireText(options.audience, 'audience');
  if (options.scope !== undefined) requireText(options.scope, 'scope');

  const body: Record<string, string> = {
    grant_type: 'client_credentials',
    client_id: options.clientId,
    client_secret: options.clientSecret,
    audience: options.audience,
  };
  if (options.scope !== undefined) body.scope = options.scope;

  return createClientCredentialsSource({
    endpoint: new URL(`${base}/oauth/token`),
    identity: { issuer: `${base}/`, audience: options.audience, clientIds: [options.clientId] },
    request: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    common: options,
  });
}
