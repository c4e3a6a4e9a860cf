/**
 * The refresh protocol's property test: random fleets, arrivals, store faults, endpoint faults,
 * a crashing lease holder and per-container clocks skewed within the tolerance, run in virtual
 * time against one shared in-process store that behaves like DynamoDB (compare-and-set) or like
 * SSM (unconditional writes numbered per key, per-call latency). Asserts: never an unusable
 * token served; at most one endpoint call per refresh generation, with or without a crashed
 * holder, while the store is not down; a crashed holder delays others by at most one lease; no
 * lease left behind; the stored expiry never regresses (no exemption); every call is bounded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenCache, type TokenCache } from '../src/cache.js';
import { decodeEnvelope } from '../src/envelope.js';
import { StoreError, TokenEndpointError } from '../src/errors.js';
import { isUsable } from '../src/freshness.js';
import { decodeLease } from '../src/lease/record.js';
import type { StoreKey, StorePutOptions } from '../src/store.js';
import { MemoryStore } from '../src/stores/memory-store.js';
import type { GetTokenOptions, Token, TokenSource } from '../src/token.js';
import { diesWith, IDENTITY, seededRandom, VirtualTime } from './cache.fakes.js';

const LIFETIME = 120_000;
const policy = { refreshWindowMs: 30_000, minRemainingMs: 5_000 };
const HORIZON = 400_000;
const MAX_POLL = 1_000;

type Window = { from: number; to: number };
const windowAt = (maxLength: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: HORIZON }), fc.integer({ min: 1, max: maxLength }))
    .map(([from, length]) => ({ from, to: from + length }));

const scenarioArb = fc.record({
  containers: fc.integer({ min: 2, max: 6 }),
  // Lease shorter than the deadline (takeover before fallback), or longer (production defaults).
  timing: fc.constantFrom(
    { lease: 2_000, deadline: 6_000 },
    { lease: 7_500, deadline: 5_000 },
    { lease: 15_000, deadline: 10_000 },
  ),
  // Each container's clock is off by up to the tolerated skew (±2 s with a 15-s lease).
  skews: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
  compareAndSet: fc.boolean(),
  seed: fc.integer(),
  // A healthy store, or a slow one whose calls eat the store share of the deadline.
  storeLatencyMs: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 500, max: 3_000 })),
  endpointLatencyMs: fc.integer({ min: 20, max: 500 }),
  // Single invocations and bursts (every container at once), anywhere in the horizon.
  arrivals: fc
    .array(
      fc.record({
        container: fc.nat(5),
        at: fc.integer({ min: 0, max: HORIZON }),
        burst: fc.boolean(),
      }),
      { minLength: 10, maxLength: 80 },
    )
    .map((list) =>
      list.flatMap((a) =>
        a.burst ? [0, 1, 2, 3, 4, 5].map((container) => ({ container, at: a.at })) : [a],
      ),
    ),
  // Throttling shorter than the store-wait budget: it must never cost an endpoint call.
  throttles: fc.array(windowAt(1_500), { maxLength: 4 }),
  // Store outages, total or flaky (a share of calls fail): flaky ones interleave lease holders
  // with containers that fall back to the endpoint, the case no-regression exists for.
  outages: fc.array(
    fc.record({ window: windowAt(20_000), failureRate: fc.constantFrom(0.3, 0.7, 1) }),
    { maxLength: 2 },
  ),
  endpointFaults: fc.array(
    fc.record({
      window: windowAt(40_000),
      status: fc.constantFrom(429, 503),
      retryAfter: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
  crash: fc.option(
    fc.record({ container: fc.nat(5), after: fc.integer({ min: 0, max: HORIZON }) }),
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
const inWindow = (w: Window, t: number) => t >= w.from && t < w.to;

/** A store that records every token write, to check for regressions. */
class RecordingStore extends MemoryStore {
  readonly writtenExpiries: number[] = [];
  constructor(
    options: ConstructorParameters<typeof MemoryStore>[0],
    private readonly clock: () => number,
  ) {
    super(options);
  }
  override async put(key: StoreKey, value: string, options?: StorePutOptions) {
    const written = await super.put(key, value, options);
    const decoded = decodeEnvelope(value, IDENTITY, Number.NEGATIVE_INFINITY, policy);
    if (written && key === 'token' && decoded.ok)
      this.writtenExpiries.push(decoded.token.expiresAt);
    void this.clock;
    return written;
  }
}

