/**
 * The working time of a lease holder, and its one renewal. A holder fetches and publishes only
 * within its lease less two clock skews and a write's latency. When its work runs long (a slow
 * endpoint, a store throttling its writes), it renews the lease once instead of giving the work
 * up: shortly before the working time ends, while the lease is certainly live in every clock
 * (so the renewal may step over losing claims), or, failing that, afterwards with a write that
 * counts only if nobody has claimed since. Either way there is never a second holder, and the
 * fleet's next holder does not fetch a token this one already has.
 */
import type { HeldLease, StoreCall } from '../../lease/strategy.js';
import { storeLatencyMs } from './budgets.js';
import type { Protocol, Run } from './run.js';

/** See the module comment. */
export class WorkingTime {
  #lease: HeldLease;
  #until: number;
  #call: StoreCall;
  #renewal: Promise<void> | undefined;
  readonly #stopTimer = new AbortController();

  constructor(
    private readonly p: Protocol,
    private readonly run: Run,
    lease: HeldLease,
  ) {
    this.#lease = lease;
    this.#until = run.budgets.workUntil(lease);
    this.#call = run.budgets.holderCall(this.#until);
    // The renewal is sent this long before the working time ends, so its throttled retries
    // still go out while the lease is live: a write's latency, at most a tenth of the lease.
    const { clock, leaseMs, sleep } = p.context;
    const lead = Math.min(storeLatencyMs(p.context), Math.floor(leaseMs / 10));
    sleep(Math.max(0, this.#until - lead - clock()), this.#stopTimer.signal).then(
      () => this.#renewOnce(),
      () => {}, // stopped: the work ended first
    );
  }

  /** The lease held now (renewed or not). */
  get lease(): HeldLease {
    return this.#lease;
  }

  /** When fetching and publishing must stop. */
  get until(): number {
    return this.#until;
  }

  /** The holder's store calls: throttling retried until the working time ends. */
  get call(): StoreCall {
    return this.#call;
  }

  /** Whether the holder may go on working: within its working time, renewed if need be. */
  async inTime(): Promise<boolean> {
    if (this.#renewal === undefined && this.p.context.clock() >= this.#until) this.#renewOnce();
    await this.#renewal;
    return this.p.context.clock() < this.#until;
  }

  /** Ends the work: no renewal after this; resolves the lease held once any renewal settled. */
  async end(): Promise<HeldLease> {
    this.#stopTimer.abort();
    await this.#renewal;
    return this.#lease;
  }

  #renewOnce(): void {
    if (this.#renewal !== undefined || this.#stopTimer.signal.aborted) return;
    const { p, run } = this;
    // Retried only within the working time: the holder waits for the renewal, and past the
    // working time a marker or a token could no longer be written on the old lease either.
    const call = run.budgets.holderCall(this.#until);
    this.#renewal = p.leases.renew(this.#lease, call).then(
      (renewed) => {
        if (renewed === undefined) return;
        this.#lease = renewed;
        this.#until = run.budgets.workUntil(renewed);
        this.#call = run.budgets.holderCall(this.#until);
        p.context.emit({ type: 'lease-renewed' });
      },
      () => {}, // the store would not say: work on the old lease's time
    );
  }
}
