/**
 * What `npm run stack` prints once it listens: the endpoints and the exact `export` lines for a
 * shell. The default client's secret and the default AWS key are printed on purpose: they are
 * published local-only credentials (`DEFAULT_CLIENT`, `DEFAULT_AWS_CREDENTIALS`), and the
 * developer needs them to point the backend here.
 */
import { DEFAULT_AWS_CREDENTIALS, DEFAULT_CLIENT, type LocalStack } from './contract.js';

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
    // Only the published local-only default secrets may be printed; anything else is masked.
    (key === 'AUTH0_M2M_CLIENT_SECRET' && value !== DEFAULT_CLIENT.clientSecret) ||
    (key === 'AWS_SECRET_ACCESS_KEY' && value !== DEFAULT_AWS_CREDENTIALS.secretAccessKey)
      ? `export ${key}=<the secret you configured>`
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
