/**
 * The one interface every layer of the cache implements, and the value it returns.
 *
 * Shaped after Go's `oauth2.TokenSource`: one method, safe for concurrent use. The memory tier,
 * the shared tier and the client-credentials sources are all `TokenSource`s; the cache is their
 * composition.
 */

/** An OAuth2 bearer access token with its absolute expiry. */
export interface Token {
  /** The bearer credential. Never log it. */
  readonly accessToken: string;
  /** Absolute expiry, epoch milliseconds. */
  readonly expiresAt: number;
  /** When the token endpoint issued it, epoch milliseconds (when known). */
  readonly issuedAt?: number;
  /** Always `Bearer` (RFC 6750); anything else is rejected when parsing a response. */
  readonly tokenType: 'Bearer';
  /** Space-separated granted scopes, when the endpoint reports them. */
  readonly scope?: string;
  /** The client id that obtained it, when known. */
  readonly clientId?: string;
}

/** Per-call options every `TokenSource` accepts. */
export interface GetTokenOptions {
  /** Aborts the call (and any I/O it started) when signalled. */
  readonly signal?: AbortSignal;
  /** Skip every cached copy this source holds and obtain a token from the next layer. */
  readonly forceRefresh?: boolean;
}

/**
 * Something that can hand out a token.
 *
 * Implementations must be safe for concurrent use: many callers may await `getToken()` at once.
 *
 * @example
 * ```ts
 * const token = await source.getToken();
 * await fetch(url, { headers: { authorization: `Bearer ${token.accessToken}` } });
 * ```
 */
export interface TokenSource {
  getToken(options?: GetTokenOptions): Promise<Token>;
  /**
   * Optional: told that the API refused `accessToken` even though it was brand new, so the
   * source can stop minting tokens the API will refuse (the cache backs off fleet-wide).
   */
  reportRefused?(accessToken: string): Promise<void>;
}

/** A clock returning epoch milliseconds; injected so tests control time instead of sleeping. */
export type Clock = () => number;

/** The system clock. */
export const systemClock: Clock = () => Date.now();

/**
 * Who a token belongs to. A stored token is only reused when its issuer and audience match and
 * its client is one of `clientIds` (several during a client rotation).
 */
export interface TokenIdentity {
  /** The authorization server's issuer, e.g. `https://tenant.auth0.com/`. */
  readonly issuer: string;
  /** The API the token is for. */
  readonly audience: string;
  /** Client ids whose tokens are acceptable, in order of preference. */
  readonly clientIds: readonly string[];
}
