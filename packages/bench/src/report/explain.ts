/**
 * The demo's one-paragraph explanation, written from the numbers of the run it follows.
 */
import type { ScenarioResult } from '../run-scenario.js';
import type { StrategyResult } from '../summarize.js';
import { formatCount, formatMs, formatRatio } from './format.js';

const plural = (count: number, word: string) =>
  `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;

/**
 * Explains a three-strategy result in plain words.
 *
 * @example
 * ```ts
 * console.log(explainComparison(result));
 * ```
 */
export function explainComparison(result: ScenarioResult): string {
  const find = (name: string): StrategyResult | undefined =>
    result.strategies.find((strategy) => strategy.name === name);
  const memory = find('memory-only');
  const seed = find('seed-two-tier');
  const shared = find('shared');
  const cold = formatCount(result.setup.containers);
  const sentences: string[] = [
    `All ${formatCount(result.strategies.length)} strategies replayed the same ${cold} cold starts (${formatCount(result.setup.invocations)} invocations); the physical minimum, one token-endpoint call per token lifetime spanned, was ${plural(shared?.physicalMinimum ?? memory?.physicalMinimum ?? 0, 'call')}.`,
  ];
  if (memory) {
    sentences.push(
      `memory-only (the seed's current code) called the endpoint ${formatCount(memory.endpointCalls)} times (${formatRatio(memory.endpointCalls, memory.physicalMinimum)} the minimum): every cold container fetches its own token, and the IdP's 30 requests/s limit refused ${formatCount(memory.endpointRateLimited)} of those calls, leaving ${plural(memory.withoutToken, 'invocation')} without a token.`,
    );
  }
  if (seed) {
    sentences.push(
      `seed-two-tier (the seed's proposal) did no better on the endpoint (${formatCount(seed.endpointCalls)} calls) and added ${formatCount(seed.ssmReads)} SSM reads and ${formatCount(seed.ssmWrites)} writes (${formatCount(seed.ssmThrottles)} throttled): it keeps the expiry in the parameter's Description, which GetParameter never returns, so its shared tier never hits.`,
    );
  }
  if (shared) {
    const rejected =
      shared.rejectedByApi === 0
        ? 'the API rejected none of its tokens'
        : `the API rejected ${plural(shared.rejectedByApi, 'token')}`;
    sentences.push(
      `shared (this library) made ${plural(shared.endpointCalls, 'endpoint call')} (${formatRatio(shared.endpointCalls, shared.physicalMinimum)} the minimum) with ${formatCount(shared.ssmReads)} SSM reads and ${formatCount(shared.ssmWrites)} writes; a memory hit costs no I/O (median acquisition ${formatMs(shared.p50Ms)} ms, p99 ${formatMs(shared.p99Ms)} ms), ${plural(shared.withoutToken, 'invocation')} went without a token, and ${rejected}.`,
    );
  }
  return sentences.join(' ');
}
