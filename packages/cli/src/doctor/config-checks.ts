/**
 * Doctor checks 1–2: the configuration resolves, and the client credentials can be read (from
 * the environment or the Secrets Manager secret `AWS_SECRET_ID`).
 */
import { ConfigError, type TokenCacheSettings } from '@token-cache/core/internal';
import { type ConfiguredEndpoint, configuredEndpoint } from '../configured-source.js';
import type { CliContext } from '../context.js';
import { storeDescription } from '../store-description.js';
import { diagnoseAwsCredentials } from './aws-credentials.js';
import { type CheckResult, check } from './check.js';

/**
 * Checks that the settings resolve; returns them for the next checks.
 *
 * @example
 * ```ts
 * const { result, settings } = checkConfiguration(context);
 * ```
 */
export function checkConfiguration(context: CliContext): {
  result: CheckResult;
  settings?: TokenCacheSettings;
} {
  try {
    const settings = context.settings();
    const detail = `${settings.provider} provider, store ${storeDescription(settings)}, region ${settings.region}, cache "${settings.name}"`;
    return { result: check('config', 'Configuration is valid', 'pass', detail), settings };
  } catch (error) {
    return { result: configFailure('config', 'Configuration is valid', error, context) };
  }
}

/**
 * Checks that the credentials can be read and form a usable client configuration.
 *
 * @example
 * ```ts
 * const { result, endpoint } = await checkCredentials(context, settings);
 * ```
 */
export async function checkCredentials(
  context: CliContext,
  settings: TokenCacheSettings,
): Promise<{ result: CheckResult; endpoint?: ConfiguredEndpoint }> {
  const title = 'Client credentials are available';
  const where = settings.secretId === undefined ? 'the environment' : `secret ${settings.secretId}`;
  try {
    const endpoint = configuredEndpoint(settings, await context.credentials());
    const clients = endpoint.identity.clientIds.join(', ');
    const detail = `client ${clients} for audience ${endpoint.identity.audience} (from ${where})`;
    return { result: check('credentials', title, 'pass', detail), endpoint };
  } catch (error) {
    if (error instanceof ConfigError)
      return { result: configFailure('credentials', title, error, context) };
    const message = error instanceof Error ? error.message : String(error);
    const aws = diagnoseAwsCredentials(error, 'Secrets Manager');
    if (aws !== undefined) {
      return {
        result: check(
          'credentials',
          title,
          'fail',
          `cannot read ${where}: ${aws.summary}: ${message}`,
          aws.fix,
        ),
      };
    }
    return {
      result: check(
        'credentials',
        title,
        'fail',
        `cannot read ${where}: ${message}`,
        settings.secretId === undefined
          ? 'Set AUTH0_DOMAIN, AUTH0_M2M_CLIENT_ID, AUTH0_M2M_CLIENT_SECRET and AUTH0_AUDIENCE, or AWS_SECRET_ID.'
          : `Check that secret "${settings.secretId}" exists in ${settings.region} and that this identity may call secretsmanager:GetSecretValue on it.`,
      ),
    };
  }
}

function configFailure(
  id: string,
  title: string,
  error: unknown,
  context: CliContext,
): CheckResult {
  if (error instanceof ConfigError) {
    const flag = context.flagFor(error.variable);
    const name = flag ? `${flag} (${error.variable})` : error.variable;
    return check(
      id,
      title,
      'fail',
      flag ? `${flag}: ${error.message}` : error.message,
      `Set ${name} correctly: ${error.message}.`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return check(id, title, 'fail', message, 'See CONFIG.md for every variable.');
}
