/**
 * The programmatic contract of the local stack: what `start()` accepts and returns.
 * Tests, the demo, the CLI's `dev` command and the fleet benchmark all depend on this shape;
 * extend it additively.
 */

/** Default client registered by the stack (and its grant), so every consumer agrees offline. */
export const DEFAULT_CLIENT = {
  clientId: 'local-m2m-client',
  clientSecret: 'local-m2m-secret-do-not-use-in-prod',
  audience: 'https://api.vwc.local',
  scope: 'read:vehicles',
} as const;

/** An AWS access key whose SigV4 signatures the stack accepts. */
export interface LocalAwsCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * The access key the stack accepts by default and puts in `env`: the dummy pair every local
 * tool already uses, so signing with it works unchanged while any other key is refused.
 */
export const DEFAULT_AWS_CREDENTIALS: LocalAwsCredential = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
};

/**
 * Where a fault applies: a service (`ssm`), one operation (`ssm.GetParameter`), `idp.token`,
 * `api`, `secretsmanager`; an SSM or Secrets Manager target followed by `:` and a name applies
 * to requests for that parameter or secret only (`ssm:/vwc/dev/token-lock`: a policy that
 * denies one parameter).
 */
export type FaultTarget = string;

/** The failure a fault produces. */
export type FaultKind =
  | 'http-500' // 500 InternalServerError (AWS JSON shape / Auth0 shape)
  | 'http-503' // 503 ServiceUnavailable
  | 'throttle' // SSM/SM: 400 ThrottlingException "Rate exceeded"
  | 'too-many-updates' // SSM: 400 TooManyUpdates
  | 'access-denied' // SSM/SM: 400 AccessDeniedException; idp: 401 access_denied
  | 'unauthorized' // api: 401 (the token is refused); elsewhere as access-denied
  | 'rate-limit-429' // idp: 429 too_many_requests with x-ratelimit-* headers
  | 'malformed' // 200 with a body that is not valid JSON
  | 'reset' // connection destroyed without a response
  | 'hang'; // never answers (until the stack stops or `hangMs` elapses)

/** One fault rule. */
export interface FaultSpec {
  /** Added delay before handling, milliseconds. */
  readonly latencyMs?: number;
  /** Probability in [0, 1] that a request fails with `failure` (default 1 when `failure` is set). */
  readonly failureRate?: number;
  readonly failure?: FaultKind;
  /** Apply to at most this many matching requests, then remove the rule. */
  readonly count?: number;
  /** For `hang`: answer with a 500 after this many ms instead of never. */
  readonly hangMs?: number;
  /**
   * For the IdP's `rate-limit-429`: the `x-ratelimit-reset` to announce, epoch seconds
   * (default one second from now). A far-future value imitates a misbehaving rate limiter.
   */
  readonly rateLimitResetEpochSeconds?: number;
}

/** A registered M2M client of the local IdP. */
export interface LocalClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Audiences this client has a client grant for, with the scope granted for each. */
  readonly grants: ReadonlyArray<{ readonly audience: string; readonly scope?: string }>;
}

/** Options for `start()`. Every field has a default. */
export interface LocalStackOptions {
  /** TCP port; 0 = any free port (default 0 for `start()`, 4566 for `npm run stack`). */
  readonly port?: number;
  readonly host?: string;
  readonly ssm?: {
    /** Account-wide token bucket; 0 = unlimited. AWS defaults: 40 reads/s, 3 writes/s. */
    readonly readsPerSecond?: number;
    readonly writesPerSecond?: number;
    /**
     * After a write to a parameter, further writes to it within this many ms answer
     * `TooManyUpdates` (default 0: only writes overlapping in flight conflict).
     */
    readonly updateConflictWindowMs?: number;
  };
  readonly idp?: {
    /** `expires_in` of issued tokens, seconds (default 86,400). */
    readonly expiresInSeconds?: number;
    /** Token requests per second before 429 (default 30; 0 = unlimited). */
    readonly rateLimitPerSecond?: number;
    /** Tokens per month before 429 (default 1,000; 0 = unlimited). */
    readonly monthlyQuota?: number;
    /** Registered clients (default: `[DEFAULT_CLIENT]` with its grant). */
    readonly clients?: readonly LocalClient[];
  };
  readonly aws?: {
    /**
     * Access keys whose SigV4 signatures SSM and Secrets Manager accept (default
     * `[DEFAULT_AWS_CREDENTIALS]`); the first is the one `env` carries. Any session token is
     * accepted when it is signed.
     */
    readonly credentials?: readonly LocalAwsCredential[];
    /**
     * Clock (epoch ms) that `X-Amz-Date` is checked against (default `Date.now`). Not `now`:
     * clients sign with their real clock, whatever time a test gives the stack's data.
     */
    readonly signingClock?: () => number;
  };
  /** Audience the protected API accepts (default `DEFAULT_CLIENT.audience`). */
  readonly apiAudience?: string;
  /** Secrets to pre-create in Secrets Manager: name → SecretString. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Initial fault rules. */
  readonly faults?: Readonly<Record<FaultTarget, FaultSpec>>;
  /** Clock (epoch ms) for timestamps, token `iat`/`exp`, JWT verification and rate limits (default `Date.now`). */
  readonly now?: () => number;
  /** Random source in [0, 1) for fault `failureRate` (default `Math.random`). */
  readonly random?: () => number;
}

/** Request counters, keyed `ssm.<Operation>`, `secretsmanager.<Operation>`, `idp.token`, `idp.issued`, `api.requests`, `api.accepted`, `api.rejected`, `ssm.throttled`. */
export interface Counters {
  get(key: string): number;
  snapshot(): Record<string, number>;
  reset(): void;
}

/** Fault controls. */
export interface Faults {
  set(target: FaultTarget, spec: FaultSpec): void;
  clear(target?: FaultTarget): void;
}

/** A running local stack. */
export interface LocalStack {
  /** Base URL, e.g. `http://127.0.0.1:4566`. Every service is on this one origin. */
  readonly url: string;
  readonly port: number;
  /** Issuer of the local IdP's tokens: `${url}/` (Auth0 puts a trailing slash on `iss`). */
  readonly issuer: string;
  /** `${url}/oauth/token` */
  readonly tokenEndpoint: string;
  /** `${url}/.well-known/jwks.json` */
  readonly jwksUri: string;
  /** Environment for the AWS SDK/CLI and the backend: AWS_ENDPOINT_URL, AWS_REGION, the first accepted access key, AUTH0_* of the default client. */
  readonly env: Readonly<Record<string, string>>;
  readonly counters: Counters;
  readonly faults: Faults;
  /** IdP administration: add or revoke clients at run time. */
  readonly idp: {
    addClient(client: LocalClient): void;
    /** Revokes a client: its secret stops working (401 access_denied). */
    revokeClient(clientId: string): void;
    /** Changes `expires_in` for tokens issued from now on. */
    setExpiresIn(seconds: number): void;
  };
  /** SSM administration: change the account-wide throttles at run time (0 = unlimited). */
  readonly ssm: {
    setThrottle(rates: {
      readonly readsPerSecond?: number;
      readonly writesPerSecond?: number;
    }): void;
  };
  /** Clears every SSM parameter, secret, counter, fault and IdP rate/quota count (clients are kept). */
  reset(): void;
  /** Closes the server and every open connection (hung requests included). */
  stop(): Promise<void>;
}
