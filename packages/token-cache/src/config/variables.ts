/**
 * Every environment variable the library reads, with its default and meaning: one list that
 * the parser, the error messages and the documentation table (`CONFIG.md`) all come from.
 */

import { DEFAULTS } from '../defaults.js';
import { MULTI_REGION_VARIABLES } from '../stores/multi-region-config.js';

/** Names of the environment variables, so code never spells one twice. */
export const ENV = {
  secretId: 'AWS_SECRET_ID',
  domain: 'AUTH0_DOMAIN',
  clientId: 'AUTH0_M2M_CLIENT_ID',
  clientSecret: 'AUTH0_M2M_CLIENT_SECRET',
  audience: 'AUTH0_AUDIENCE',
  scope: 'TOKEN_CACHE_SCOPE',
  provider: 'TOKEN_CACHE_PROVIDER',
  tokenEndpoint: 'TOKEN_CACHE_TOKEN_ENDPOINT',
  authMethod: 'TOKEN_CACHE_AUTH_METHOD',
  resource: 'TOKEN_CACHE_RESOURCE',
  issuer: 'TOKEN_CACHE_ISSUER',
  shared: 'TOKEN_CACHE_SHARED',
  store: 'TOKEN_CACHE_STORE',
  parameterName: 'AUTH0_TOKEN_PARAMETER_NAME',
  lockParameterName: 'TOKEN_CACHE_LOCK_PARAMETER_NAME',
  parameterType: 'TOKEN_CACHE_PARAMETER_TYPE',
  kmsKeyId: 'TOKEN_CACHE_KMS_KEY_ID',
  parameterTier: 'TOKEN_CACHE_PARAMETER_TIER',
  dynamoDbTable: 'TOKEN_CACHE_DYNAMODB_TABLE',
  dynamoDbItemKey: 'TOKEN_CACHE_DYNAMODB_ITEM_KEY',
  region: 'AWS_REGION',
  primaryRegion: MULTI_REGION_VARIABLES.primaryRegion,
  replicaRegions: MULTI_REGION_VARIABLES.replicaRegions,
  refreshWindowMs: 'TOKEN_CACHE_REFRESH_WINDOW_MS',
  minRemainingMs: 'TOKEN_CACHE_MIN_REMAINING_MS',
  deadlineMs: 'TOKEN_CACHE_DEADLINE_MS',
  leaseMs: 'TOKEN_CACHE_LEASE_MS',
  endpointTimeoutMs: 'TOKEN_CACHE_ENDPOINT_TIMEOUT_MS',
  storeTimeoutMs: 'TOKEN_CACHE_STORE_TIMEOUT_MS',
  maxBackoffMs: 'TOKEN_CACHE_MAX_BACKOFF_MS',
  errorBackoffMs: 'TOKEN_CACHE_ERROR_BACKOFF_MS',
  throttleFallback: 'TOKEN_CACHE_THROTTLE_FALLBACK',
  name: 'TOKEN_CACHE_NAME',
} as const;

/** Defaults, with units in the names: the library's own (`defaults.ts`), documented here. */
export { DEFAULTS } from '../defaults.js';

/** One row of the configuration table. */
export interface VariableDoc {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
}

/**
 * The documentation of every variable, in reading order. `CONFIG.md` is this table; a test
 * keeps the two identical.
 *
 * @example
 * ```ts
 * for (const row of CONFIG_VARIABLES) console.log(`${row.name} (default ${row.default})`);
 * ```
 */
