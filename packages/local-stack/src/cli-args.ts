/**
 * Parses the `npm run stack` command line into `start()` options, with errors that name the
 * flag and what was expected.
 */
import { parseArgs } from 'node:util';
import type { LocalStackOptions } from './contract.js';

/** Usage text of `npm run stack`. */
export const USAGE = `Usage: npm run stack -- [options]

Starts the local stack: SSM, Secrets Manager, an Auth0-compatible token endpoint and a
JWT-protected API on one port.

Options:
  --port <n>                 TCP port (default 4566; 0 = any free port)
  --host <addr>              Address to bind (default 127.0.0.1)
  --reads-per-second <n>     SSM account-wide read throttle (default 40; 0 = unlimited)
  --writes-per-second <n>    SSM PutParameter throttle (default 3; 0 = unlimited)
  --expires-in <seconds>     expires_in of issued tokens (default 86400)
  --idp-rate-limit <n>       token requests per second before 429 (default 30; 0 = unlimited)
  --monthly-quota <n>        tokens per month before 429 (default 1000; 0 = unlimited)
  -h, --help                 Show this help`;

/** The parsed command line. */
export type StackCommand =
  | { readonly help: true }
  | { readonly help: false; readonly options: LocalStackOptions };

function numberFlag(flag: string, raw: string | undefined, positive = false): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < 0 || (positive && value === 0)) {
    throw new TypeError(
      `--${flag} must be a ${positive ? 'positive' : 'non-negative'} integer, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/**
 * Parses `argv` (without the node and script paths).
 *
 * @example
 * ```ts
 * parseStackArgs(['--port', '4567']); // { help: false, options: { port: 4567, ... } }
 * ```
 */
export function parseStackArgs(argv: readonly string[]): StackCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'reads-per-second': { type: 'string' },
      'writes-per-second': { type: 'string' },
      'expires-in': { type: 'string' },
      'idp-rate-limit': { type: 'string' },
      'monthly-quota': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return { help: true };
  const port = numberFlag('port', values.port) ?? 4566;
  if (port > 65535) throw new TypeError(`--port must be at most 65535, got ${port}`);
  return {
    help: false,
    options: {
      port,
      ...(values.host === undefined ? {} : { host: values.host }),
      ssm: {
        readsPerSecond: numberFlag('reads-per-second', values['reads-per-second']),
        writesPerSecond: numberFlag('writes-per-second', values['writes-per-second']),
      },
      idp: {
        expiresInSeconds: numberFlag('expires-in', values['expires-in'], true),
        rateLimitPerSecond: numberFlag('idp-rate-limit', values['idp-rate-limit']),
        monthlyQuota: numberFlag('monthly-quota', values['monthly-quota']),
      },
    },
  };
}
