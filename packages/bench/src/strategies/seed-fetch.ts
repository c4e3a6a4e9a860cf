/**
 * The token request both baselines make, behaving as the seed document describes its
 * `fetchNewToken()`: a JSON `POST https://{domain}/oauth/token` with the client credentials and
 * the audience, no timeout, the expiry computed from `expires_in` when the answer arrives, and
 * any non-2xx answer thrown as an error. (Written from that description; the error names only
 * the status, never the body, which could echo request data.)
 */
import type { BenchStack } from '../bench-stack.js';
import type { CrashSwitch } from '../crash-switch.js';
import type { AcquiredToken } from './types.js';

/**
 * Fetches a token from the stack's IdP with the default client.
 *
 * @example
 * ```ts
 * const { accessToken, expiresAt } = await fetchSeedToken(stack, NO_CRASH);
 * ```
 */
export async function fetchSeedToken(
  stack: BenchStack,
  crash: CrashSwitch,
  crashAfterResponse = false,
): Promise<AcquiredToken> {
  const body = await crash.gate(async () => {
    const response = await fetch(`${stack.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: stack.client.clientId,
        client_secret: stack.client.clientSecret,
        audience: stack.client.audience,
      }),
    });
    const text = await response.text();
    if (crashAfterResponse) crash.crash();
    if (!response.ok) throw new Error(`Failed to get Auth0 token: HTTP ${response.status}`);
    return JSON.parse(text) as { access_token: string; expires_in: number };
  });
  return { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
}
