/**
 * `token-cache doctor`: a checklist that diagnoses a broken setup on its own — configuration,
 * credentials, store access (read, write without clobbering, SecureString/KMS, size), the
 * stored token, the token endpoint (optionally a real token with `--fetch`) and clock skew —
 * with a fix for every failure. Exits 1 when any check fails.
 */

import {
  freshnessPolicy,
  type TokenCacheSettings,
  type TokenIdentity,
} from '@token-cache/core/internal';
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
  checkSharedStoreRead,
  checkSharedStoreSize,
  checkSharedStoreWrite,
} from '../doctor/shared-store-checks.js';
import {
  checkSecureString,
  checkStoreRead,
  checkStoreWrite,
  checkValueSize,
} from '../doctor/store-checks.js';
import { checkStoredToken } from '../doctor/stored-token-check.js';
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

/** Runs the store checks into `results`; returns the stored value (`null` none, `undefined` unreadable). */
async function storeChecks(
  context: CliContext,
  settings: TokenCacheSettings,
  identity: TokenIdentity | undefined,
  results: CheckResult[],
): Promise<string | null | undefined> {
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
    return undefined;
  }
  if (settings.storeKind !== 'ssm') {
    const store = context.dynamoDbStore();
    const read = await checkSharedStoreRead(store, settings);
    results.push(read.result);
    results.push(
      read.value === undefined
        ? check(
            'store-write',
            'Store is writable (probed without overwriting)',
            'skip',
            'the store could not be read',
          )
        : await checkSharedStoreWrite(store, settings),
    );
    results.push(checkSharedStoreSize(store, read.value));
    results.push(checkStoredToken(settings, read.value ?? undefined, identity, Date.now()));
    return read.value;
  }
  const ssm = context.ssm();
  const read = await checkStoreRead(ssm, settings);
  results.push(read.result);
  results.push(
    read.facts.parameter === undefined
      ? check(
          'store-write',
          'Store is writable (probed without overwriting)',
          'skip',
          'the store could not be read',
        )
      : await checkStoreWrite(ssm, settings, read.facts),
  );
  results.push(checkSecureString(settings, read.facts));
  results.push(checkValueSize(settings, read.facts));
  const value = read.facts.parameter?.value;
  results.push(checkStoredToken(settings, value, identity, Date.now()));
  return read.facts.parameter === undefined ? undefined : (value ?? null);
}

async function runChecks(context: CliContext, fetchToken: boolean): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const configuration = checkConfiguration(context);
  results.push(configuration.result);
  const settings = configuration.settings;
  if (!settings) return results;

  const credentials = await checkCredentials(context, settings);
  results.push(credentials.result);
  const endpoint = credentials.endpoint;

  const storedValue = await storeChecks(context, settings, endpoint?.identity, results);
  const policy = freshnessPolicy({
    refreshWindowMs: settings.refreshWindowMs,
    minRemainingMs: settings.minRemainingMs,
  });
  const storedIat =
    typeof storedValue === 'string'
      ? analyseStoredValue(storedValue, Date.now(), policy).facts.claims?.iat
      : undefined;
  let storedIssuedAt = storedIat === undefined ? undefined : storedIat * 1000;

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
