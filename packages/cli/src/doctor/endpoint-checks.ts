/**
 * Doctor checks on the token endpoint: reachable (without spending a token), optionally a real
 * token (`--fetch`), and the local clock against the endpoint's.
 */
import { type Token, TokenEndpointError } from '@token-cache/core/internal';
import type { ConfiguredEndpoint } from '../configured-source.js';
import { formatDuration } from '../duration.js';
import { type CheckResult, check } from './check.js';

/** Skew beyond which refresh timing goes wrong (tokens served late, or refreshed too early). */
const SKEW_FAIL_MS = 60_000;
/** Skew worth a warning; HTTP `Date` has one-second resolution, so below this is noise. */
const SKEW_WARN_MS = 5_000;

/** What the endpoint checks learnt. */
export interface EndpointFacts {
  /** The endpoint's clock from its HTTP `Date` header, with our clock at the same moment. */
  readonly serverDate?: { readonly server: number; readonly local: number };
  readonly token?: Token;
}

/**
 * POSTs an empty client-credentials request: any HTTP answer (400/401 expected) proves the
 * endpoint is reachable, and no token is issued, so none is billed.
 *
 * @example
 * ```ts
 * const { result, facts } = await checkEndpointReachable(endpoint, 5_000);
 * ```
 */
export async function checkEndpointReachable(
  endpoint: ConfiguredEndpoint,
  timeoutMs: number,
): Promise<{ result: CheckResult; facts: EndpointFacts }> {
  const title = 'Token endpoint is reachable';
  const started = Date.now();
  try {
    const response = await fetch(endpoint.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    const local = Math.round((started + Date.now()) / 2);
    const date = Date.parse(response.headers.get('date') ?? '');
    const facts: EndpointFacts = Number.isNaN(date) ? {} : { serverDate: { server: date, local } };
    return {
      result: check(
        'endpoint',
        title,
        'pass',
        `${endpoint.tokenEndpoint} answered HTTP ${response.status} to an empty request (no token issued)`,
      ),
      facts,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return {
      result: check(
        'endpoint',
        title,
        'fail',
        `${endpoint.tokenEndpoint} did not answer: ${reason}`,
        'Check AUTH0_DOMAIN (or TOKEN_CACHE_TOKEN_ENDPOINT), DNS, and outbound HTTPS (a Lambda in a VPC needs a NAT gateway to reach Auth0).',
      ),
      facts: {},
    };
  }
}

/**
 * `--fetch`: obtains a real token straight from the endpoint (not stored, one token billed),
 * proving the credentials and the client grant for the audience.
 *
 * @example
 * ```ts
 * const { result, token } = await checkTokenFetch(endpoint);
 * ```
 */
export async function checkTokenFetch(
  endpoint: ConfiguredEndpoint,
): Promise<{ result: CheckResult; token?: Token }> {
  const title = 'Token endpoint issues a token (--fetch)';
  try {
    const token = await endpoint.source.getToken();
    const scope = token.scope ? `, scope "${token.scope}"` : '';
    return {
      result: check(
        'token-fetch',
        title,
        'pass',
        `token issued to ${token.clientId ?? endpoint.identity.clientIds[0]}, valid for ${formatDuration(token.expiresAt - Date.now())}${scope} (not stored)`,
      ),
      token,
    };
  } catch (error) {
    return {
      result: check('token-fetch', title, 'fail', messageOf(error), fixFor(error, endpoint)),
    };
  }
}

/**
 * Compares the local clock with the endpoint's `Date` header and, when a token is at hand, its
 * `iat`: a clock that runs behind serves tokens past their expiry (RFC 7519 §4.1.6).
 *
 * @example
 * ```ts
 * const result = checkClockSkew(facts, storedIssuedAt, Date.now());
 * ```
 */
export function checkClockSkew(
  facts: EndpointFacts,
  issuedAt: number | undefined,
  now: number,
): CheckResult {
  const title = 'Local clock agrees with the token endpoint';
  const findings: string[] = [];
  let worst = 0;
  if (facts.serverDate) {
    const skew = facts.serverDate.local - facts.serverDate.server;
    worst = Math.max(worst, Math.abs(skew));
    findings.push(`HTTP Date differs by ${formatSigned(skew)}`);
  }
  if (issuedAt !== undefined && issuedAt > now) {
    // A token cannot be issued in the future: our clock is behind the issuer's by at least this.
    const behind = issuedAt - now;
    worst = Math.max(worst, behind);
    findings.push(`a token's iat is ${formatDuration(behind)} in the future`);
  } else if (issuedAt !== undefined) {
    findings.push(`token iat ${new Date(issuedAt).toISOString()} is in the past, as it should be`);
  }
  if (findings.length === 0) {
    return check(
      'clock-skew',
      title,
      'skip',
      'no Date header and no token to compare with (try --fetch)',
    );
  }
  const detail = findings.join('; ');
  const fix = 'Synchronise the clock (NTP / chrony); tokens are judged fresh or expired by it.';
  if (worst > SKEW_FAIL_MS) return check('clock-skew', title, 'fail', detail, fix);
  if (worst > SKEW_WARN_MS) return check('clock-skew', title, 'warn', detail, fix);
  return check('clock-skew', title, 'pass', detail);
}

function formatSigned(ms: number): string {
  if (Math.abs(ms) < 1_000) return 'less than a second (the header has one-second resolution)';
  return `${formatDuration(Math.abs(ms))} (local clock ${ms > 0 ? 'ahead' : 'behind'})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fixFor(error: unknown, endpoint: ConfiguredEndpoint): string {
  if (error instanceof TokenEndpointError) {
    if (error.status === 401) {
      return 'The endpoint rejected the client credentials: check AUTH0_M2M_CLIENT_ID and AUTH0_M2M_CLIENT_SECRET (or the secret named by AWS_SECRET_ID).';
    }
    if (error.status === 403) {
      return `The client has no grant for audience ${endpoint.identity.audience}: authorise the application for that API in Auth0 (Applications → APIs → Machine to Machine).`;
    }
    if (error.status === 429) {
      return 'Rate limited or out of monthly tokens: wait for the reset; the shared cache keeps token use at one per lifetime.';
    }
  }
  return 'Check AUTH0_DOMAIN and network access to the token endpoint.';
}