async function simulate(s: Scenario, trace?: string[]) {
  const time = new VirtualTime(0);
  const fetches: Array<{ startedAt: number; token: Token; forced: boolean }> = [];
  const forced = new Set<number>();
  const served: Array<{ at: number; token: Token; startedAt: number }> = [];
  const failures: Array<{ at: number; startedAt: number; error: unknown }> = [];
  let crashedLeaseAt: number | undefined;
  const dead = new Set<number>();
  let deathNotice: () => void = () => {};
  const died = new Promise<'dead'>((resolve) => {
    deathNotice = () => resolve('dead');
  });

  const flaky = seededRandom(s.seed ^ 0xfa11);
  const store = new RecordingStore(
    {
      supportsCompareAndSet: s.compareAndSet,
      beforeCall: async (operation, _key, signal) => {
        if (s.storeLatencyMs > 0) await time.sleep(s.storeLatencyMs, signal);
        const outage = s.outages.find((o) => inWindow(o.window, time.now));
        if (outage && flaky() < outage.failureRate) {
          throw new StoreError('unavailable', operation, 'store unavailable');
        }
        if (s.throttles.some((w) => inWindow(w, time.now))) {
          throw new StoreError('throttled', operation, 'Rate exceeded');
        }
      },
    },
    time.clock,
  );

  let issued = 0;
  const latency = seededRandom(s.seed ^ 0x5eed);
  const sourceFor = (container: number): TokenSource & { identity: typeof IDENTITY } => ({
    identity: IDENTITY,
    async getToken(options?: GetTokenOptions) {
      const startedAt = time.now;
      const wasForced = forced.delete(container);
      const crashes = s.crash && s.crash.container % s.containers === container;
      if (crashes && s.crash && startedAt >= s.crash.after && !dead.has(container)) {
        // The process dies holding the lease: this call never returns (nor aborts).
        dead.add(container);
        crashedLeaseAt = startedAt;
        deathNotice();
        return new Promise<Token>(() => {});
      }
      // Latency varies per call, so a call that started earlier can finish later.
      await time.sleep(20 + Math.floor(latency() * (s.endpointLatencyMs - 20)), options?.signal);
      const fault = s.endpointFaults.find((f) => inWindow(f.window, startedAt));
      if (fault) {
        throw new TokenEndpointError('ENDPOINT_ERROR', `HTTP ${fault.status}`, {
          status: fault.status,
          ...(fault.retryAfter ? { retryAt: fault.window.to } : {}),
        });
      }
      const token: Token = {
        accessToken: `t${++issued}`,
        expiresAt: time.now + LIFETIME,
        issuedAt: time.now,
        tokenType: 'Bearer',
        clientId: 'client-a',
      };
      fetches.push({ startedAt, token, forced: wasForced });
      return token;
    },
  });

  const random = seededRandom(s.seed);
  const toleranceMs = Math.min(2_000, Math.floor(s.timing.lease / 6));
  const clockOf = (i: number) => {
    const skew = Math.round((s.skews[i] ?? 0) * toleranceMs);
    return () => time.now + skew;
  };
  const caches: TokenCache[] = Array.from({ length: s.containers }, (_, i) =>
    createTokenCache({
      source: sourceFor(i),
      store: diesWith(store, () => dead.has(i)),
      ...policy,
      leaseMs: s.timing.lease,
      deadlineMs: s.timing.deadline,
      clock: clockOf(i),
      sleep: time.sleep,
      random,
      ownerId: `c${i}`,
      onEvent: (event) => {
        // The next endpoint call of this container is one the deadline forced (allowed extra).
        if (event.type === 'deadline-fallback') forced.add(i);
        trace?.push(`${time.now} c${i} ${JSON.stringify(event)}`);
      },
    }),
  );

  const invoke = async (container: number, at: number) => {
    await time.sleep(at);
    if (dead.has(container)) return;
    const startedAt = time.now;
    type Outcome = { token: Token } | { error: unknown } | 'dead';
    const call: Promise<Outcome> = (caches[container] as TokenCache).getToken().then(
      (token) => ({ token }),
      (error: unknown) => ({ error }),
    );
    // A container that crashed mid-call never answers: stop waiting for it.
    const deadOrCall = died.then((): Outcome | Promise<Outcome> =>
      dead.has(container) ? 'dead' : call,
    );
    const outcome = await Promise.race([call, deadOrCall]);
    if (outcome === 'dead') return;
    if ('token' in outcome) served.push({ at: time.now, token: outcome.token, startedAt });
    else failures.push({ at: time.now, startedAt, error: outcome.error });
  };
  await time.run(Promise.all(s.arrivals.map((a) => invoke(a.container % s.containers, a.at))));

  // Quiescence: after every fault window, one live container refreshes; no lease may remain.
  const lastFault = Math.max(
    0,
    ...s.throttles.map((w) => w.to),
    ...s.outages.map((o) => o.window.to),
    ...s.endpointFaults.map((f) => f.window.to),
  );
  time.now = Math.max(time.now, lastFault) + 2 * s.timing.lease + 60_000;
  // A container that never crashes (the crash may still be pending for its designated one).
  const crashing = s.crash ? s.crash.container % s.containers : -1;
  const live = caches.find((_, i) => i !== crashing) as TokenCache;
  // On a store too slow for the deadline the refresh may fail typed; that is asserted below.
  const final = await time.run(live.refresh({ force: true })).catch(() => ({ refreshed: false }));
  await time.drain();
  return { time, store, fetches, served, failures, crashedLeaseAt, final };
}

