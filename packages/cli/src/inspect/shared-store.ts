/**
 * `inspect` for stores other than SSM (DynamoDB): what the `SharedStore` interface can tell —
 * the value and its version, its size against the store's limit, the token and the lease.
 */
import { decodeLease, type SharedStore } from '@token-cache/core/internal';
import type { CliContext } from '../context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { analyseStoredValue } from '../stored-value.js';
import { leaseJson, leaseLine, valueJson, valueLines } from './format.js';
import { judgement } from './judgement.js';

/**
 * Inspects `store` (reads `token` and `lease`).
 *
 * @example
 * ```ts
 * return inspectSharedStore(context, context.dynamoDbStore());
 * ```
 */
export async function inspectSharedStore(
  context: CliContext,
  store: SharedStore,
): Promise<ExitCode> {
  const stored = await store.get('token');
  if (stored === undefined) {
    context.out.result({ store: store.description, record: { exists: false } }, [
      `${store.description} holds no token record yet.`,
      'It is created by the first refresh (`token-cache refresh`).',
    ]);
    return EXIT_CODES.failure;
  }
  const { identity, policy } = await judgement(context);
  const now = Date.now();
  const { facts, accessToken } = analyseStoredValue(stored.value, now, policy, identity);
  const leaseRecord = await store.get('lease').catch(() => undefined);
  const lease = leaseRecord === undefined ? undefined : decodeLease(leaseRecord.value);
  const valueLength = Buffer.byteLength(stored.value, 'utf8');
  const reveal = context.options.showToken === true ? accessToken : undefined;

  context.out.result(
    {
      store: store.description,
      record: {
        exists: true,
        version: stored.version,
        valueLength,
        maxValueLength: store.maxValueLength,
        headroom: store.maxValueLength - valueLength,
      },
      value: valueJson(facts, now, reveal),
      lease: leaseRecord === undefined ? null : leaseJson(lease, now),
    },
    [
      `Store         ${store.description}`,
      `  version     ${stored.version}`,
      `  size        ${valueLength} of ${store.maxValueLength} characters`,
      ...valueLines(facts, now),
      leaseLine(undefined, lease, now, leaseRecord !== undefined),
      ...(reveal ? [`  token       ${reveal}`] : []),
    ],
    reveal,
  );
  return EXIT_CODES.ok;
}
