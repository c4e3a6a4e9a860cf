/**
 * The shared tier: one token for the whole fleet through a `SharedStore`, by the refresh
 * protocol in `shared/` (states, budgets, tuning) and the store's lease strategy in `lease/`.
 * `docs/protocol.md` describes it.
 */
import { jitteredDelayMs, STORE_RETRY_BACKOFF } from '../backoff.js';
import type { Deadline } from '../deadline.js';
import { StoreError } from '../errors.js';
import { leaseStrategyFor } from '../lease/strategy.js';
import type { SharedStore } from '../store.js';
import { heldBy } from './intent.js';
import { budgetsFor, storeLatencyMs, toleratedSkewMs } from './shared/budgets.js';
import { runProtocol } from './shared/machine.js';
import type { Protocol, Run } from './shared/run.js';
import { storeCall } from './store-access.js';
import type { Tier, TierContext, TierRequest, TierResult } from './tier.js';

/**
 * The shared-store tier, a decorator over the endpoint tier.
 *
 * @example
 * ```ts
 * const shared = new SharedTier(store, new SourceTier(source, context), context, 'container-1');
 * const { token } = await shared.resolve({ deadline: new Deadline(Date.now, 10_000), intent: { kind: 'serve' } });
 * ```
 */
export class SharedTier implements Tier {
  readonly #protocol: Protocol;
  #disabled = false;

  constructor(store: SharedStore, next: Tier, context: TierContext, ownerId: string) {
    const leases = leaseStrategyFor(store, {
      owner: ownerId,
      clock: context.clock,
      leaseMs: context.leaseMs,
      maxBackoffMs: context.maxBackoffMs,
      maxClockSkewMs: toleratedSkewMs(context),
      maxStoreLatencyMs: storeLatencyMs(context),
    });
    this.#protocol = {
      store,
      leases,
      endpoint: next,
      context,
      disableStore: (reason) => {
        if (this.#disabled) return;
        // Warn once and carry on memory-only rather than fail every invocation.
        this.#disabled = true;
        context.emit({ type: 'store-disabled', reason });
      },
    };
  }

  /** True once the store refused a value as too large: the cache runs memory-only. */
  get disabled(): boolean {
    return this.#disabled;
  }

  resolve(request: TierRequest): Promise<TierResult> {
    const p = this.#protocol;
    if (this.#disabled) return p.endpoint.resolve(request);
    const { clock, policy } = p.context;
    const held = heldBy(request.intent);
    const usableHeld = held && clock() < held.expiresAt - policy.minRemainingMs ? held : undefined;
    const run: Run = {
      request,
      intent: request.intent,
      budgets: budgetsFor(request, p.context, usableHeld),
      candidate: usableHeld,
      firstRead: undefined,
      startedAt: clock(),
    };
    return runProtocol(p, run);
  }

  /**
   * Tells the fleet that the API refuses the tokens this configuration obtains: a free lease
   * becomes a back-off marker until `until`, so no other container mints another token for it
   * meanwhile. Skipped while someone holds the lease (its holder is refreshing anyway).
   */
  async reportRefused(until: number, reason: string, deadline: Deadline): Promise<void> {
    const { leases, context } = this.#protocol;
    const { clock, random, sleep } = context;
    const end = deadline.storeExpiresAt;
    const read = storeCall(context, end, deadline.storeSignal);
    const once = storeCall(context, clock(), deadline.storeSignal);
    // Each claim goes out once, right after its read: a throttled one is answered by reading
    // again, as a claim resent long after its read could hide what was written since.
    for (let attempt = 0; clock() < end; attempt++) {
      const view = await leases.read(read);
      if (view.kind !== 'free') return;
      try {
        await leases.claim(view, once, { backoffUntil: until, reason });
        return;
      } catch (error) {
        if (!(error instanceof StoreError) || error.kind !== 'throttled') throw error;
      }
      const pause = Math.min(jitteredDelayMs(attempt, STORE_RETRY_BACKOFF, random), end - clock());
      await sleep(Math.max(0, pause), deadline.storeSignal);
    }
  }
}
