/**
 * `token-cache dev`: starts the local stack (SSM, Secrets Manager, an Auth0-compatible token
 * endpoint, a JWT-protected API) with a registered client and audience, provisions it the way
 * Terraform provisions AWS (the credentials secret, the parameter holding "not-initialized"),
 * prints the environment to use, and stays up until Ctrl-C.
 *
 * The printed environment names the secret (`AWS_SECRET_ID`) instead of carrying the client
 * secret, as in production: the output can be pasted anywhere.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CONFIG_DEFAULTS, PLACEHOLDER_VALUE } from '@token-cache/core/internal';
import {
  DEFAULT_AWS_CREDENTIALS,
  DEFAULT_CLIENT,
  type LocalStack,
  start,
} from '@token-cache/local-stack';
import { type Command, InvalidArgumentError } from 'commander';
import type { CommandRunner } from '../command-runner.js';
import type { CliContext } from '../context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';

/**
 * Secret holding the local client's credentials, as `AWS_SECRET_ID` names it.
 *
 * @example
 * ```ts
 * env.AWS_SECRET_ID = DEV_SECRET_NAME;
 * ```
 */
export const DEV_SECRET_NAME = 'vwc/local/auth0-m2m';
/**
 * Port of `token-cache dev` by default: LocalStack's, so existing habits work.
 *
 * @example
 * ```ts
 * const port = options.port ?? DEV_DEFAULT_PORT; // 4566
 * ```
 */
export const DEV_DEFAULT_PORT = 4566;

/**
 * Registers `dev` on `program`.
 *
 * @example
 * ```ts
 * registerDev(program, run); // token-cache dev --port 4566
 * ```
 */
export function registerDev(program: Command, run: CommandRunner): void {
  program
    .command('dev')
    .description(
      'start the local stack with a client and audience, print its environment, run until Ctrl-C',
    )
    .option(
      '--port <port>',
      `TCP port on 127.0.0.1, 0 = any free port (default ${DEV_DEFAULT_PORT})`,
      parsePort,
    )
    .action((_options, command: Command) => run(command, dev));
}

async function dev(
  context: CliContext,
  options: Readonly<Record<string, unknown>>,
): Promise<ExitCode> {
  const port = (options.port as number | undefined) ?? DEV_DEFAULT_PORT;
  const parameterName = context.env.AUTH0_TOKEN_PARAMETER_NAME || CONFIG_DEFAULTS.parameterName;
  const stack = await start({ port, host: '127.0.0.1' }).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new InvalidArgumentError(
        `--port ${port} is already in use (another \`token-cache dev\` or \`npm run stack\`?): choose another, or 0 for any free port`,
      );
    }
    throw error;
  });
  try {
    await provision(stack, parameterName);
    const env = {
      AWS_ENDPOINT_URL: stack.url,
      AWS_REGION: stack.env.AWS_REGION ?? 'us-west-2',
      // The access key the stack accepts (it verifies SigV4 signatures).
      AWS_ACCESS_KEY_ID: DEFAULT_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEFAULT_AWS_CREDENTIALS.secretAccessKey,
      AWS_SECRET_ID: DEV_SECRET_NAME,
      AUTH0_TOKEN_PARAMETER_NAME: parameterName,
    };
    context.out.result(
      {
        url: stack.url,
        tokenEndpoint: stack.tokenEndpoint,
        api: `${stack.url}/vehicles/{id}/overview`,
        clientId: DEFAULT_CLIENT.clientId,
        audience: DEFAULT_CLIENT.audience,
        env,
      },
      [
        `Local stack running at ${stack.url} (SSM, Secrets Manager, token endpoint, protected API).`,
        `Client ${DEFAULT_CLIENT.clientId} for audience ${DEFAULT_CLIENT.audience}; credentials in secret ${DEV_SECRET_NAME}.`,
        '',
        'Use this environment (e.g. paste into another shell):',
        ...Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}`),
        '',
        `Then: token-cache doctor; curl -H "Authorization: Bearer $(token-cache get)" ${stack.url}/vehicles/42/overview`,
        'Press Ctrl-C to stop.',
      ],
    );
    await untilInterrupted();
    context.out.note('Stopping the local stack.');
  } finally {
    await stack.stop();
  }
  return EXIT_CODES.ok;
}

/** Creates what Terraform creates in AWS: the credentials secret and the placeholder parameter. */
async function provision(stack: LocalStack, parameterName: string): Promise<void> {
  const config = {
    endpoint: stack.url,
    region: stack.env.AWS_REGION ?? 'us-west-2',
    credentials: DEFAULT_AWS_CREDENTIALS,
  };
  const secrets = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  try {
    await secrets.send(
      new CreateSecretCommand({
        Name: DEV_SECRET_NAME,
        SecretString: JSON.stringify({
          AUTH0_DOMAIN: stack.url,
          AUTH0_M2M_CLIENT_ID: DEFAULT_CLIENT.clientId,
          AUTH0_M2M_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
          AUTH0_AUDIENCE: DEFAULT_CLIENT.audience,
        }),
      }),
    );
    await ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: PLACEHOLDER_VALUE,
        Type: 'SecureString',
        Overwrite: false,
      }),
    );
  } finally {
    secrets.destroy();
    ssm.destroy();
  }
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`--port must be an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
