/**
 * The shared tier (issues 2 and 4): one token for the whole fleet through a `SharedStore`.
 *
 * Protocol for one request (every wait bounded by the request's deadline):
 * 1. Read the token record. A servable token the schedule accepts is returned: a cold start
 *    costs exactly this one read (guarantee 3).
 * 2. Otherwise try the lease (read it, create it only if absent; see `lease.ts`).
 *    - Won: re-read the token (someone may just have written), else call the endpoint, write
 *      without regressing (guarantee 7), release. A 429/5xx turns the lease into the fleet's
 *      back-off marker instead of releasing it.
 *    - Lost, and a usable token is at hand: serve it (guarantee 5) and look again when the
 *      holder's lease ends.
 *    - Lost, nothing usable: wait for the holder's write (see `holder-wait.ts`).
 * 3. A store that fails or stays throttled past the wait budget never blocks a usable token;
 *    without one, the endpoint is called directly (`deadline-fallback`).
 *
 * Store quota is the scarce resource on SSM (40 reads/s, about 3 writes/s account-wide), so:
 * - with a usable token in hand, a throttled token read or lease read gets at most half a
 *   second of quick retries, then the token is served and the store asked again later
 *   (guarantees 5 and 8); a throttled lease write is never retried (`LeaseClient.acquire`);
 * - the lease holder, whom the fleet waits for, restarts its throttle backoff and on SSM skips
 *   the write's second re-read while its lease is live;
 * - the fleet's back-off marker, once seen, is remembered in memory: until it ends this
 *   container touches neither the store nor the endpoint.
 */

import { jitteredDelayMs } from '../backoff.js';
import { StoreError, TokenUnavailableError } from '../errors.js';
import type { TokenCacheEvent } from '../events.js';
import { isUsable } from '../freshness.js';
import { type HeldLease, LeaseClient, type LeaseRecord, type StoreCall } from '../lease.js';
import type { SharedStore } from '../store.js';
import type { Token } from '../token.js';
import { waitForHolder } from './holder-wait.js';
import { backoffUntil, describeEndpointFailure, isBackoffError } from './source-tier.js';
import { readToken, storeCall, type TokenRead, writeToken } from './store-access.js';
import type { Tier, TierContext, TierRequest, TierResult } from './tier.js';

/**
 * How long a container holding a usable token retries throttled store calls in one request
 * (capped at a quarter lease): enough for a few quick retries, far less than a deadline.
 */
const HOLDING_RETRY_BUDGET_MS = 500;

const HIT_STORE: TokenCacheEvent = Object.freeze({ type: 'hit', tier: 'store' });

/** Whether a stored token is good enough to return without refreshing it. */
type Accept = (token: Token, now: number) => boolean;

/**
 * The shared-store tier, a decorator over the endpoint tier.
 *
 * @example
 * ```ts
 * const shared = new SharedTier(store, new SourceTier(source, context), context, 'container-1');
 * const { token } = await shared.resolve({ deadline: new Deadline(Date.now, 10_000) });
 * ```
 */
export class SharedTier implements Tier {
  readonly #leases: LeaseClient;
  #disabled = false;
  /** The fleet's endpoint back-off as last seen (the lease's `backoffUntil`), kept in memory. */
  #backoff: { readonly until: number; readonly reason?: string } | undefined;

  constructor(
    private readonly store: SharedStore,
    private readonly next: Tier,
    private readonly context: TierContext,
    ownerId: string,
  ) {
    this.#leases = new LeaseClient(store, ownerId, context.leaseMs, context.clock);
  }

  /** True once the store refused a value as too large: the cache runs memory-only. */
  get disabled(): boolean {
    return this.#disabled;
  }

