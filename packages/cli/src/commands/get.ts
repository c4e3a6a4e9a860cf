/**
 * `token-cache get`: a token through the full cache logic (memory → store → endpoint), for
 * `curl -H "Authorization: Bearer $(token-cache get)"`. The only command that prints a token
 * by default: that is its purpose.
 */
import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.js';
import type { CliContext } from '../context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { tokenDocument } from '../token-facts.js';

/**
 * Registers `get` on `program`.
 *
 * @example
 * ```ts
 * registerGet(program, run);
 * ```
 */
export function registerGet(program: Command, run: CommandRunner): void {
  program
    .command('get')
    .description('print an access token (through memory, the shared store, then the endpoint)')
    .action((_options, command: Command) => run(command, getToken));
}

async function getToken(context: CliContext): Promise<ExitCode> {
  const token = await context.cache().getToken();
  if (context.out.json) {
    context.out.result({ token: tokenDocument(token, Date.now(), true) }, [], token.accessToken);
  } else {
    context.out.token(token.accessToken);
  }
  return EXIT_CODES.ok;
}
