/**
 * Everything written to stdout and stderr while a test runs, for tests of what Powertools
 * prints. Powertools writes through a `Console` bound to the process streams (not the global
 * console) unless `POWERTOOLS_DEV` is set, so the streams themselves are captured; WARN and
 * ERROR lines go to stderr, which Lambda ships to CloudWatch as well.
 */
import { afterEach, beforeEach, vi } from 'vitest';

/** What was printed, in order; `clear()` forgets it (for a test in several steps). */
export interface CapturedOutput {
  readonly chunks: string[];
  clear(): void;
}

/**
 * Installs the capture around every test of the calling file.
 *
 * @example
 * ```ts
 * const output = capturePowertoolsOutput();
 * it('prints', () => { telemetry(event); expect(output.chunks.join('')).toContain('"_aws"'); });
 * ```
 */
export function capturePowertoolsOutput(): CapturedOutput {
  const chunks: string[] = [];
  const output: CapturedOutput = {
    chunks,
    clear: () => {
      chunks.length = 0;
    },
  };
  beforeEach(() => {
    output.clear();
    vi.stubEnv('POWERTOOLS_DEV', '');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
    const capture = (chunk: string | Uint8Array): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });
  return output;
}
