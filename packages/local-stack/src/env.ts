/**
 * The environment that points the AWS SDK v3, the AWS CLI v2 and the backend at a stack.
 * The SDK and CLI read `AWS_ENDPOINT_URL` (AWS SDKs and Tools reference, "Service-specific
 * endpoints"), so no variable of our own is needed.
 */
import { DEFAULT_AWS_CREDENTIALS, type LocalAwsCredential, type LocalClient } from './contract.js';

/**
 * Region the stack advertises (any region works; ARNs echo the request's).
 *
 * @example
 * ```ts
 * new SSMClient({ region: LOCAL_REGION, endpoint: stack.url });
 * ```
 */
export const LOCAL_REGION = 'us-west-2';

/**
 * Builds the environment for a stack at `url` whose first registered client is `client` and
 * whose first accepted access key is `credential`.
 *
 * @example
 * ```ts
 * stackEnv('http://127.0.0.1:4566', DEFAULT_CLIENT_REGISTRATION).AWS_ENDPOINT_URL; // 'http://127.0.0.1:4566'
 * ```
 */
export function stackEnv(
  url: string,
  client: LocalClient | undefined,
  credential: LocalAwsCredential = DEFAULT_AWS_CREDENTIALS,
): Record<string, string> {
  const grant = client?.grants[0];
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: LOCAL_REGION,
    // The CLI reads AWS_DEFAULT_REGION; the SDK reads AWS_REGION.
    AWS_DEFAULT_REGION: LOCAL_REGION,
    // The stack checks signatures: these must be a key it accepts.
    AWS_ACCESS_KEY_ID: credential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
    // Keep the CLI v2 from paging output through `less` (it would wait for a terminal).
    AWS_PAGER: '',
    AUTH0_DOMAIN: url,
    ...(client === undefined
      ? {}
      : { AUTH0_M2M_CLIENT_ID: client.clientId, AUTH0_M2M_CLIENT_SECRET: client.clientSecret }),
    ...(grant === undefined ? {} : { AUTH0_AUDIENCE: grant.audience }),
  };
}
