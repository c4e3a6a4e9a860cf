/**
 * `token-cache inspect`: what the shared store holds, without printing the token — parameter
 * metadata, value size against the tier's limit, token expiry, decoded claims, whether the
 * configured fleet would serve it, and any refresh lease or back-off marker.
 */
import { decodeLease, lockParameterName } from '@token-cache/core/internal';
import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.js';
import type { CliContext } from '../context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { leaseJson, leaseLine, valueJson, valueLines } from '../inspect/format.js';
import { judgement } from '../inspect/judgement.js';
import { inspectSharedStore } from '../inspect/shared-store.js';
import { describeParameter, readParameter, tierLimit } from '../ssm-parameter.js';
import { analyseStoredValue } from '../stored-value.js';

/**
 * Registers `inspect` on `program`.
 *
 * @example
 * ```ts
 * registerInspect(program, run); // token-cache inspect --json
 * ```
 */
export function registerInspect(program: Command, run: CommandRunner): void {
  program
    .command('inspect')
    .description('show the stored token: parameter, size, expiry, claims, lease (never the token)')
    .action((_options, command: Command) => run(command, inspect));
}

async function inspect(context: CliContext): Promise<ExitCode> {
  const settings = context.settings();
  if (!settings.shared) {
    context.out.result({ store: 'none' }, [
      'The shared store is off (TOKEN_CACHE_SHARED=off): nothing is stored.',
    ]);
    return EXIT_CODES.failure;
  }
  if (settings.storeKind !== 'ssm') return inspectSharedStore(context, context.dynamoDbStore());

  const ssm = context.ssm();
  const name = settings.parameterName;
  const parameter = await readParameter(ssm, name);
  if (parameter === undefined) {
    context.out.result({ store: `ssm:${name}`, parameter: { name, exists: false } }, [
      `Parameter ${name} does not exist (region ${settings.region}).`,
      'Fix: apply the Terraform in infra/ (it creates it with "not-initialized"), or run `token-cache refresh`.',
    ]);
    return EXIT_CODES.failure;
  }
  const description = await describeParameter(ssm, name);
  const { identity, policy } = await judgement(context);
  const now = Date.now();
  const { facts, accessToken } = analyseStoredValue(parameter.value, now, policy, identity);
  const lockName = settings.lockParameterName ?? lockParameterName(name);
  // The lease is informative: a failure to read it must not hide the token's state.
  const lock = await readParameter(ssm, lockName).catch(() => undefined);
  const lease = lock === undefined ? undefined : decodeLease(lock.value);

  const maxValueLength = description.available
    ? description.maxValueLength
    : tierLimit(settings.parameterTier);
  const valueLength = Buffer.byteLength(parameter.value, 'utf8');
  const reveal = context.options.showToken === true ? accessToken : undefined;
  const document = {
    store: `ssm:${name}`,
    parameter: {
      name,
      exists: true,
      arn: parameter.arn ?? null,
      version: parameter.version,
      lastModified: parameter.lastModified ?? null,
      type: parameter.type,
      dataType: parameter.dataType ?? null,
      tier: description.available ? description.tier : null,
      keyId: description.available ? (description.keyId ?? null) : null,
      describeError: description.available ? null : description.reason,
      valueLength,
      maxValueLength,
      headroom: maxValueLength - valueLength,
    },
    value: valueJson(facts, now, reveal),
    lease: lock === undefined ? null : { name: lockName, ...leaseJson(lease, now) },
  };

  const typeLine = description.available
    ? `${parameter.type}, tier ${description.tier}${description.keyId ? `, KMS key ${description.keyId}` : ''}`
    : `${parameter.type} (tier unknown: ${description.reason})`;
  const lines = [
    `Parameter     ${name}`,
    `  version     ${parameter.version}, last modified ${parameter.lastModified ?? 'unknown'}`,
    `  type        ${typeLine}`,
    `  size        ${valueLength} of ${maxValueLength} characters (${maxValueLength - valueLength} to spare)`,
    ...valueLines(facts, now),
    leaseLine(lockName, lease, now, lock !== undefined),
  ];
  if (reveal) lines.push(`  token       ${reveal}`);
  context.out.result(document, lines, reveal);
  return EXIT_CODES.ok;
}
