/**
 * The seam between commander and a command body: the runner builds the context from the
 * global options, runs the body, maps any error to an exit code and prints it.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { ExitCode } from './exit-codes.js';

/** A command's body: does its work through `context`, prints through `context.out`, returns its exit code. */
export type CommandBody = (
  context: CliContext,
  options: Readonly<Record<string, unknown>>,
) => Promise<ExitCode>;

/**
 * Runs a command body for the commander `command` being executed.
 *
 * @example
 * ```ts
 * program.command('clear').action((_o, command) => run(command, clearBody));
 * ```
 */
export type CommandRunner = (command: Command, body: CommandBody) => Promise<void>;