  async resolve(request: TierRequest): Promise<TierResult> {
    if (this.#disabled) return this.next.resolve(request);
    const { clock, emit, schedule } = this.context;
    // Store calls and waits stop early enough to leave a share of the deadline for the endpoint.
    const waitUntil = request.deadline.storeExpiresAt;
    const call = storeCall(this.context, waitUntil, request.deadline.storeSignal);
    const policyAccept: Accept =
      request.accept ?? ((token, now) => now < schedule.refreshAt(token));
    // A forced refresh accepts only a token other than the one it first read.
    let baseline: { accessToken?: string } | undefined;
    const accept: Accept = (token, now) =>
      request.force === true
        ? baseline !== undefined && token.accessToken !== baseline.accessToken
        : policyAccept(token, now);
    const servable = (token?: Token) => this.#servable(token, request.revoked);
    const waitStarted = clock();
    let candidate = servable(request.held);
    const remembered = this.#rememberedBackoff(candidate);
    if (remembered) return remembered;
    // Holding a usable token, a throttled store is not worth waiting for: serving the token now
    // and asking again later costs the fleet nothing, while long retries spend the account's
    // quota (and can outlast the token). A few quick retries still get through a store that
    // throttles at random; a caller that must see the refresh happen keeps trying as usual.
    const patient = request.waitForRefresh === true || request.force === true;
    const holdingBudgetMs = this.#holdingBudgetMs();
    const storeSignal = request.deadline.storeSignal;
    // Never past the held token's last usable instant either: a retry that outlasts it would
    // leave nothing to serve.
    const heldUsableUntil = candidate
      ? candidate.expiresAt - this.context.policy.minRemainingMs - 1
      : Number.POSITIVE_INFINITY;
    const holdUntil = Math.min(clock() + holdingBudgetMs, heldUsableUntil);
    const impatient = storeCall(this.context, holdUntil, storeSignal);
    const callFor = (): StoreCall => (candidate && !patient ? impatient : call);
    // Lease writes are never retried on throttling (see `LeaseClient.acquire`).
    const writeOnce = storeCall(this.context, clock(), storeSignal);
    for (;;) {
      let attempt: Awaited<ReturnType<LeaseClient['acquire']>>;
      try {
        const { token } = await readToken(this.store, callFor(), this.context);
        baseline ??= { accessToken: token?.accessToken };
        const stored = servable(token);
        if (stored && accept(stored, clock())) {
          emit(HIT_STORE);
          return { token: stored, fetched: false };
        }
        if (stored && (!candidate || stored.expiresAt > candidate.expiresAt)) candidate = stored;
        attempt = await this.#leases.acquire(callFor(), writeOnce);
      } catch (error) {
        return this.#storeFailed(error, request, servable(candidate));
      }
      if (attempt.acquired) {
        emit({ type: 'lease-acquired', takeover: attempt.takeover });
        return this.#refreshUnderLease(request, attempt.lease, accept, candidate);
      }
      candidate = servable(candidate);
      const backoff = this.#backoffOutcome(attempt.holder, candidate);
      if (backoff) return backoff;
      if (candidate && !request.waitForRefresh) {
        // Someone else is refreshing; keep serving what we have (guarantee 4).
        emit({ type: 'lease-wait', durationMs: 0, outcome: 'served-usable' });
        return { token: candidate, recheckAt: this.#recheckAfter(attempt.holder), fetched: false };
      }
      const waited = await waitForHolder({
        store: this.store,
        leases: this.#leases,
        context: this.context,
        call,
        holder: attempt.holder,
        // Never into the share of the deadline kept for the endpoint; per holder, one lease.
        waitLimit: waitUntil,
        signal: request.deadline.signal,
        accept: (token, now) =>
          accept(token, now) || (!request.waitForRefresh && candidate === undefined),
        servable,
      });
      if (waited.kind === 'token') return { token: waited.token, fetched: false };
      if (waited.kind === 'store-failed')
        return this.#storeFailed(waited.error, request, candidate);
      if (waited.kind === 'backoff') {
        const outcome = this.#backoffOutcome(waited.holder, servable(candidate));
        if (outcome) return outcome;
      }
      if (waited.kind === 'timeout') {
        emit({ type: 'lease-wait', durationMs: clock() - waitStarted, outcome: 'timeout' });
        emit({ type: 'deadline-fallback', reason: 'lease-wait-timeout' });
        return this.#fetchWithoutLease(request, candidate);
      }
      // 'retry': the lease was released or went stale; go round (read, then acquire).
    }
  }

  async #refreshUnderLease(
    request: TierRequest,
    lease: HeldLease,
    accept: Accept,
    candidate: Token | undefined,
  ): Promise<TierResult> {
    const { clock, emit } = this.context;
    const { deadline } = request;
    // Re-read before calling the endpoint (issue 4): the previous holder may just have written.
    // Its throttle backoff starts afresh: the whole fleet waits for this holder, so it must not
    // inherit the long pauses its earlier throttled reads built up.
    const reread = storeCall(this.context, deadline.storeExpiresAt, deadline.storeSignal);
    const again = await readToken(this.store, reread, this.context, false).catch(() => undefined);
    const fresh = this.#servable(again?.token, request.revoked);
    if (fresh && accept(fresh, clock())) {
      emit(HIT_STORE);
      await withinDeadline(this.#release(lease), deadline.signal, undefined);
      return { token: fresh, fetched: false };
    }
    let result: TierResult;
    try {
      result = await this.next.resolve({ deadline, ...revokedOf(request) });
    } catch (error) {
      let until: number | undefined;
      if (isBackoffError(error)) {
        until = backoffUntil(error, clock(), this.context.random);
        const reason = describeEndpointFailure(error);
        this.#remember(until, reason);
        emit({ type: 'backoff', untilMs: until, reason });
        // The lease becomes the fleet's back-off marker: kept, not released.
        const marking = this.#leases.markBackoff(until, reason, this.#ownBudgetCall());
        await withinDeadline(marking, deadline.signal, undefined);
      } else {
        await withinDeadline(this.#release(lease), deadline.signal, undefined);
      }
      return this.#serveAfterEndpointFailure(error, candidate, until);
    }
    // The token is in hand and the fleet is waiting for it: write it, then release, on a budget
    // of their own. The caller waits for that at most until its deadline; on a store that slow
    // the write finishes detached (rather than being lost and costing another endpoint call).
    const fetched = result.token;
    const persisted = (async () => {
      try {
        // At least until our lease ends (the fleet waits for this write that long anyway), and
        // no less than a third of a deadline: on a saturated store a short lease would otherwise
        // lose the token the whole fleet is waiting for, costing everyone an endpoint call.
        const writeUntil = Math.max(
          lease.record.leaseExpiresAt,
          clock() + Math.floor(this.context.deadlineMs / 3),
        );
        // While our lease is live, nobody else refreshes: on a store without compare-and-set the
        // re-read just made stands in for the write's own re-read (one read less on the path
        // the fleet waits on; the deadline-forced writer race is as documented in writeToken).
        const known =
          again !== undefined &&
          !this.store.supportsCompareAndSet &&
          clock() < lease.record.leaseExpiresAt
            ? again
            : undefined;
        return await this.#write(fetched, request, this.#ownBudgetCall(writeUntil), known);
      } finally {
        await this.#release(lease);
      }
    })();
    return { token: await withinDeadline(persisted, deadline.signal, fetched), fetched: true };
  }

  // No lease (the store failed, or the holder did not deliver within the wait budget).
  async #fetchWithoutLease(request: TierRequest, candidate?: Token): Promise<TierResult> {
    let result: TierResult;
    try {
      result = await this.next.resolve({ deadline: request.deadline, ...revokedOf(request) });
    } catch (error) {
      return this.#serveAfterEndpointFailure(error, candidate);
    }
    // One attempt, no throttle retries: the store is likely the reason we are here.
    const once = storeCall(this.context, this.context.clock(), request.deadline.signal);
    return { token: await this.#write(result.token, request, once), fetched: true };
  }

  // Serve-still-valid (guarantee 5): a usable token read from the store beats an endpoint error.
  #serveAfterEndpointFailure(error: unknown, candidate?: Token, until?: number): TierResult {
    const { clock, random } = this.context;
    const usable = this.#servable(candidate);
    if (usable === undefined) throw error;
    const remainingMs = usable.expiresAt - clock();
    this.context.emit({ type: 'stale-serve', remainingMs, reason: describeEndpointFailure(error) });
    const recheckAt = until ?? backoffUntil(error, clock(), random);
    return { token: usable, recheckAt, fetched: false };
  }

  async #storeFailed(error: unknown, request: TierRequest, candidate?: Token): Promise<TierResult> {
    const { clock, emit, random, leaseMs } = this.context;
    candidate = this.#servable(candidate);
    // A store call cut off when the store's share of the deadline ran out is reported as such
    // (issue 4's "the deadline forces it"); a store error names its kind.
    let reason = 'store-failed';
    if (error instanceof StoreError) reason = `store-${error.kind}`;
    else if (request.deadline.storeSignal.aborted) reason = 'store-deadline';
    if (candidate) {
      emit({ type: 'stale-serve', remainingMs: candidate.expiresAt - clock(), reason });
      const pause =
        Math.ceil(leaseMs / 2) + jitteredDelayMs(0, { baseMs: leaseMs, capMs: leaseMs }, random);
      return { token: candidate, recheckAt: clock() + pause, fetched: false };
    }
    if (request.deadline.signal.aborted) throw error;
    emit({ type: 'deadline-fallback', reason });
    return this.#fetchWithoutLease(request);
  }

  #backoffOutcome(holder: LeaseRecord, candidate?: Token): TierResult | undefined {
    const now = this.context.clock();
    if (holder.backoffUntil === undefined || now >= holder.backoffUntil) return undefined;
    this.#remember(holder.backoffUntil, holder.reason);
    return this.#rememberedBackoff(candidate);
  }

