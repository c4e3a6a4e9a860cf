/**
 * `token-cache refresh [--force] [--if-expiring-within <duration>]`: refreshes the fleet's
 * token now (e.g. from a scheduled job, or after rotating the client secret), with the same
 * lease as the fleet, so it never races a container's refresh into a second endpoint call.
 */
import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.js';
import type { CliContext } from '../context.js';
import { formatDuration, parseDuration } from '../duration.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { expiryFacts, tokenDocument } from '../token-facts.js';

/**
 * Registers `refresh` on `program`.
 *
 * @example
 * ```ts
 * registerRefresh(program, run); // token-cache refresh --if-expiring-within 30m
 * ```
 */
export function registerRefresh(program: Command, run: CommandRunner): void {
  program
    .command('refresh')
    .description('obtain a new token if forced or if the stored one expires soon')
    .option('--force', 'obtain a new token even if the stored one is fresh')
    .option(
      '--if-expiring-within <duration>',
      'refresh only if the token expires within this (e.g. 10m, 1h); default: the refresh window',
      (value: string) => parseDuration(value, '--if-expiring-within'),
    )
    .action((_options, command: Command) => run(command, refresh));
}

async function refresh(
  context: CliContext,
  options: Readonly<Record<string, unknown>>,
): Promise<ExitCode> {
  const force = options.force === true;
  const within = options.ifExpiringWithin as number | undefined;
  const result = await context.cache().refresh({
    force,
    ...(within === undefined ? {} : { ifExpiringWithinMs: within }),
  });
  const now = Date.now();
  const reveal = context.options.showToken === true;
  const expiry = expiryFacts(result.token.expiresAt, now);
  const threshold = within ?? context.settings().refreshWindowMs;
  const lines = result.refreshed
    ? [`Refreshed: the new token expires ${expiry.text}.`]
    : [
        `Not refreshed: the current token expires ${expiry.text}, later than ${formatDuration(threshold)} from now.`,
      ];
  if (reveal) lines.push(result.token.accessToken);
  context.out.result(
    { refreshed: result.refreshed, token: tokenDocument(result.token, now, reveal) },
    lines,
    reveal ? result.token.accessToken : undefined,
  );
  return EXIT_CODES.ok;
}
