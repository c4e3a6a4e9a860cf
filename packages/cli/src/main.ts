/**
 * Process entry of the `token-cache` command: runs the CLI on `process.argv` and exits with
 * its code once the output is written.
 */
import { runCli } from './cli.js';

// The AWS SDK prints a Node.js support notice on stderr under Node 20 (its releases from
// January 2027 require Node 22, as does this package's `engines`). In a command's output it
// is noise between the operator and the result, so the CLI turns off exactly that notice
// through the SDK's own switch, unless the operator set the switch themselves.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
// The AWS SDK keeps sockets alive; exit explicitly once stdout has drained.
process.stdout.write('', () => process.exit(code));
