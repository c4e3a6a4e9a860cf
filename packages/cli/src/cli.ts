/**
 * The `token-cache` program: commander wiring, global options, and the one place where errors
 * become exit codes and messages.
 */
import { Command, CommanderError } from 'commander';
import manifest from '../package.json' with { type: 'json' };
import type { CommandBody } from './command-runner.js';
import { registerClear } from './commands/clear.js';
import { registerDev } from './commands/dev.js';
import { registerDoctor } from './commands/doctor.js';
import { registerGet } from './commands/get.js';
import { registerInspect } from './commands/inspect.js';
import { registerRefresh } from './commands/refresh.js';
import { CliContext, type GlobalOptions } from './context.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { CONFIG_FLAGS, effectiveEnv } from './flags.js';
import type { CliIo } from './io.js';
import { Output } from './output.js';

const EXIT_CODE_HELP = `
Exit codes:
  0  success
  1  failure: a doctor check failed, nothing stored to inspect, unexpected error
  2  usage or configuration error (names the flag or variable at fault)
  3  shared store error: unreachable, timed out, throttled or access denied
  4  token endpoint error: unreachable, credentials rejected, rate limited

Configuration comes from the same environment variables as the Lambda functions
(AUTH0_DOMAIN, AUTH0_M2M_CLIENT_ID, AUTH0_M2M_CLIENT_SECRET, AUTH0_AUDIENCE or AWS_SECRET_ID,
AUTH0_TOKEN_PARAMETER_NAME, AWS_REGION, TOKEN_CACHE_*); a flag overrides its variable.
The client secret has no flag: command lines are visible to other users.`;

/**
 * Runs the CLI on `argv` (without `node` and the script) and resolves to the exit code.
 *
 * @example
 * ```ts
 * const code = await runCli(['inspect', '--json'], { stdout, stderr, env: process.env });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  // Known before parsing, so even a usage error can be reported as JSON.
  const earlyOut = new Output(io, { json: argv.includes('--json') });
  let exitCode: ExitCode = EXIT_CODES.ok;

  const run = async (command: Command, body: CommandBody): Promise<void> => {
    const options = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const out = new Output(io, { json: options.json === true });
    const effective = effectiveEnv(io.env, options);
    const context = new CliContext(effective, out, options);
    try {
      exitCode = await body(context, command.opts());
    } catch (error) {
      const failure = describeFailure(error, (variable) => context.flagFor(variable));
      out.failure(failure);
      exitCode = failure.exitCode;
    } finally {
      context.close();
    }
  };

  const program = new Command('token-cache')
    .description("Inspect, refresh, clear and diagnose the fleet's shared OAuth2 token.")
    .option('--json', 'print one JSON document instead of text')
    .option('--verbose', "print the cache's structured log lines on stderr")
    .option('--show-token', 'include the access token in the output (get always prints it)')
    .version(manifest.version, '-V, --version', 'print the version')
    .addHelpText('after', EXIT_CODE_HELP)
    // The global options work after a subcommand too (`token-cache inspect --json`), so its
    // help lists them; subcommands inherit this setting when they are created.
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      // Usage errors are printed below, as text or JSON like every other failure.
      outputError: () => undefined,
    });
  for (const flag of CONFIG_FLAGS) {
    program.option(flag.flags, `${flag.description} (${flag.variable})`);
  }

  registerGet(program, run);
  registerInspect(program, run);
  registerRefresh(program, run);
  registerClear(program, run);
  registerDoctor(program, run);
  registerDev(program, run);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0.
      if (error.exitCode === 0) return EXIT_CODES.ok;
      // A bare `token-cache` prints the help on stderr and exits 1 in commander: a usage error.
      if (error.code === 'commander.help' || error.code === 'commander.helpDisplayed') {
        return EXIT_CODES.usage;
      }
    }
    const failure = describeFailure(error);
    earlyOut.failure(failure);
    return failure.exitCode;
  }
  return exitCode;
}
