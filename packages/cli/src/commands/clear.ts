/**
 * `token-cache clear`: empties the shared store (it then holds the Terraform placeholder
 * `not-initialized`, never an empty value, which SSM rejects). The next `getToken()` anywhere in
 * the fleet obtains a new token. Use it after revoking a token or rotating the client.
 */
import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.js';
import type { CliContext } from '../context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { storeDescription } from '../store-description.js';

/**
 * Registers `clear` on `program`.
 *
 * @example
 * ```ts
 * registerClear(program, run);
 * ```
 */
export function registerClear(program: Command, run: CommandRunner): void {
  program
    .command('clear')
    .description('empty the shared store so the fleet obtains a new token')
    .action((_options, command: Command) => run(command, clear));
}

async function clear(context: CliContext): Promise<ExitCode> {
  const settings = context.settings();
  await context.cache().clear();
  const store = storeDescription(settings);
  context.out.result(
    { cleared: settings.shared, store },
    settings.shared
      ? [`Cleared ${store}: it now holds the placeholder "not-initialized".`]
      : ['The shared store is off (TOKEN_CACHE_SHARED=off): nothing stored to clear.'],
  );
  return EXIT_CODES.ok;
}
