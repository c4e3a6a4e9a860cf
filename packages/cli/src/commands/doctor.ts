/**
 * `token-cache doctor`: a checklist that diagnoses a broken setup on its own — configuration,
 * credentials, store access (read, write without clobbering, SecureString/KMS, size), the
 * stored token, the token endpoint (optionally a real token with `--fetch`) and clock skew —
 * with a fix for every failure. Exits 1 when any check fails.
 */

import { freshnessPolicy } from '@token-cache/core';
import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.js';
import type { CliContext } from '../context.js';
import { type CheckResult, check, summarise } from '../doctor/check.js';
import { checkConfiguration, checkCredentials } from '../doctor/config-checks.js';
import {
  checkClockSkew,
  checkEndpointReachable,
  checkTokenFetch,
  type EndpointFacts,
} from '../doctor/endpoint-checks.js';
import {
  checkSecureString,
  checkStoredToken,
  checkStoreRead,
  checkStoreWrite,
  checkValueSize,
} from '../doctor/store-checks.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { analyseStoredValue } from '../stored-value.js';
import { tokenClaims } from '../token-facts.js';

/**
 * Registers `doctor` on `program`.
 *
 * @example
 * ```ts
 * registerDoctor(program, run); // token-cache doctor --fetch
 * ```
 */
export function registerDoctor(program: Command, run: CommandRunner): void {
  program
    .command('doctor')
    .description('check configuration, store access, the endpoint and the clock; suggest fixes')
    .option(
      '--fetch',
      'also obtain a real token from the endpoint (one token is issued; not stored)',
    )
    .action((_options, command: Command) => run(command, doctor));
}

async function doctor(
  context: CliContext,
  options: Readonly<Record<string, unknown>>,
): Promise<ExitCode> {
  const results = await runChecks(context, options.fetch === true);
  const summary = summarise(results);
  const healthy = summary.fail === 0;
  const lines = results.flatMap((result) => [
    `${MARK[result.status]} ${result.title}: ${result.detail}`,
    ...(result.fix ? [`       fix: ${result.fix}`] : []),
  ]);
  lines.push(
    '',
    `${summary.pass} passed, ${summary.warn} warnings, ${summary.fail} failed, ${summary.skip} skipped.`,
  );
  context.out.result({ healthy, summary, checks: results }, lines);
  return healthy ? EXIT_CODES.ok : EXIT_CODES.failure;
}

const MARK = { pass: '[ ok ]', warn: '[warn]', fail: '[FAIL]', skip: '[skip]' } as const;

async function runChecks(context: CliContext, fetchToken: boolean): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const configuration = checkConfiguration(context);
  results.push(configuration.result);
  const settings = configuration.settings;
  if (!settings) return results;

  const credentials = await checkCredentials(context, settings);
  results.push(credentials.result);
  const endpoint = credentials.endpoint;

  let storedIssuedAt: number | undefined;
  if (!settings.shared) {
    results.push(
      check(
        'store',
        'Shared store',
        'warn',
        'TOKEN_CACHE_SHARED=off: every container asks the endpoint for its own token',
        'Unset TOKEN_CACHE_SHARED once the store works (it is the rollback switch).',
      ),
    );
  } else if (settings.storeKind !== 'ssm') {
    results.push(
      check(
        'store',
        'Shared store',
        'skip',
        `doctor checks SSM only; TOKEN_CACHE_STORE=${settings.storeKind}: run \`token-cache get --verbose\` to exercise it`,
      ),
    );
  } else {
    const ssm = context.ssm();
    const read = await checkStoreRead(ssm, settings);
    results.push(read.result);
    if (read.facts.parameter === undefined) {
      results.push(
        check(
          'store-write',
          'Store is writable (probed without overwriting)',
          'skip',
          'the store could not be read',
        ),
      );
    } else {
      results.push(await checkStoreWrite(ssm, settings, read.facts));
    }
    results.push(checkSecureString(settings, read.facts));
    results.push(checkValueSize(settings, read.facts));
    results.push(checkStoredToken(settings, read.facts, endpoint?.identity, Date.now()));
    if (read.facts.parameter) {
      const policy = freshnessPolicy({
        refreshWindowMs: settings.refreshWindowMs,
        minRemainingMs: settings.minRemainingMs,
      });
      storedIssuedAt = analyseStoredValue(read.facts.parameter.value, Date.now(), policy).facts
        .issuedAt;
    }
  }

  let endpointFacts: EndpointFacts = {};
  if (endpoint) {
    const reachable = await checkEndpointReachable(endpoint, settings.endpointTimeoutMs);
    results.push(reachable.result);
    endpointFacts = reachable.facts;
    if (fetchToken && reachable.result.status === 'pass') {
      const fetched = await checkTokenFetch(endpoint);
      results.push(fetched.result);
      // The JWT's own iat (the issuer's clock), not the time our source received it.
      const iat = fetched.token ? tokenClaims(fetched.token.accessToken)?.iat : undefined;
      if (iat !== undefined) storedIssuedAt = iat * 1000;
    }
  } else {
    results.push(
      check(
        'endpoint',
        'Token endpoint is reachable',
        'skip',
        'no usable credentials configuration',
      ),
    );
  }
  results.push(checkClockSkew(endpointFacts, storedIssuedAt, Date.now()));
  return results;
}
