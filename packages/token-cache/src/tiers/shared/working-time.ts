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
import { storeLatencyMs, toleratedSkewMs } from './budgets.js';
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
    // The renewal is sent a write's latency (at most a quarter lease) before the working time
    // ends, so that it goes out while the lease is live even from a container whose timers run
    // late under load, and its throttled retries have time: a live renewal needs no read, and
    // reads are what a fleet waiting for this holder's token is using up.
    const { clock, sleep } = p.context;
    const lead = storeLatencyMs(p.context);
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
    // While the lease is live, retried only within the working time: a renewal then may step
    // over losing claims, which is safe only while nobody else can hold the lease. A late
    // renewal writes only over our own exact record, which is safe at any time; it is retried
    // until the old lease ends in every clock, after which a successor has most likely claimed.
    const late = p.context.clock() >= this.#until;
    const lateUntil = this.#lease.record.leaseExpiresAt + 2 * toleratedSkewMs(p.context);
    const call = run.budgets.holderCall(late ? lateUntil : this.#until);
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