describe('fleet refresh protocol (property)', () => {
  it('holds its guarantees under random interleavings and faults', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const r = await simulate(s);
        const { lease: LEASE, deadline: DEADLINE } = s.timing;
        const crashed = r.crashedLeaseAt !== undefined;
        const storeDown = s.outages.length > 0;

        // 1. Never an unusable token served, by the serving container's own clock (at most the
        //    tolerated skew off: far less than the minimum remaining life).
        const skewMs = Math.min(2_000, Math.floor(LEASE / 6));
        for (const { at, token } of r.served) {
          expect(isUsable(token, at - skewMs, policy)).toBe(true);
        }

        // 2. Every call is bounded by the deadline.
        for (const { at, startedAt } of [...r.served, ...r.failures]) {
          expect(at - startedAt).toBeLessThanOrEqual(DEADLINE);
        }

        // 3. One endpoint call per refresh generation, crashed holder or not: a second fetch
        //    only once the previous token reached its refresh window. Lease-less calls happen
        //    only while the store is failing (an outage, or calls too slow for the deadline's
        //    store share: a timeout), never for throttling or a slow holder.
        const healthyStore = !storeDown && s.storeLatencyMs <= 40;
        if (healthyStore) expect(r.fetches.filter((f) => f.forced)).toEqual([]);
        // The holder's critical section (about six store calls and one endpoint call) must fit
        // in its lease less the skew margin; when the store is slower, a takeover is designed.
        const toleranceMs = Math.min(2_000, Math.floor(LEASE / 6));
        const latencyMs = Math.min(2_000, Math.floor(LEASE / 4));
        const leaseFits =
          6 * s.storeLatencyMs + s.endpointLatencyMs < LEASE - 2 * toleranceMs - latencyMs;
        // A store that throttles every write from the moment a holder's token arrives until its
        // working time ends leaves that token unpublishable, its renewal being a write too: the
        // next holder must fetch again. No other throttle may cost a second call.
        const workMs = LEASE - 2 * toleranceMs - latencyMs;
        const unpublishable = (fetch: { startedAt: number; token: Token }) =>
          s.throttles.some(
            (w) =>
              w.from <= (fetch.token.issuedAt ?? fetch.startedAt) &&
              w.to >= fetch.startedAt + workMs,
          );
        if (!storeDown && leaseFits) {
          const sorted = r.fetches
            .filter((f) => !f.forced)
            .sort((a, b) => a.startedAt - b.startedAt);
          for (let i = 1; i < sorted.length; i++) {
            const previous = sorted[i - 1] as (typeof sorted)[number];
            const current = sorted[i] as (typeof sorted)[number];
            if (current.startedAt >= r.time.now - 60_000 - 2 * LEASE) continue; // the final refresh
            if (unpublishable(previous)) continue;
            // By a clock running up to the skew ahead, the window opens that much earlier.
            expect(current.startedAt).toBeGreaterThanOrEqual(
              previous.token.expiresAt - policy.refreshWindowMs - skewMs,
            );
          }
        }

        // 4. A crashed holder delays the others by at most one lease (no other faults).
        // A store slower than the deadline's store share allows is not fault-free: a waiter then
        //    fails typed instead of calling the endpoint without the lease.
        const faultFree = healthyStore && s.throttles.length === 0 && s.endpointFaults.length === 0;
        if (crashed && faultFree) {
          // While the crashed holder's lease lasts, nobody else may call the endpoint: a call
          //    that finds no usable token then fails typed. After it, nothing fails.
          const leaseEnd = (r.crashedLeaseAt ?? 0) + LEASE + skewMs;
          expect(r.failures.filter((f) => f.startedAt >= leaseEnd)).toEqual([]);
          const bound = LEASE + MAX_POLL + 2 * s.endpointLatencyMs + 40 * s.storeLatencyMs;
          for (const { at, startedAt } of r.served)
            expect(at - startedAt).toBeLessThanOrEqual(bound);
        }
        if (!crashed && faultFree) expect(r.failures).toEqual([]);

        // 5. No lease left behind once the fleet is quiet and one refresh has run: none at all
        //    on a store fast enough for the protocol; on a very slow one (whose calls use up the
        //    store's share of the deadline) at most an expired record, which the next refresh
        //    takes over.
        const record = r.store.peek('lease');
        const lease = record === undefined ? undefined : decodeLease(record.value);
        if (healthyStore) {
          expect(r.final.refreshed).toBe(true);
          // Deleted (compare-and-set) or a release record (SSM keeps the lock parameter).
          if (lease && lease.released !== true) {
            expect(lease.leaseExpiresAt).toBeLessThanOrEqual(r.time.now);
          }
        } else if (lease && lease.released !== true) {
          // A holder too slow to release within its lease lets it lapse: at most one lease.
          expect(lease.leaseExpiresAt).toBeLessThanOrEqual(r.time.now + LEASE);
        }

        // 6. The stored expiry never regresses, on either store: only a lease holder writes,
        //    within its lease (on SSM that is what makes it the only writer).
        const expiries = r.store.writtenExpiries;
        for (let i = 1; i < expiries.length; i++) {
          expect(expiries[i]).toBeGreaterThanOrEqual(expiries[i - 1] as number);
        }
      }),
      // Modest by default (fast suite); PROPERTY_RUNS=5000 for a deeper search.
      // A fixed seed keeps CI deterministic; PROPERTY_SEED=random (or a number) explores.
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 150),
        timeout: 10_000,
        ...(process.env.PROPERTY_SEED === 'random'
          ? {}
          : { seed: Number(process.env.PROPERTY_SEED ?? 20261201) }),
      },
    );
  });
});