export const CONFIG_VARIABLES: readonly VariableDoc[] = [
  {
    name: ENV.secretId,
    default: '(unset)',
    meaning:
      'Secrets Manager secret (name or ARN) whose JSON holds `AUTH0_DOMAIN`, `AUTH0_M2M_CLIENT_ID`, `AUTH0_M2M_CLIENT_SECRET`, `AUTH0_AUDIENCE`; read once per container. A key absent from the secret is read from the environment. Unset: all four come from the environment.',
  },
  {
    name: ENV.domain,
    default: '(required for `auth0`)',
    meaning:
      'Auth0 tenant: a bare domain (`tenant.us.auth0.com`, https) or an `http(s)://host[:port]` base URL (http only for loopback hosts). Tokens come from `<base>/oauth/token`; the issuer is `<base>/`.',
  },
  { name: ENV.clientId, default: '(required)', meaning: 'M2M client id.' },
  {
    name: ENV.clientSecret,
    default: '(required)',
    meaning: 'M2M client secret. Never logged or shown in errors.',
  },
  {
    name: ENV.audience,
    default: '(required for `auth0`)',
    meaning:
      'API identifier the token is for (`audience`). Optional for `oauth2`, where it is sent as `audience` when set.',
  },
  { name: ENV.scope, default: '(unset)', meaning: 'Space-separated scopes to request.' },
  {
    name: ENV.provider,
    default: '`auth0`',
    meaning:
      '`auth0` (JSON body with `audience`) or `oauth2` (RFC 6749 form body to `TOKEN_CACHE_TOKEN_ENDPOINT`).',
  },
  {
    name: ENV.tokenEndpoint,
    default: '(required for `oauth2`)',
    meaning: 'Token endpoint URL for `oauth2`; https, or http on a loopback host.',
  },
  {
    name: ENV.authMethod,
    default: '`client_secret_basic`',
    meaning: '`oauth2` client authentication: `client_secret_basic` or `client_secret_post`.',
  },
  {
    name: ENV.resource,
    default: '(unset)',
    meaning: '`oauth2` RFC 8707 resource indicator(s), space-separated absolute URIs.',
  },
  {
    name: ENV.issuer,
    default: 'token endpoint origin + `/`',
    meaning:
      '`oauth2` issuer recorded with stored tokens (a stored token of another issuer is ignored).',
  },
  {
    name: ENV.shared,
    default: '`on`',
    meaning:
      '`off` turns the shared tier off: memory only, no store request at all (the rollback switch). Also `true`/`false`, `1`/`0`.',
  },
  {
    name: ENV.store,
    default: '`ssm`',
    meaning: 'Shared store: `ssm` (Parameter Store) or `dynamodb`.',
  },
  {
    name: ENV.parameterName,
    default: `\`${DEFAULTS.parameterName}\``,
    meaning: 'SSM parameter holding the token envelope.',
  },
  {
    name: ENV.lockParameterName,
    default: '`<parameter>-lock`',
    meaning: 'SSM parameter holding the refresh lease (created and deleted at run time).',
  },
  {
    name: ENV.parameterType,
    default: '`SecureString`',
    meaning: '`SecureString` or `String` for the token parameter.',
  },
  {
    name: ENV.kmsKeyId,
    default: '(AWS-managed `aws/ssm`)',
    meaning: 'KMS key for `SecureString` writes (needs `kms:Encrypt`/`kms:Decrypt`).',
  },
  {
    name: ENV.parameterTier,
    default: '(unset: keep the tier, 4,096-char limit)',
    meaning:
      '`Standard`, `Advanced` or `Intelligent-Tiering`, sent with every write; Advanced allows 8,192 characters. A token too big for the tier is kept in memory only, with a warning.',
  },
  {
    name: ENV.dynamoDbTable,
    default: '(required for `dynamodb`)',
    meaning: 'DynamoDB table of the `dynamodb` store.',
  },
  {
    name: ENV.dynamoDbItemKey,
    default: '`auth0-token-cache`',
    meaning: 'Partition key of the token item in the `dynamodb` store.',
  },
  {
    name: ENV.region,
    default: `\`${DEFAULTS.region}\``,
    meaning:
      "Region this process runs in (Lambda sets it): region of the store and of Secrets Manager (a secret given by ARN is read in the ARN's region). With replicas, it picks the region read first, and must be the primary or one of the replicas.",
  },
  {
    name: ENV.primaryRegion,
    default: '(unset: `AWS_REGION`)',
    meaning:
      'Multi-region: the region whose store is authoritative, holds the refresh lease and is the read fallback. Required with `TOKEN_CACHE_REPLICA_REGIONS`; alone, every region shares the store of this one region.',
  },
  {
    name: ENV.replicaRegions,
    default: '(unset: one region)',
    meaning:
      'Multi-region: comma-separated other regions (`eu-west-1,ap-southeast-2`) whose store of the same name receives every token written. Each container reads its own region first and falls back to the primary. Not the primary, no duplicates. See `infra/regions.md`.',
  },
  {
    name: 'AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL',
    default: '(AWS)',
    meaning:
      "The AWS SDK's own endpoint variables (e.g. to reach the local stack); the library has no variable of its own for it. They apply to every region.",
  },
  {
    name: 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN',
    default: "(the SDK's credential chain)",
    meaning:
      "The SDK's static credentials. When `createTokenCacheFromEnv(env)` is given an `env` other than `process.env`, these, `AWS_REGION` and the endpoint variables are read from that `env` and passed to the clients it builds.",
  },
  {
    name: ENV.refreshWindowMs,
    default: `${DEFAULTS.refreshWindowMs}`,
    meaning: 'A token is fresh until `expiresAt` minus this; refreshing starts then.',
  },
  {
    name: ENV.minRemainingMs,
    default: `${DEFAULTS.minRemainingMs}`,
    meaning:
      'A token is usable until `expiresAt` minus this, never served after. Smaller than the refresh window. A token endpoint issuing tokens that live no longer than this is a configuration error (`ENDPOINT_RESPONSE_INVALID`, naming this variable).',
  },
  {
    name: ENV.deadlineMs,
    default: `${DEFAULTS.deadlineMs}`,
    meaning:
      'Overall bound on one `getToken()`. With the shared tier on, longer than `TOKEN_CACHE_STORE_TIMEOUT_MS`.',
  },
  {
    name: ENV.leaseMs,
    default: `${DEFAULTS.leaseMs}`,
    meaning:
      'Refresh lease period: how long other containers wait for a holder before taking over. With the shared tier on, its working time (the lease less twice the 2-s clock-skew tolerance and one `TOKEN_CACHE_STORE_TIMEOUT_MS`, which may be at most a quarter of the lease) must hold `TOKEN_CACHE_ENDPOINT_TIMEOUT_MS` + 2 × `TOKEN_CACHE_STORE_TIMEOUT_MS` (one endpoint call and its store round trips), or a holder is taken over mid-refresh: with the default timeouts, at least 15000.',
  },
  {
    name: ENV.endpointTimeoutMs,
    default: `${DEFAULTS.endpointTimeoutMs}`,
    meaning: 'Bound on one token-endpoint request (and the Secrets Manager read).',
  },
  {
    name: ENV.storeTimeoutMs,
    default: `${DEFAULTS.storeTimeoutMs}`,
    meaning: 'Bound on one store request.',
  },
  {
    name: ENV.maxBackoffMs,
    default: `${DEFAULTS.maxBackoffMs}`,
    meaning:
      'Cap on every back-off (a 429 `retry-after`/`x-ratelimit-reset`, an error back-off): a lease or back-off record naming an instant beyond now + this + the lease period is stale and ignored.',
  },
  {
    name: ENV.errorBackoffMs,
    default: `${DEFAULTS.errorBackoffMs}`,
    meaning:
      'Fleet-wide back-off after a configuration failure of the token endpoint (400/401/403, or a 200 that is not a token); also how long a container waits before reading an unusable `AWS_SECRET_ID` secret again. At most `TOKEN_CACHE_MAX_BACKOFF_MS`.',
  },
  {
    name: ENV.throttleFallback,
    default: '`off`',
    meaning:
      '`on`: a container whose store keeps throttling may call the token endpoint without the lease once its deadline forces it (spending tokens over failing). `off`: it fails with a store-throttled error instead. Also `true`/`false`, `1`/`0`.',
  },
  {
    name: ENV.name,
    default: `\`${DEFAULTS.name}\``,
    meaning: 'Cache name in metrics (`CacheName`) and logs.',
  },
  {
    name: 'TOKEN_CACHE_METRICS / TOKEN_CACHE_ENVIRONMENT',
    default: '`on` / `default`',
    meaning: 'Telemetry: `off` disables EMF metrics; the `Environment` metric dimension.',
  },
];

/**
 * Renders {@link CONFIG_VARIABLES} as a Markdown table (the body of `CONFIG.md`).
 *
 * @example
 * ```ts
 * console.log(renderConfigTable());
 * ```
 */
export function renderConfigTable(): string {
  const escapePipes = (text: string) => text.replace(/\|/g, '\\|');
  const rows = CONFIG_VARIABLES.map(
    (row) =>
      `| \`${row.name.split(' / ').join('` / `')}\` | ${escapePipes(row.default)} | ${escapePipes(row.meaning)} |`,
  );
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
