/**
 * Configuration flags: each one stands for an environment variable the Lambda functions read,
 * so the CLI and the fleet are configured the same way (flag > environment > default).
 * There is deliberately no flag for the client secret: command lines are visible to every
 * user of the machine (`ps`) and land in shell history.
 */

/** A configuration flag and the variable it sets. */
export interface ConfigFlag {
  /** commander's flag syntax. */
  readonly flags: string;
  /** commander's camel-cased option key. */
  readonly key: string;
  readonly variable: string;
  readonly description: string;
}

/**
 * Every configuration flag, in help order.
 *
 * @example
 * ```ts
 * for (const flag of CONFIG_FLAGS) program.option(flag.flags, flag.description);
 * ```
 */
export const CONFIG_FLAGS: readonly ConfigFlag[] = [
  {
    flags: '--parameter-name <name>',
    key: 'parameterName',
    variable: 'AUTH0_TOKEN_PARAMETER_NAME',
    description: 'SSM parameter holding the token',
  },
  { flags: '--region <region>', key: 'region', variable: 'AWS_REGION', description: 'AWS region' },
  {
    flags: '--endpoint-url <url>',
    key: 'endpointUrl',
    variable: 'AWS_ENDPOINT_URL',
    description: 'AWS endpoint (e.g. the local stack)',
  },
  {
    flags: '--secret-id <id>',
    key: 'secretId',
    variable: 'AWS_SECRET_ID',
    description: 'Secrets Manager secret with the AUTH0_* credentials',
  },
  {
    flags: '--domain <domain>',
    key: 'domain',
    variable: 'AUTH0_DOMAIN',
    description: 'Auth0 domain or base URL',
  },
  {
    flags: '--client-id <id>',
    key: 'clientId',
    variable: 'AUTH0_M2M_CLIENT_ID',
    description: 'M2M client id',
  },
  {
    flags: '--audience <audience>',
    key: 'audience',
    variable: 'AUTH0_AUDIENCE',
    description: 'API identifier',
  },
  {
    flags: '--store <store>',
    key: 'store',
    variable: 'TOKEN_CACHE_STORE',
    description: 'shared store: ssm or dynamodb',
  },
  {
    flags: '--table <name>',
    key: 'table',
    variable: 'TOKEN_CACHE_DYNAMODB_TABLE',
    description: 'DynamoDB table (with --store dynamodb)',
  },
];

/** The environment as this run sees it, and which flag set which variable. */
export interface EffectiveEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The flag that set `variable` in this run, for error messages. */
  flagFor(variable: string): string | undefined;
}

/**
 * Overlays the flags given on the command line onto the environment.
 *
 * @example
 * ```ts
 * const { env } = effectiveEnv(process.env, { region: 'eu-west-1' });
 * env.AWS_REGION; // 'eu-west-1'
 * ```
 */
export function effectiveEnv(
  base: Readonly<Record<string, string | undefined>>,
  options: Readonly<Record<string, unknown>>,
): EffectiveEnv {
  const env: Record<string, string | undefined> = { ...base };
  const setBy = new Map<string, string>();
  for (const flag of CONFIG_FLAGS) {
    const value = options[flag.key];
    if (typeof value !== 'string') continue;
    env[flag.variable] = value;
    setBy.set(flag.variable, flag.flags.split(' ')[0] as string);
  }
  return { env, flagFor: (variable) => setBy.get(variable) };
}