  #holdingBudgetMs(): number {
    return Math.min(HOLDING_RETRY_BUDGET_MS, Math.floor(this.context.leaseMs / 4));
  }

  // When to look again after losing the lease: when the holder's lease ends. A holder already
  // gone (a create lost to throttling, a lease released meanwhile) gets a short random pause, so
  // the fleet's next invocations do not all go straight back to the store.
  #recheckAfter(holder: LeaseRecord): number {
    const { clock, random, leaseMs } = this.context;
    const now = clock();
    if (holder.leaseExpiresAt > now) return holder.leaseExpiresAt;
    return now + 1 + Math.floor(random() * Math.ceil(leaseMs / 2));
  }

  #remember(until: number, reason?: string): void {
    if (this.#backoff === undefined || until > this.#backoff.until) {
      this.#backoff = reason === undefined ? { until } : { until, reason };
    }
  }

  // Issue 4, part 3: during the fleet's back-off a store read can only find the marker again
  // and an endpoint call would be refused, so neither is made. A usable token is served
  // (guarantee 5); without one the call fails at once, naming the cause.
  #rememberedBackoff(candidate?: Token): TierResult | undefined {
    const backoff = this.#backoff;
    const { clock, random, leaseMs } = this.context;
    const now = clock();
    if (backoff === undefined || now >= backoff.until) return undefined;
    if (candidate) {
      const remainingMs = candidate.expiresAt - now;
      this.context.emit({ type: 'stale-serve', remainingMs, reason: 'endpoint-backoff' });
      // Spread the fleet's return over half a lease: everyone waking at the marker's exact end
      // would race to take it over (SSM has no compare-and-set to settle that race cheaply).
      const recheckAt = backoff.until + Math.floor(random() * Math.ceil(leaseMs / 2));
      return { token: candidate, recheckAt, fetched: false };
    }
    throw new TokenUnavailableError(
      `no usable token: the token endpoint asked the fleet to back off until ${new Date(backoff.until).toISOString()} (${backoff.reason ?? 'error'})`,
    );
  }

  async #write(
    token: Token,
    request: TierRequest,
    call: StoreCall,
    known?: TokenRead,
  ): Promise<Token> {
    try {
      return await writeToken(this.store, call, this.context, token, request.revoked, known);
    } catch (error) {
      if (error instanceof StoreError && error.kind === 'too-large' && !this.#disabled) {
        // Issue 2: warn once and carry on memory-only rather than fail every invocation.
        this.#disabled = true;
        this.context.emit({ type: 'store-disabled', reason: error.message });
      }
      return token;
    }
  }

  async #release(lease: HeldLease): Promise<void> {
    const released = await this.#leases.release(lease, this.#ownBudgetCall()).catch(() => false);
    if (released) this.context.emit({ type: 'lease-released' });
  }

  // Writing a fetched token, releasing and back-off marking may outlive the request's deadline:
  // a bounded budget of their own (by default half a lease, capped by the deadline), so neither
  // the token nor the lease is lost to a slow or throttled call.
  #ownBudgetCall(until?: number): StoreCall {
    const { clock, deadlineMs, leaseMs } = this.context;
    const now = clock();
    const end = Math.max(now, until ?? now + Math.min(leaseMs, deadlineMs) / 2);
    // The real-time guard outlasts the budget a little, so the last retry can complete.
    return storeCall(this.context, end, AbortSignal.timeout(Math.max(1_000, end - now + 1_000)));
  }

  #servable(token: Token | undefined, revoked?: string): Token | undefined {
    if (token === undefined || (revoked !== undefined && token.accessToken === revoked)) {
      return undefined;
    }
    return isUsable(token, this.context.clock(), this.context.policy) ? token : undefined;
  }
}

function revokedOf(request: TierRequest): { revoked?: string } {
  return request.revoked === undefined ? {} : { revoked: request.revoked };
}

// The result of `work` if it settles before `signal` fires, else `fallback` (work continues
// detached). Never throws: a failed `work` also yields `fallback`.
function withinDeadline<T>(work: Promise<T>, signal: AbortSignal, fallback: T): Promise<T> {
  const settled = work.then(
    (value) => value,
    () => fallback,
  );
  if (signal.aborted) return Promise.resolve(fallback);
  return Promise.race([
    settled,
    new Promise<T>((resolve) =>
      signal.addEventListener('abort', () => resolve(fallback), { once: true }),
    ),
  ]);
}
