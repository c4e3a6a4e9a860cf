/**
 * Which token-endpoint URLs are acceptable. A client secret travels in every request, so the
 * endpoint must be `https://`; plain `http://` is allowed only when the traffic never leaves
 * the machine (the local stack, tests).
 */
import { ConfigError } from '../errors.js';

/**
 * Whether a URL hostname names the local machine: `localhost`, `127.0.0.0/8` or `::1`.
 *
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('[::1]');     // true (URL.hostname keeps the brackets)
 * isLoopbackHost('10.0.0.1');  // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return true;
  // WHATWG URL keeps IPv6 literals bracketed and normalizes them (`[0:0::1]` → `[::1]`).
  if (host === '[::1]' || host === '::1') return true;
  // WHATWG URL also normalizes IPv4 forms (`127.1`, `0x7f.0.0.1`) to dotted quads.
  const octets = host.split('.');
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)
  );
}

/**
 * Parses a token-endpoint (or Auth0 base) URL and enforces the transport rule: `https://`
 * anywhere, `http://` only for loopback hosts (RFC 6749 §2.3.1 and §3.2 require TLS whenever
 * client credentials are sent). Throws a `ConfigError` naming `variable` otherwise.
 *
 * @example
 * ```ts
 * requireSecureUrl('https://tenant.auth0.com/oauth/token', 'tokenEndpoint'); // URL
 * requireSecureUrl('http://127.0.0.1:4566/oauth/token', 'tokenEndpoint');   // URL (loopback)
 * requireSecureUrl('http://idp.example.com/token', 'tokenEndpoint');        // throws ConfigError
 * ```
 */
export function requireSecureUrl(raw: string, variable: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ConfigError(variable, `an absolute https:// URL, got "${raw}"`, { cause });
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in the URL would end up in logs and error messages.
    throw new ConfigError(variable, 'a URL without user:password@ credentials');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new ConfigError(
      variable,
      `an https:// URL (http:// is allowed only for loopback hosts: localhost, 127.0.0.0/8, ::1), got host "${url.hostname}"`,
    );
  }
  throw new ConfigError(variable, `an https:// URL, got protocol "${url.protocol}"`);
}
