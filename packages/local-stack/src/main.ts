#!/usr/bin/env node
/**
 * `npm run stack`: runs the local stack in the foreground until Ctrl-C (SIGINT) or SIGTERM.
 *
 * @example
 * ```sh
 * npm run stack -- --port 4566 --writes-per-second 0
 * ```
 */
import { renderBanner } from './banner.js';
import { parseStackArgs, USAGE } from './cli-args.js';
import { start } from './start.js';

async function main(): Promise<number> {
  let command: ReturnType<typeof parseStackArgs>;
  try {
    command = parseStackArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let stack: Awaited<ReturnType<typeof start>>;
  try {
    stack = await start(command.options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? ' (the port is taken: choose another with --port)' : '';
    process.stderr.write(
      `error: cannot start the local stack: ${(error as Error).message}${hint}\n`,
    );
    return 1;
  }
  process.stdout.write(`${renderBanner(stack)}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stdout.write(`\nReceived ${signal}, stopping...\n`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await stack.stop();
  process.stdout.write('Local stack stopped.\n');
  return 0;
}

process.exitCode = await main();
