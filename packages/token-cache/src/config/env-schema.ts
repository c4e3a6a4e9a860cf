/**
 * Parses the environment with zod: each variable is checked on its own, and the first problem
 * becomes a `ConfigError` naming the variable and what was expected. Unset and empty variables
 * are `undefined` (Lambda consoles and Terraform often leave a variable empty to mean "unset").
 */
// zod/mini: the same checks as the classic API, as functions, so a bundle keeps only the
// ones used (about 18 KB minified instead of 450 KB, most of which are error-message locales
// this module never shows: every check here carries its own message).
import * as z from 'zod/mini';
import { durationExpectation, isDuration } from '../duration.js';
import { ConfigError } from '../errors.js';
import { REGION_PATTERN } from '../stores/multi-region-config.js';
import { ENV } from './variables.js';

const trimmed = () => z.string().check(z.trim());

const text = z.optional(z.string().check(z.trim(), z.minLength(1)));

const durationMs = (minimum: number) =>
  z.optional(
    z.pipe(
      z.pipe(
        trimmed().check(
          z.regex(/^\d+$/, `a whole number of milliseconds (digits only, e.g. 300000)`),
        ),
        z.transform(Number),
      ),
      // The range is the one every duration option gets (duration.ts).
      z
        .number()
        .check(z.refine((value) => isDuration(value, minimum), durationExpectation(minimum))),
    ),
  );

const onOff = z.optional(
  z.pipe(
    z.pipe(
      z.string().check(z.trim(), z.toLowerCase()),
      z.enum(['on', 'off', 'true', 'false', '1', '0'], '"on" or "off"'),
    ),
    z.transform((value) => value === 'on' || value === 'true' || value === '1'),
  ),
);

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.optional(
    z.pipe(trimmed(), z.enum(values, `one of ${values.map((value) => `"${value}"`).join(', ')}`)),
  );

const region = z.optional(
  trimmed().check(z.regex(REGION_PATTERN, 'an AWS region such as "us-west-2"')),
);

// Comma-separated, blanks around commas allowed; "" or "," is no list (unset).
const regionList = z.optional(
  z.pipe(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((value: string) =>
          value
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== ''),
        ),
      ),
      z
        .array(
          z
            .string()
            .check(
              z.regex(
                REGION_PATTERN,
                'a comma-separated list of AWS regions such as "eu-west-1,ap-southeast-2"',
              ),
            ),
        )
        .check(
          z.refine(
            (regions: string[]) => new Set(regions).size === regions.length,
            'a comma-separated list of AWS regions without duplicates',
          ),
        ),
    ),
    z.transform((regions: string[]) => (regions.length === 0 ? undefined : regions)),
  ),
);

/** zod schema of every variable the library reads. */
const envSchema = z.object({
  [ENV.secretId]: text,
  [ENV.domain]: text,
  [ENV.clientId]: text,
  [ENV.clientSecret]: text,
  [ENV.audience]: text,
  [ENV.scope]: text,
  [ENV.provider]: oneOf(['auth0', 'oauth2'] as const),
  [ENV.tokenEndpoint]: text,
  [ENV.authMethod]: oneOf(['client_secret_basic', 'client_secret_post'] as const),
  [ENV.resource]: text,
  [ENV.issuer]: text,
  [ENV.shared]: onOff,
  [ENV.store]: oneOf(['ssm', 'dynamodb'] as const),
  [ENV.parameterName]: text,
  [ENV.lockParameterName]: text,
  [ENV.parameterType]: oneOf(['SecureString', 'String'] as const),
  [ENV.kmsKeyId]: text,
  [ENV.parameterTier]: oneOf(['Standard', 'Advanced', 'Intelligent-Tiering'] as const),
  [ENV.dynamoDbTable]: text,
  [ENV.dynamoDbItemKey]: text,
  [ENV.region]: region,
  [ENV.primaryRegion]: region,
  [ENV.replicaRegions]: regionList,
  [ENV.refreshWindowMs]: durationMs(1),
  [ENV.minRemainingMs]: durationMs(0),
  [ENV.deadlineMs]: durationMs(1),
  [ENV.leaseMs]: durationMs(1),
  [ENV.endpointTimeoutMs]: durationMs(1),
  [ENV.storeTimeoutMs]: durationMs(1),
  [ENV.maxBackoffMs]: durationMs(1),
  [ENV.errorBackoffMs]: durationMs(1),
  [ENV.throttleFallback]: onOff,
  [ENV.name]: z.optional(
    trimmed().check(z.regex(/^[\w.:-]{1,64}$/, 'up to 64 letters, digits, "_", ".", ":" or "-"')),
  ),
});

/** The environment, parsed: `undefined` for every unset variable. */
export type EnvSettings = z.output<typeof envSchema>;

/** Variables whose values must never be echoed in an error message. */
const SECRET_VARIABLES = new Set<string>([ENV.clientSecret]);

/**
 * Parses the variables the library reads out of `env` (other variables are ignored).
 *
 * @example
 * ```ts
 * const settings = parseEnv({ TOKEN_CACHE_SHARED: 'off' });
 * settings.TOKEN_CACHE_SHARED; // false
 * parseEnv({ TOKEN_CACHE_DEADLINE_MS: '10s' }); // throws: TOKEN_CACHE_DEADLINE_MS must be a whole number of milliseconds ...
 * ```
 */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): EnvSettings {
  const relevant: Record<string, string> = {};
  for (const name of Object.values(ENV)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') relevant[name] = value;
  }
  const result = envSchema.safeParse(relevant);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  const got = SECRET_VARIABLES.has(variable) ? '' : `, got "${printable(relevant[variable])}"`;
  throw new ConfigError(variable, `${issue?.message ?? 'valid'}${got}`, { cause: result.error });
}

function printable(value: string | undefined): string {
  const shown = String(value).replace(/[^\x20-\x7e]/g, '?');
  return shown.length > 60 ? `${shown.slice(0, 60)}…` : shown;
}
