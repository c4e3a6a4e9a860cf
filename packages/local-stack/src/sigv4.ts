/**
 * Signature Version 4 checked the way AWS's front end checks it for the JSON services: the
 * `Authorization` header is parsed, the access key looked up among the configured ones, the
 * `X-Amz-Date` compared with the clock, and the signature recomputed with `@smithy/signature-v4`
 * (the SDK's own signer) over the request exactly as it arrived, raw body included.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsError, type SigV4Credential } from './aws-json.js';
import type { LocalAwsCredential } from './contract.js';

/**
 * How far `X-Amz-Date` may be from the stack's clock. SSM and Secrets Manager answer
 * "Signature expired: ... (... - 5 min.)" past five minutes (some other services allow 15).
 */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

/** What the verifier reads from a request. */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received: the signature covers its bytes, not a re-encoding. */
  readonly rawBody: Uint8Array;
}

/** Checks a request's signature; resolves with its credential scope or throws an `AwsError`. */
export type SigV4Verifier = (request: SignedRequest, service: string) => Promise<SigV4Credential>;

/** The parts of a SigV4 `Authorization` header. */
interface ParsedAuthorization extends SigV4Credential {
  readonly shortDate: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Parses a SigV4 `Authorization` header. Throws what AWS answers for an unsigned request
 * (`MissingAuthenticationTokenException`, HTTP 403) or a malformed one
 * (`IncompleteSignatureException`); the message never echoes more than the scheme.
 *
 * @example
 * ```ts
 * parseSigV4('AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab12');
 * // { accessKeyId: 'AKID', region: 'us-west-2', service: 'ssm', signedHeaders: ['host', 'x-amz-date'], ... }
 * ```
 */
export function parseSigV4(authorization: string | undefined): ParsedAuthorization {
  if (authorization === undefined || authorization.trim() === '') {
    // SSM API reference, "Common Errors": MissingAuthenticationToken, HTTP 403. On the wire the
    // JSON services name the shape with the "Exception" suffix.
    throw new AwsError(
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
      403,
    );
  }
  // "AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request,
  // SignedHeaders=<a;b;c>, Signature=<hex>" (IAM User Guide, "Elements of an AWS API request
  // signature").
  const text = authorization.trim();
  const scheme = text.split(/\s/)[0] ?? '';
  const fields = new Map<string, string>();
  if (scheme === 'AWS4-HMAC-SHA256') {
    for (const part of text.slice(scheme.length).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields.get(name));
  const scope = /^([^/\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(
    fields.get('Credential') ?? '',
  );
  if (missing.length > 0 || scope === null) {
    const required = (missing.length > 0 ? missing : ['Credential'])
      .map((name) => `Authorization header requires '${name}' parameter. `)
      .join('');
    throw new AwsError('IncompleteSignatureException', `${required}Authorization=${scheme}`);
  }
  const [, accessKeyId = '', shortDate = '', region = '', service = ''] = scope;
  return {
    accessKeyId,
    shortDate,
    region,
    service,
    signedHeaders: (fields.get('SignedHeaders') ?? '').toLowerCase().split(';'),
    signature: (fields.get('Signature') ?? '').toLowerCase(),
  };
}

/** `20260115T120000Z` as epoch ms, or `undefined`. */
function parseAmzDate(value: string | undefined): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (match === null) return undefined;
  const [, year, month, day, hours, minutes, seconds] = match;
  // Date.parse refuses impossible fields (month 13, hour 25) with NaN.
  const ms = Date.parse(`${year}-${month}-${day}T${hours}:${minutes}:${seconds}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** AWS's wording for a request signed too far from its clock (InvalidSignatureException). */
function skewMessage(signedAt: number, now: number): string | undefined {
  const minutes = SIGNATURE_WINDOW_MS / 60_000;
  if (signedAt < now - SIGNATURE_WINDOW_MS) {
    return `Signature expired: ${amzDate(signedAt)} is now earlier than ${amzDate(now - SIGNATURE_WINDOW_MS)} (${amzDate(now)} - ${minutes} min.)`;
  }
  if (signedAt > now + SIGNATURE_WINDOW_MS) {
    return `Signature not yet current: ${amzDate(signedAt)} is still later than ${amzDate(now + SIGNATURE_WINDOW_MS)} (${amzDate(now)} + ${minutes} min.)`;
  }
  return undefined;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = new Sha256();
  hash.update(bytes);
  return Buffer.from(await hash.digest()).toString('hex');
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Creates a verifier that accepts signatures made with one of `credentials`, within
 * `SIGNATURE_WINDOW_MS` of `clock()`.
 *
 * @example
 * ```ts
 * const verify = createSigV4Verifier([{ accessKeyId: 'test', secretAccessKey: 'test' }], Date.now);
 * const credential = await verify(request, 'ssm'); // { accessKeyId: 'test', region: 'us-west-2', service: 'ssm' }
 * ```
 */
export function createSigV4Verifier(
  credentials: readonly LocalAwsCredential[],
  clock: () => number,
): SigV4Verifier {
  const secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  return async (request, service) => {
    const parsed = parseSigV4(header(request.headers, 'authorization'));
    const signedAt = parseAmzDate(header(request.headers, 'x-amz-date'));
    if (signedAt === undefined) {
      // Every SDK and the CLI sign with X-Amz-Date; the `Date` alternative is not supported.
      throw new AwsError(
        'IncompleteSignatureException',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
      );
    }
    const secretAccessKey = secrets.get(parsed.accessKeyId);
    if (secretAccessKey === undefined) {
      throw new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (parsed.service !== service) {
      throw new AwsError(
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${service}'. `,
      );
    }
    const skew = skewMessage(signedAt, clock());
    if (skew !== undefined) throw new AwsError('InvalidSignatureException', skew);

    // Rebuild the request from the headers the client says it signed, and let the SDK's signer
    // sign it again. The signer adds X-Amz-Date and, given a session token, X-Amz-Security-Token
    // itself, so a token sent but left unsigned changes the canonical request and fails.
    const signed = new Set(parsed.signedHeaders);
    const headers: Record<string, string> = {};
    for (const name of signed) {
      const value = header(request.headers, name);
      if (value !== undefined) headers[name] = value;
    }
    // A signed payload hash must be the hash of the bytes that arrived; the signer would
    // otherwise trust the header and a changed body would go unnoticed.
    if (headers['x-amz-content-sha256'] !== undefined) {
      headers['x-amz-content-sha256'] = await sha256Hex(request.rawBody);
    }
    const sessionToken = header(request.headers, 'x-amz-security-token');
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: parsed.accessKeyId,
        secretAccessKey,
        ...(sessionToken === undefined ? {} : { sessionToken }),
      },
      region: parsed.region,
      service: parsed.service,
      sha256: Sha256,
      applyChecksum: false,
    });
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(request.query.keys())) {
      const values = request.query.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const resigned = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: headers.host ?? 'localhost',
        path: request.path,
        query,
        headers,
        body: request.rawBody,
      },
      { signingDate: new Date(signedAt), signableHeaders: signed },
    );
    const expected = /Signature=([0-9a-f]+)/.exec(resigned.headers.authorization ?? '')?.[1];
    // A scope dated another day than X-Amz-Date was signed with another key: a mismatch too.
    if (
      expected === undefined ||
      amzDate(signedAt).slice(0, 8) !== parsed.shortDate ||
      !sameSignature(expected, parsed.signature)
    ) {
      throw new AwsError('InvalidSignatureException', SIGNATURE_MISMATCH);
    }
    return { accessKeyId: parsed.accessKeyId, region: parsed.region, service: parsed.service };
  };
}
