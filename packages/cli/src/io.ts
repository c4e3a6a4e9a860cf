/**
 * Where the CLI reads and writes: the process in production, buffers in unit tests.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env };
 * ```
 */
export interface CliIo {
  /** Command output: the result a script consumes (a token only from `get`). */
  stdout(text: string): void;
  /** Diagnostics, progress, errors and logs: never mixed into a result. */
  stderr(text: string): void;
  /** Environment variables, the configuration source shared with the Lambda functions. */
  readonly env: Readonly<Record<string, string | undefined>>;
}
