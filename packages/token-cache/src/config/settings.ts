/**
 * The resolved configuration: explicit option, else environment variable, else default; checked
 * as a whole (cross-variable rules) before anything is built.
 */
import { requireDuration } from '../duration.js';
import { ConfigError } from '../errors.js';
import type { ClientAuthMethod } from '../sources/oauth2.js';
import { REGION_PATTERN } from '../stores/multi-region-config.js';
import type { SsmTier } from '../stores/ssm-store.js';
import { workMarginMs } from '../tiers/shared/budgets.js';
import { DEFAULT_TUNING } from '../tiers/shared/tuning.js';
import { parseEnv } from './env-schema.js';
import { DEFAULTS, ENV } from './variables.js';

/** Everything `createTokenCacheFromEnv()` needs to know, fully resolved. */
export interface TokenCacheSettings {
  /** `auth0` (JSON body, `audience`) or `oauth2` (RFC 6749 form body). */
  readonly provider: 'auth0' | 'oauth2';
  /** Secrets Manager secret holding the credential keys; `undefined` = environment only. */
  readonly secretId: string | undefined;
  readonly scope: string | undefined;
  readonly tokenEndpoint: string | undefined;
  readonly authMethod: ClientAuthMethod;
  readonly resource: readonly string[] | undefined;
  readonly issuer: string | undefined;
  /** `false` = memory only (`TOKEN_CACHE_SHARED=off`). */
  readonly shared: boolean;
  readonly storeKind: 'ssm' | 'dynamodb';
  readonly parameterName: string;
  readonly lockParameterName: string | undefined;
  readonly parameterType: 'SecureString' | 'String';
  readonly kmsKeyId: string | undefined;
  readonly parameterTier: SsmTier | undefined;
  readonly dynamoDbTable: string | undefined;
  readonly dynamoDbItemKey: string | undefined;
  /** Where this process runs (`AWS_REGION`): the store region, or with replicas the one read first. */
  readonly region: string;
  /** Multi-region: the authoritative region (lease, read fallback); `undefined` = `region`. */
  readonly primaryRegion: string | undefined;
  /** Multi-region: the other regions every token is also written to; empty = one region. */
  readonly replicaRegions: readonly string[];
  readonly refreshWindowMs: number;
  readonly minRemainingMs: number;
  readonly deadlineMs: number;
  readonly leaseMs: number;
  readonly endpointTimeoutMs: number;
  readonly storeTimeoutMs: number;
  /** Cap on every back-off, whatever the endpoint or a stored record asks for. */
  readonly maxBackoffMs: number;
  /** Fleet-wide back-off after a configuration failure of the endpoint; ≤ `maxBackoffMs`. */
  readonly errorBackoffMs: number;
  /** `true` = a throttled store may lead to a lease-less endpoint call (`TOKEN_CACHE_THROTTLE_FALLBACK=on`). */
  readonly throttleFallback: boolean;
  readonly name: string;
}

/** Options that take precedence over the environment. */
export type TokenCacheSettingsOverrides = Partial<TokenCacheSettings>;

/**
 * Resolves the settings from options and environment and checks them. Throws a `ConfigError`
 * naming the variable (or option) at fault.
 *
 * @example
 * ```ts
 * const settings = resolveSettings(process.env, { shared: false });
 * settings.parameterName; // '/vwc/dev/auth0-token-cache' unless AUTH0_TOKEN_PARAMETER_NAME says otherwise
 * ```
 */
