/**
 * One structured JSON log line per event, for CloudWatch Logs Insights. Handlers log what
 * happened (status, error code, durations), never a token, a secret or a request header.
 */

/** A log entry: a message and flat, non-secret fields. */
export type LogEntry = {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
} & Readonly<Record<string, string | number | boolean | undefined>>;

/** Where handlers send their log lines; injectable so tests can read them. */
export type HandlerLog = (entry: LogEntry) => void;

/**
 * Writes the entry as one JSON line on stdout (the Lambda runtime ships stdout to CloudWatch).
 *
 * @example
 * ```ts
 * jsonLineLog({ level: 'info', message: 'token refreshed', remainingMinutes: 1440 });
 * ```
 */
export const jsonLineLog: HandlerLog = (entry) => {
  process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), ...entry })}\n`);
};

/**
 * The fields of an error that are safe to log: its class, the library's `code`, and its
 * message (the library's messages never contain a token or a secret).
 *
 * @example
 * ```ts
 * log({ level: 'error', message: 'token unavailable', ...errorFields(error) });
 * ```
 */
export function errorFields(error: unknown): Record<string, string | undefined> {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    errorName: error.name,
    errorCode: typeof code === 'string' ? code : undefined,
    errorMessage: error.message,
  };
}
