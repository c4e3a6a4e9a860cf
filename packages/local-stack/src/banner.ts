/**
 * What `npm run stack` prints once it listens: the endpoints and the exact `export` lines for a
 * shell. The default client's secret is printed on purpose: it is a published local-only
 * credential (`DEFAULT_CLIENT`), and the developer needs it to point the backend here.
 */
import { DEFAULT_CLIENT, type LocalStack } from './contract.js';

/** Quotes a value for POSIX shells. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Renders the startup banner.
 *
 * @example
 * ```ts
 * console.log(renderBanner(stack));
 * ```
 */
export function renderBanner(stack: LocalStack): string {
  const exports = Object.entries(stack.env).map(([key, value]) =>
    // Only the published local-only default secret may be printed; anything else is masked.
    key === 'AUTH0_M2M_CLIENT_SECRET' && value !== DEFAULT_CLIENT.clientSecret
      ? `export ${key}=<the secret you registered>`
      : `export ${key}=${shellQuote(value)}`,
  );
  return [
    `Local stack listening on ${stack.url}`,
    '',
    'Endpoints:',
    `  SSM, Secrets Manager (AWS JSON 1.1)  POST ${stack.url}/`,
    `  Token endpoint (Auth0-compatible)    POST ${stack.tokenEndpoint}`,
    `  JWKS                                 GET  ${stack.jwksUri}`,
    `  Protected API                        GET  ${stack.url}/vehicles/{id}/overview`,
    `  Control API                          ${stack.url}/_stack/{health,info,counters,faults,reset,clients}`,
    '',
    'Environment (paste into your shell):',
    ...exports,
    '',
    `AWS CLI: aws --endpoint-url ${stack.url} ssm get-parameter --name <name> --with-decryption`,
    'Press Ctrl-C to stop.',
  ].join('\n');
}
