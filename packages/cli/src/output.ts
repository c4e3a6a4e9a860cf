/**
 * Everything the CLI prints goes through here, so one place guarantees two things:
 * `--json` prints exactly one JSON document on stdout, and no client secret or access token is
 * printed unless the command's purpose is to print that token (`get`, `--show-token`).
 */
import type { CliFailure } from './failure.js';
import type { CliIo } from './io.js';

/** Three base64url segments starting like a JSON header: a JWT (RFC 7519 §3). */
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const REDACTED = '[redacted]';

/** Options of {@link Output}. */
export interface OutputOptions {
  /** Print JSON documents instead of human text. */
  readonly json: boolean;
}

/**
 * The CLI's printer.
 *
 * @example
 * ```ts
 * const out = new Output(io, { json: false });
 * out.result({ cleared: true }, ['Cleared /vwc/dev/auth0-token-cache']);
 * ```
 */
export class Output {
  readonly json: boolean;
  readonly #io: CliIo;
  readonly #secrets = new Set<string>();

  constructor(io: CliIo, options: OutputOptions) {
    this.#io = io;
    this.json = options.json;
  }

  /** Registers a value that must never be printed, e.g. the client secret once it is known. */
  addSecret(secret: string): void {
    // Short values would redact ordinary words; real client secrets are long.
    if (secret.length >= 8) this.#secrets.add(secret);
  }

  /**
   * Prints a command's result: `document` as one JSON line with `--json`, else `lines`.
   * `revealToken` is the one access token the user asked to see; every other one is redacted.
   */
  result(document: Record<string, unknown>, lines: readonly string[], revealToken?: string): void {
    const text = this.json ? `${JSON.stringify({ ok: true, ...document })}\n` : joinLines(lines);
    this.#io.stdout(this.redact(text, revealToken));
  }

  /** Prints a bare access token and a newline, for `$(token-cache get)`. */
  token(accessToken: string): void {
    this.#io.stdout(`${accessToken}\n`);
  }

  /** Prints progress or a note on stderr (never with `--json` on stdout, so parsing stays easy). */
  note(text: string): void {
    this.#io.stderr(this.redact(`${text}\n`));
  }

  /** Prints a failure: a JSON document on stdout with `--json`, else a message on stderr. */
  failure(failure: CliFailure, document: Record<string, unknown> = {}): void {
    if (this.json) {
      const { exitCode, ...error } = failure;
      this.#io.stdout(
        this.redact(`${JSON.stringify({ ok: false, exitCode, error, ...document })}\n`),
      );
    } else {
      this.#io.stderr(this.redact(`token-cache: ${failure.message}\n`));
    }
  }

  /** Removes known secrets and every JWT except `reveal` from `text`. */
  redact(text: string, reveal?: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join(REDACTED);
    return result.replace(JWT_PATTERN, (match) => (match === reveal ? match : REDACTED));
  }
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
