/**
 * `token-cache inspect`: what the shared store holds, without printing the token — parameter
 * metadata, value size against the tier's limit, token expiry, decoded claims, whether the
 * configured fleet would serve it, and any refresh lease or back-off marker.
 */
import { decodeLease, freshnessPolicy, lockParameterName } from '@token-cache/core';
import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.js';
import { configuredEndpoint } from '../configured-source.js';
import type { CliContext } from '../context.js';
import { formatDuration } from '../duration.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { describeParameter, readParameter, tierLimit } from '../ssm-parameter.js';
import { analyseStoredValue, type StoredValueFacts } from '../stored-value.js';
import { expiryFacts } from '../token-facts.js';

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
  if (!settings.shared || settings.storeKind !== 'ssm') {
    context.out.result({ store: settings.shared ? settings.storeKind : 'none', supported: false }, [
      settings.shared
        ? `inspect reads SSM parameters; TOKEN_CACHE_STORE=${settings.storeKind} is not supported yet.`
        : 'The shared store is off (TOKEN_CACHE_SHARED=off): nothing is stored.',
    ]);
    return EXIT_CODES.failure;
  }
  const ssm = context.ssm();
  const name = settings.parameterName;
  const parameter = await readParameter(ssm, name);
  if (parameter === undefined) {
    context.out.result({ parameter: { name, exists: false } }, [
      `Parameter ${name} does not exist (region ${settings.region}).`,
      'Fix: apply the Terraform in infra/ (it creates it with "not-initialized"), or run `token-cache refresh`.',
    ]);
    return EXIT_CODES.failure;
  }
  const description = await describeParameter(ssm, name);
  const identity = await context
    .credentials()
    .then((values) => configuredEndpoint(settings, values).identity)
    .catch(() => undefined);
  const now = Date.now();
  const policy = freshnessPolicy({
    refreshWindowMs: settings.refreshWindowMs,
    minRemainingMs: settings.minRemainingMs,
  });
  const { facts, accessToken } = analyseStoredValue(parameter.value, now, policy, identity);
  const lockName = settings.lockParameterName ?? lockParameterName(name);
  const lock = await readParameter(ssm, lockName).catch(() => undefined);
  const lease = lock === undefined ? undefined : decodeLease(lock.value);

  const maxValueLength = description.available
    ? description.maxValueLength
    : tierLimit(settings.parameterTier);
  const valueLength = Buffer.byteLength(parameter.value, 'utf8');
  const reveal = context.options.showToken === true && accessToken !== undefined;
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
    value: {
      ...facts,
      ...(facts.expiresAt === undefined ? {} : expiryJson(facts.expiresAt, now)),
      ...(facts.issuedAt === undefined ? {} : { issuedAt: new Date(facts.issuedAt).toISOString() }),
      ...(reveal ? { accessToken } : {}),
    },
    lease:
      lock === undefined
        ? null
        : lease === undefined
          ? { name: lockName, parsable: false }
          : {
              name: lockName,
              owner: lease.owner,
              leaseExpiresAt: new Date(lease.leaseExpiresAt).toISOString(),
              held: now < lease.leaseExpiresAt,
              backoffUntil:
                lease.backoffUntil === undefined
                  ? null
                  : new Date(lease.backoffUntil).toISOString(),
              backoffReason: lease.reason ?? null,
            },
  };

  const lines = [
    `Parameter     ${name}`,
    `  version     ${parameter.version}, last modified ${parameter.lastModified ?? 'unknown'}`,
    `  type        ${parameter.type}${description.available ? `, tier ${description.tier}${description.keyId ? `, KMS key ${description.keyId}` : ''}` : ` (tier unknown: ${description.reason})`}`,
    `  size        ${valueLength} of ${maxValueLength} characters (${maxValueLength - valueLength} to spare)`,
    ...valueLines(facts, now),
    lockLine(lockName, lock !== undefined, lease, now),
  ];
  if (reveal) lines.push(`  token       ${accessToken}`);
  context.out.result(document, lines, reveal ? accessToken : undefined);
  return EXIT_CODES.ok;
}

function expiryJson(expiresAt: number, now: number) {
  const expiry = expiryFacts(expiresAt, now);
  return { expiresAt: expiry.expiresAt, expiresInMs: expiry.expiresInMs };
}

function valueLines(facts: StoredValueFacts, now: number): string[] {
  if (facts.format === 'placeholder')
    return ['Value         "not-initialized" (no token stored yet)'];
  if (facts.format === 'empty' || facts.format === 'unrecognized') {
    return [`Value         ${facts.format}: the fleet treats it as a miss and overwrites it`];
  }
  const lines = [
    `Value         ${facts.format === 'envelope' ? `envelope v${facts.envelopeVersion}` : 'bare JWT'}`,
  ];
  if (facts.expiresAt !== undefined) {
    lines.push(`  expires     ${expiryFacts(facts.expiresAt, now).text}, ${facts.freshness}`);
  }
  if (facts.verdict !== undefined) {
    lines.push(`  served      ${facts.verdict === 'usable' ? 'yes' : `no (${facts.verdict})`}`);
  }
  const claims = facts.claims;
  if (claims) {
    lines.push(
      `  iss         ${claims.iss ?? '-'}`,
      `  aud         ${[claims.aud ?? '-'].flat().join(', ')}`,
      `  azp         ${claims.azp ?? '-'}`,
      `  scope       ${claims.scope ?? '-'}`,
      `  exp         ${claims.exp === undefined ? '-' : new Date(claims.exp * 1000).toISOString()}`,
    );
  }
  return lines;
}

function lockLine(
  lockName: string,
  exists: boolean,
  lease: ReturnType<typeof decodeLease>,
  now: number,
): string {
  if (!exists) return `Lease         none (${lockName} absent)`;
  if (lease === undefined)
    return `Lease         ${lockName} holds an unparsable value (treated as stale)`;
  const remaining = lease.leaseExpiresAt - now;
  const state =
    remaining > 0
      ? `held by ${lease.owner} for ${formatDuration(remaining)}`
      : `expired (${lease.owner})`;
  const backoff =
    lease.backoffUntil !== undefined && lease.backoffUntil > now
      ? `; endpoint back-off until ${new Date(lease.backoffUntil).toISOString()} (${lease.reason ?? 'no reason'})`
      : '';
  return `Lease         ${state}${backoff}`;
}
