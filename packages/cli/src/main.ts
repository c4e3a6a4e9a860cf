/**
 * Process entry of the `token-cache` command: runs the CLI on `process.argv` and exits with
 * its code once the output is written.
 */
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
// The AWS SDK keeps sockets alive; exit explicitly once stdout has drained.
process.stdout.write('', () => process.exit(code));
