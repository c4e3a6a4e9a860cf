/**
 * The logging surface the telemetry needs: Powertools `Logger` satisfies it, and so does
 * `console` or any logger with these four methods (Powertools' own `GenericLogger` shape).
 *
 * @example
 * ```ts
 * const logger: TelemetryLogger = new Logger({ serviceName: 'token-cache' });
 * ```
 */
export interface TelemetryLogger {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}