export function resolveSettings(
  env: Readonly<Record<string, string | undefined>>,
  overrides: TokenCacheSettingsOverrides = {},
): TokenCacheSettings {
  const fromEnv = parseEnv(env);
  const pick = <K extends keyof TokenCacheSettings>(
    key: K,
    envValue: TokenCacheSettings[K] | undefined,
    fallback: TokenCacheSettings[K],
  ): TokenCacheSettings[K] => {
    const option = overrides[key];
    return option !== undefined ? (option as TokenCacheSettings[K]) : (envValue ?? fallback);
  };

  const settings: TokenCacheSettings = {
    provider: pick('provider', fromEnv[ENV.provider], 'auth0'),
    secretId: pick('secretId', fromEnv[ENV.secretId], undefined),
    scope: pick('scope', fromEnv[ENV.scope], undefined),
    tokenEndpoint: pick('tokenEndpoint', fromEnv[ENV.tokenEndpoint], undefined),
    authMethod: pick('authMethod', fromEnv[ENV.authMethod], 'client_secret_basic'),
    resource: pick('resource', fromEnv[ENV.resource]?.split(/\s+/), undefined),
    issuer: pick('issuer', fromEnv[ENV.issuer], undefined),
    shared: pick('shared', fromEnv[ENV.shared], true),
    storeKind: pick('storeKind', fromEnv[ENV.store], 'ssm'),
    parameterName: pick('parameterName', fromEnv[ENV.parameterName], DEFAULTS.parameterName),
    lockParameterName: pick('lockParameterName', fromEnv[ENV.lockParameterName], undefined),
    parameterType: pick('parameterType', fromEnv[ENV.parameterType], 'SecureString'),
    kmsKeyId: pick('kmsKeyId', fromEnv[ENV.kmsKeyId], undefined),
    parameterTier: pick('parameterTier', fromEnv[ENV.parameterTier], undefined),
    dynamoDbTable: pick('dynamoDbTable', fromEnv[ENV.dynamoDbTable], undefined),
    dynamoDbItemKey: pick('dynamoDbItemKey', fromEnv[ENV.dynamoDbItemKey], undefined),
    region: pick('region', fromEnv[ENV.region], DEFAULTS.region),
    primaryRegion: pick('primaryRegion', fromEnv[ENV.primaryRegion], undefined),
    replicaRegions: pick('replicaRegions', fromEnv[ENV.replicaRegions], []),
    refreshWindowMs: pick(
      'refreshWindowMs',
      fromEnv[ENV.refreshWindowMs],
      DEFAULTS.refreshWindowMs,
    ),
    minRemainingMs: pick('minRemainingMs', fromEnv[ENV.minRemainingMs], DEFAULTS.minRemainingMs),
    deadlineMs: pick('deadlineMs', fromEnv[ENV.deadlineMs], DEFAULTS.deadlineMs),
    leaseMs: pick('leaseMs', fromEnv[ENV.leaseMs], DEFAULTS.leaseMs),
    endpointTimeoutMs: pick(
      'endpointTimeoutMs',
      fromEnv[ENV.endpointTimeoutMs],
      DEFAULTS.endpointTimeoutMs,
    ),
    storeTimeoutMs: pick('storeTimeoutMs', fromEnv[ENV.storeTimeoutMs], DEFAULTS.storeTimeoutMs),
    maxBackoffMs: pick('maxBackoffMs', fromEnv[ENV.maxBackoffMs], DEFAULTS.maxBackoffMs),
    errorBackoffMs: pick('errorBackoffMs', fromEnv[ENV.errorBackoffMs], DEFAULTS.errorBackoffMs),
    throttleFallback: pick('throttleFallback', fromEnv[ENV.throttleFallback], false),
    name: pick('name', fromEnv[ENV.name], DEFAULTS.name),
  };
  checkOverrides(overrides);
  checkConsistency(settings, overrides);
  return settings;
}

/** Which name to blame: the option when it was given, else the environment variable. */
function blame(
  overrides: TokenCacheSettingsOverrides,
  key: keyof TokenCacheSettings,
  variable: string,
) {
  return overrides[key] !== undefined ? key : variable;
}

function checkOverrides(overrides: TokenCacheSettingsOverrides): void {
  const durations = [
    'refreshWindowMs',
    'minRemainingMs',
    'deadlineMs',
    'leaseMs',
    'endpointTimeoutMs',
    'storeTimeoutMs',
    'maxBackoffMs',
    'errorBackoffMs',
  ] as const;
  for (const key of durations) {
    // The environment's bounds (env-schema.ts): every duration at least 1 ms but this one.
    requireDuration(key, overrides[key], 0, key === 'minRemainingMs' ? 0 : 1);
  }
  if (overrides.throttleFallback !== undefined && typeof overrides.throttleFallback !== 'boolean') {
    throw new ConfigError(
      'throttleFallback',
      `true or false, got ${String(overrides.throttleFallback)}`,
    );
  }
  for (const key of ['region', 'primaryRegion'] as const) {
    const value = overrides[key];
    if (value !== undefined && !REGION_PATTERN.test(value)) {
      throw new ConfigError(key, `an AWS region such as "us-west-2", got "${value}"`);
    }
  }
  const replicas = overrides.replicaRegions;
  if (replicas !== undefined) {
    const invalid = replicas.find((region) => !REGION_PATTERN.test(region));
    if (invalid !== undefined) {
      throw new ConfigError('replicaRegions', `a list of AWS regions, got "${invalid}"`);
    }
    if (new Set(replicas).size !== replicas.length) {
      throw new ConfigError('replicaRegions', 'a list of AWS regions without duplicates');
    }
  }
}

function checkConsistency(
  settings: TokenCacheSettings,
  overrides: TokenCacheSettingsOverrides,
): void {
  // Fresh until expiresAt - refreshWindow, usable until expiresAt - minRemaining (design,
  // guarantee 1): a window smaller than the minimum would make a fresh token unusable.
  // Same rule as the cache core's freshnessPolicy(), checked here so the error names the variable.
  if (settings.minRemainingMs >= settings.refreshWindowMs) {
    throw new ConfigError(
      blame(overrides, 'minRemainingMs', ENV.minRemainingMs),
      `smaller than the refresh window (${settings.refreshWindowMs} ms), got ${settings.minRemainingMs}`,
    );
  }
  // A configuration failure backs off for errorBackoffMs, and every back-off is capped at
  // maxBackoffMs: an error back-off above the cap would silently be cut to it.
  if (settings.errorBackoffMs > settings.maxBackoffMs) {
    throw new ConfigError(
      blame(overrides, 'errorBackoffMs', ENV.errorBackoffMs),
      `at most the maximum back-off ${ENV.maxBackoffMs} (${settings.maxBackoffMs} ms), got ${settings.errorBackoffMs}`,
    );
  }
  if (settings.provider === 'oauth2' && settings.tokenEndpoint === undefined) {
    throw new ConfigError(
      blame(overrides, 'tokenEndpoint', ENV.tokenEndpoint),
      `set when ${ENV.provider}=oauth2 (the token endpoint URL)`,
    );
  }
  if (settings.kmsKeyId !== undefined && settings.parameterType !== 'SecureString') {
    throw new ConfigError(
      blame(overrides, 'kmsKeyId', ENV.kmsKeyId),
      `unset unless ${ENV.parameterType} is SecureString (a KMS key only encrypts SecureString)`,
    );
  }
  if (
    settings.shared &&
    settings.storeKind === 'dynamodb' &&
    settings.dynamoDbTable === undefined
  ) {
    throw new ConfigError(
      blame(overrides, 'dynamoDbTable', ENV.dynamoDbTable),
      `set when ${ENV.store}=dynamodb (the table name)`,
    );
  }
  if (settings.shared) {
    checkStoreTimings(settings, overrides);
    checkRegions(settings, overrides);
  }
}

/**
 * What a lease holder may work of its lease, as the refresh protocol computes it: the lease
 * less twice the tolerated clock skew (2 s, at most a sixth of the lease) and one write's
 * latency (the store timeout, which must fit in a quarter of the lease).
 */
function holderWorkingTimeMs(leaseMs: number, storeTimeoutMs: number): number {
  if (storeTimeoutMs > Math.floor(leaseMs / 4)) return 0;
  return (
    leaseMs -
    workMarginMs({ leaseMs, tuning: { ...DEFAULT_TUNING, maxStoreLatencyMs: storeTimeoutMs } })
  );
}

// The smallest lease above `from` from which every lease `fits`. The working time grows with
// the lease except for a dip of a millisecond or two every 6 ms (the skew is a floored sixth of
// a short lease), so the boundary the search finds is moved past any dip that follows it.
function smallest(fits: (leaseMs: number) => boolean, from: number): number {
  let low = from;
  let high = Math.max(from, 1) * 2;
  while (!fits(high)) high *= 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) high = middle;
    else low = middle;
  }
  while (![0, 1, 2, 3, 4, 5, 6].every((step) => fits(high + step))) high += 1;
  return high;
}

/**
 * The timings the shared tier relies on. Only checked when the shared tier is on: without a
 * store there is no lease to take over and no store request to wait for.
 */
function checkStoreTimings(
  settings: TokenCacheSettings,
  overrides: TokenCacheSettingsOverrides,
): void {
  // The holder's working time (its lease less two clocks' skew and a write's latency, which is
  // the store timeout) must hold its work: one endpoint call, then writing the token and
  // releasing the lease. Otherwise another container takes the lease over mid-refresh and
  // calls the endpoint too: a lease of 1 ms would turn fleet-wide single-flight off.
  const holderWorkMs = settings.endpointTimeoutMs + 2 * settings.storeTimeoutMs;
  const fits = (leaseMs: number) =>
    holderWorkingTimeMs(leaseMs, settings.storeTimeoutMs) >= holderWorkMs;
  if (!fits(settings.leaseMs)) {
    throw new ConfigError(
      blame(overrides, 'leaseMs', ENV.leaseMs),
      `at least ${smallest(fits, settings.leaseMs)} ms, so that its working time (the lease less twice the clock-skew tolerance and one ${ENV.storeTimeoutMs}, which may be at most a quarter of the lease) holds ${ENV.endpointTimeoutMs} + 2 × ${ENV.storeTimeoutMs} (${settings.endpointTimeoutMs} + 2 × ${settings.storeTimeoutMs} = ${holderWorkMs} ms, one endpoint call and its store round trips), got ${settings.leaseMs}`,
    );
  }
  // A deadline no longer than one store request leaves no time for anything after the read.
  if (settings.deadlineMs <= settings.storeTimeoutMs) {
    throw new ConfigError(
      blame(overrides, 'deadlineMs', ENV.deadlineMs),
      `longer than ${ENV.storeTimeoutMs} (${settings.storeTimeoutMs} ms, one store request), got ${settings.deadlineMs}`,
    );
  }
}

/**
 * The multi-region rules (issue 7, `infra/regions.md`): one primary, replicas distinct from it,
 * and this process in one of the listed regions. Only checked when the shared tier is on, so
 * the rollback switch works whatever else is configured.
 */
function checkRegions(settings: TokenCacheSettings, overrides: TokenCacheSettingsOverrides): void {
  const { primaryRegion, replicaRegions, region } = settings;
  if (replicaRegions.length === 0) return;
  if (primaryRegion === undefined) {
    // Guessing the primary (e.g. AWS_REGION) would give each region its own lease holder: the
    // fleet would refresh once per region instead of once.
    throw new ConfigError(
      blame(overrides, 'primaryRegion', ENV.primaryRegion),
      `set when ${ENV.replicaRegions} is set (the region that holds the lease, e.g. "us-west-2")`,
    );
  }
  if (replicaRegions.includes(primaryRegion)) {
    throw new ConfigError(
      blame(overrides, 'replicaRegions', ENV.replicaRegions),
      `a list of the other regions, without the primary region ${primaryRegion} (${ENV.primaryRegion})`,
    );
  }
  const keyId = settings.kmsKeyId;
  if (settings.storeKind === 'ssm' && keyId !== undefined && !keyUsableInEveryRegion(keyId)) {
    // KMS keys are regional: the same single-region key cannot encrypt a replica's parameter.
    throw new ConfigError(
      blame(overrides, 'kmsKeyId', ENV.kmsKeyId),
      `an alias name ("alias/…", created in every region) or a multi-Region key ("mrk-…" id or ARN) when ${ENV.replicaRegions} is set`,
    );
  }
  if (region !== primaryRegion && !replicaRegions.includes(region)) {
    // A container outside the list would read a region nobody writes to.
    throw new ConfigError(
      blame(overrides, 'region', ENV.region),
      `the primary region or a replica region (${[primaryRegion, ...replicaRegions].join(', ')}) when ${ENV.replicaRegions} is set, got "${region}"`,
    );
  }
}

/** An alias name resolves per region; a multi-Region key id exists in each of its replicas. */
function keyUsableInEveryRegion(keyId: string): boolean {
  return /^alias\//.test(keyId) || /(^|:key\/)mrk-[0-9a-f]{32}$/.test(keyId);
}
