/**
 * The lease strategies, one function at a time, on the in-process store (compare-and-set, or
 * SSM-like: unconditional writes numbered per key). The end-to-end cases on real SSM are in
 * `e2e/bounds.test.ts`; the interleavings in `property.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../src/errors.js';
import { decodeLease } from '../src/lease/record.js';
import { type LeaseStrategy, leaseStrategyFor, type StoreCall } from '../src/lease/strategy.js';
import type { LeaseView } from '../src/lease/view.js';
import type { SharedStore } from '../src/store.js';
import { MemoryStore } from '../src/stores/memory-store.js';

const call: StoreCall = (_operation, _key, run) => run();
const LEASE = 15_000;

function clients(supportsCompareAndSet: boolean) {
  let now = 1_000_000;
  const store = new MemoryStore({ supportsCompareAndSet });
  const clock = () => now;
  // `via`: the same store seen through a faulty connection.
  const make = (owner: string, via: SharedStore = store): LeaseStrategy =>
    leaseStrategyFor(via, {
      owner,
      clock,
      leaseMs: LEASE,
      maxBackoffMs: 300_000,
      maxClockSkewMs: 2_000,
      maxStoreLatencyMs: 2_000,
    });
  return { store, make, advance: (ms: number) => (now += ms), clock };
}

/**
 * `store` as a container whose lease writes land and then time out on their way back; with
 * `failedReads`, the given reads (0-based, counting every read) time out as well.
 */
function answersLost(store: MemoryStore, failedReads: readonly number[] = []): SharedStore {
  let reads = 0;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (property === 'get') {
        return async (...args: unknown[]) => {
          if (failedReads.includes(reads++)) throw new StoreError('timeout', 'get', 'no answer');
          return method.apply(target, args);
        };
      }
      if (!['create', 'put', 'overwrite'].includes(String(property))) return method.bind(target);
      return async (...args: unknown[]) => {
        await method.apply(target, args);
        throw new StoreError('timeout', String(property), 'the answer never came');
      };
    },
  });
}

/** `store` as a container whose calls of `methods` are answered `ms` late (the clock moves on). */
function answeredLate(
  store: MemoryStore,
  methods: readonly string[],
  advance: (ms: number) => void,
  ms: number,
): SharedStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (!methods.includes(String(property))) return method.bind(target);
      return async (...args: unknown[]) => {
        const result = await method.apply(target, args);
        advance(ms);
        return result;
      };
    },
  });
}

const BASE = 1_000_000;
/** Containers whose clocks are each off by their own skew from a true time the test sets. */
function skewedWorld() {
  let t = BASE; // true time; each container's clock is t + its skew (within the 2 s tolerated)
  const store = new MemoryStore({ supportsCompareAndSet: false });
  const make = (owner: string, skew: number) =>
    leaseStrategyFor(store, {
      owner,
      clock: () => t + skew,
      leaseMs: LEASE,
      maxBackoffMs: 300_000,
      maxClockSkewMs: 2_000,
      maxStoreLatencyMs: 2_000,
    });
  const at = (ms: number) => {
    t = BASE + ms;
  };
  return { store, make, at };
}

/** A call whose first put goes out only after `meanwhile` (throttled retries, or a freeze). */
function firstPutLate(meanwhile: () => Promise<void>): StoreCall {
  let done = false;
  return async (op, _k, run) => {
    if (op === 'put' && !done) {
      done = true;
      await meanwhile();
    }
    return run();
  };
}

async function readAndClaim(leases: LeaseStrategy) {
  const view = await leases.read(call);
  if (view.kind !== 'free') return { won: false as const, view };
  return leases.claim(view, call);
}

const held = (view: LeaseView) => view.kind === 'held';

describe.each([
  ['a compare-and-set store', true],
  ['a store without compare-and-set (SSM)', false],
])('lease on %s', (_label, cas) => {
  it('lets exactly one of many containers that read the same free lease win it', async () => {
    const { make } = clients(cas);
    const fleet = Array.from({ length: 20 }, (_, i) => make(`c${i}`));
    const views = await Promise.all(fleet.map((l) => l.read(call)));
    const claims = await Promise.all(fleet.map((l, i) => l.claim(views[i] as LeaseView, call)));
    expect(claims.filter((c) => c.won)).toHaveLength(1);
    // Every loser now sees the lease held, whoever wrote last.
    for (const l of fleet) expect(held(await l.read(call))).toBe(true);
  });

  it('releases its own lease, so the next reader finds it free', async () => {
    const { make } = clients(cas);
    const a = await readAndClaim(make('a'));
    if (!a.won) throw new Error('expected a to win');
    await expect(make('a').release(a.lease, call)).resolves.toBe(true);
    await expect(make('b').read(call)).resolves.toMatchObject({
      kind: 'free',
      why: expect.stringMatching(/absent|released/),
    });
  });

  it('takes over a lease whose holder crashed once it expires, with exactly one taker', async () => {
    const { make, advance } = clients(cas);
    await readAndClaim(make('crashed'));
    await expect(make('b').read(call)).resolves.toMatchObject({ kind: 'held' });
    advance(LEASE);
    const takers = [make('b'), make('c')];
    const views = await Promise.all(takers.map((l) => l.read(call)));
    expect(views.every((v) => v.kind === 'free' && v.why === 'expired')).toBe(true);
    const claims = await Promise.all(takers.map((l, i) => l.claim(views[i] as LeaseView, call)));
    expect(claims.filter((c) => c.won)).toHaveLength(1);
  });

  it('never frees a lease that a slow holder lost to a taker', async () => {
    const { make, store, advance } = clients(cas);
    const slow = await readAndClaim(make('slow'));
    advance(LEASE + 1);
    const taker = await readAndClaim(make('taker'));
    expect(taker.won).toBe(true);
    if (slow.won) await expect(make('slow').release(slow.lease, call)).resolves.toBe(false);
    await expect(make('other').read(call)).resolves.toMatchObject({ kind: 'held' });
    expect(store.peek('lease')).toBeDefined();
  });

  it('takes over an unparsable record, and one naming an instant beyond its bounds', async () => {
    const { make, store, clock } = clients(cas);
    store.seed('lease', 'garbage');
    await expect(make('a').read(call)).resolves.toMatchObject({ kind: 'free', why: 'corrupt' });
    const hostile = { v: 1, owner: 'x', leaseExpiresAt: clock() + 10 * LEASE };
    store.seed('lease', JSON.stringify(hostile));
    await expect(make('a').read(call)).resolves.toMatchObject({
      kind: 'free',
      why: 'out-of-bounds',
    });
    const forever = {
      ...hostile,
      leaseExpiresAt: 99_999_999_999_000,
      backoffUntil: 99_999_999_999_000,
    };
    store.seed('lease', JSON.stringify(forever));
    await expect(make('a').read(call)).resolves.toMatchObject({
      kind: 'free',
      why: 'out-of-bounds',
    });
    await expect(readAndClaim(make('a'))).resolves.toMatchObject({ won: true });
  });

  it('renews a lease after it has ended when nobody has claimed since, and not after a taker', async () => {
    const { make, advance, clock, store } = clients(cas);
    const slow = make('slow');
    const first = await readAndClaim(slow);
    if (!first.won) throw new Error('expected slow to win');
    advance(LEASE + 1);
    // Nobody wrote since: the renewal counts, and the lease is held again for a whole lease.
    const renewed = await slow.renew(first.lease, call);
    expect(renewed?.record.leaseExpiresAt).toBe(clock() + LEASE);
    await expect(make('b').read(call)).resolves.toMatchObject({ kind: 'held' });
    // Once a taker has claimed the expired renewal, the old holder's renewal does not count.
    advance(LEASE + 1);
    const taker = await readAndClaim(make('taker'));
    expect(taker.won).toBe(true);
    const before = store.peek('lease');
    await expect(slow.renew(renewed as NonNullable<typeof renewed>, call)).resolves.toBeUndefined();
    // Nothing was written: a late record that does not count would hide the taker's lease.
    expect(store.peek('lease')).toEqual(before);
    const view = await make('c').read(call);
    expect(view.kind).toBe('held');
    if (view.kind === 'held' && view.holder) expect(view.holder.owner).toBe('taker');
  });

  it('times a late renewal from its write, not from the read before it', async () => {
    const { make, advance, clock, store } = clients(cas);
    const first = await readAndClaim(make('slow'));
    if (!first.won) throw new Error('expected slow to win');
    advance(LEASE + 1);
    // The renewal's read of the lease is answered 1.5 s late: the new lease starts after it.
    const renewed = await make('slow', answeredLate(store, ['get'], advance, 1_500)).renew(
      first.lease,
      call,
    );
    expect(renewed?.record.leaseExpiresAt).toBe(clock() + LEASE);
  });

  it('takes back its own claim that landed unconfirmed, which others see as held', async () => {
    const { store, make } = clients(cas);
    // Lease writes land, then time out; the read that would confirm the claim (the second)
    // fails too.
    const leases = make('a', answersLost(store, [1]));
    await expect(readAndClaim(leases)).rejects.toThrow(StoreError);
    // Others follow the claim; its maker knows nobody works under it.
    await expect(make('b').read(call)).resolves.toMatchObject({ kind: 'held' });
    await expect(leases.read(call)).resolves.toMatchObject({ kind: 'free', why: 'orphaned' });
  });

  it('knows a claim won whose write landed but timed out on its way back', async () => {
    const { store, make } = clients(cas);
    const leases = make('a', answersLost(store));
    const claim = await readAndClaim(leases);
    expect(claim.won).toBe(true);
    const view = await make('b').read(call);
    expect(view.kind === 'held' && view.holder?.owner).toBe('a');
  });

  it('turns the lease into a back-off marker that holds others off until it ends', async () => {
    const { make, advance } = clients(cas);
    const a = await readAndClaim(make('a'));
    if (!a.won) throw new Error('expected a to win');
    await expect(
      make('a').markBackoff(a.lease, 1_060_000, 'HTTP 429', call),
    ).resolves.toBeDefined();
    await expect(make('b').read(call)).resolves.toMatchObject({
      kind: 'backoff',
      until: 1_060_000,
      reason: 'HTTP 429',
    });
    advance(60_000);
    await expect(readAndClaim(make('b'))).resolves.toMatchObject({ won: true });
  });
});

describe('versioned claims (SSM)', () => {
  it('a held lease costs its contenders one read and no write', async () => {
    const { store, make } = clients(false);
    await readAndClaim(make('holder'));
    const before = { ...store.calls };
    await expect(make('other').read(call)).resolves.toMatchObject({
      kind: 'held',
      holder: { owner: 'holder' },
    });
    expect((store.calls['get:lease'] ?? 0) - (before['get:lease'] ?? 0)).toBe(1);
    expect(store.calls['put:lease']).toBe(before['put:lease']);
  });

  it('never deletes the lock: a release is a record, so versions keep counting', async () => {
    const { store, make } = clients(false);
    const a = await readAndClaim(make('a'));
    if (!a.won) throw new Error('expected a to win');
    await make('a').release(a.lease, call);
    expect(store.calls['delete:lease']).toBeUndefined();
    expect(decodeLease(store.peek('lease')?.value ?? '')).toMatchObject({
      released: true,
      basedOn: 1,
    });
    expect(store.peek('lease')?.version).toBe(2);
  });

  it('a losing claim hides the holder for one lease, and the holder re-bases its marker over it', async () => {
    const { store, make, advance } = clients(false);
    const [a, b] = [make('a'), make('b')];
    const [va, vb] = await Promise.all([a.read(call), b.read(call)]);
    const won = await a.claim(va, call);
    const lost = await b.claim(vb, call); // lands on top of a's claim
    expect(won.won && !lost.won).toBe(true);
    // Readers cannot see who holds it: held by someone, for one lease (plus the skew).
    await expect(make('c').read(call)).resolves.toMatchObject({ kind: 'held', holder: undefined });
    if (!won.won) return;
    const marked = await a.markBackoff(won.lease, 1_060_000, 'HTTP 401', call);
    expect(marked).toBeDefined();
    await expect(make('c').read(call)).resolves.toMatchObject({
      kind: 'backoff',
      reason: 'HTTP 401',
    });
    expect(store.peek('lease')?.version).toBe(4); // claim, losing claim, hidden marker, re-based marker
    advance(60_000);
    await expect(make('c').read(call)).resolves.toMatchObject({ kind: 'free' });
  });

  it('a holder whose renewal landed late behind a losing claim re-bases over its own record', async () => {
    const { store, make, advance, clock } = clients(false);
    const [a, b] = [make('a'), make('b')];
    const [va, vb] = await Promise.all([a.read(call), b.read(call)]);
    const won = await a.claim(va, call);
    await b.claim(vb, call); // a losing claim lands on top of a's
    if (!won.won) throw new Error('expected a to win');
    // Just inside the working time (the lease less two skews and a write: 9 s), a renews; the
    // answer comes 1 s late, past the lease's working time. The renewal did not count (the
    // losing claim came between), but it hides the holder itself for a lease from its sending,
    // so a may write on top of it: nobody can have claimed over it yet.
    advance(8_500);
    const renewed = await make('a', answeredLate(store, ['overwrite'], advance, 1_000)).renew(
      won.lease,
      call,
    );
    expect(renewed?.version).toBe(4); // claim, losing claim, hidden renewal, re-based renewal
    expect(renewed?.record.leaseExpiresAt).toBe(clock() - 1_000 + LEASE);
    const view = await make('c').read(call);
    expect(view.kind === 'held' && view.holder?.owner).toBe('a');
  });

  it('a holder past its lease does not re-base: its late write cannot free a successor', async () => {
    const { make, advance } = clients(false);
    const slow = await readAndClaim(make('slow'));
    if (!slow.won) throw new Error('expected slow to win');
    advance(LEASE + 1);
    const taker = await readAndClaim(make('taker'));
    expect(taker.won).toBe(true);
    await expect(make('slow').release(slow.lease, call)).resolves.toBe(false);
    // The late release hides the taker, so readers keep treating the lease as held.
    await expect(make('other').read(call)).resolves.toMatchObject({ kind: 'held' });
  });
});

describe('versioned claims (SSM) with skewed clocks and late sends', () => {
  it('a renewal whose throttled retry would go out after the working time is not sent: no second holder', async () => {
    const { make, at } = skewedWorld();
    const h = make('H', -2_000); // H's clock 2 s behind, S's 2 s ahead
    const s = make('S', +2_000);
    at(2_000); // H clock 0
    const claim = await h.claim(await h.read(call), call);
    if (!claim.won) throw new Error('H should win');
    at(9_000); // H clock 7000: the renewal timer (working time 9000 less a write's latency)
    let sWon = false;
    const renewed = await h.renew(
      claim.lease,
      firstPutLate(async () => {
        // retries until H clock 9000; the last pause's timer fires 1.4 s late (< 2*400+1000,
        // not "frozen"), so the retry goes out at H clock 10000 and lands 1.5 s later.
        at(13_000); // S clock 15000: H's lease has expired for S
        sWon = (await s.claim(await s.read(call), call)).won;
        at(13_500);
      }),
    );
    expect(sWon).toBe(true);
    // Sent, the renewal would count (version 4, over S's counting claim at 2): two holders.
    expect(renewed).toBeUndefined();
  });

  it('a late renewal is not sent long after its read: it cannot hide a successor for less than its lease', async () => {
    const { make, at } = skewedWorld();
    const h = make('H', -2_000);
    const s = make('S', 0);
    const t = make('T', +2_000);
    at(2_000);
    const claim = await h.claim(await h.read(call), call);
    if (!claim.won) throw new Error('H should win');
    at(11_100); // H clock 9100: thawed past its working time (9000): the late path, retried to 19000
    let sEnds = 0;
    await h.renew(
      claim.lease,
      firstPutLate(async () => {
        at(21_500);
        const won = await s.claim(await s.read(call), call);
        if (!won.won) throw new Error('S should win');
        sEnds = won.lease.record.leaseExpiresAt; // S's clock = true time
        at(21_800); // H's retry (sent at H clock 18900) lands, not counting
      }),
    );
    at(22_000);
    await t.read(call); // T first sees H's non-counting record
    at(28_100); // true 28100 = T clock 30100
    const view = await t.read(call);
    // S works until sEnds - 6000 = true 30500; T must not find the lease free at 28100.
    expect(view.kind).toBe('held');
    expect(sEnds - BASE).toBe(36_500);
  });

  it("a late renewal is not sent long after its read: it cannot hide a successor's back-off marker", async () => {
    const { make, at } = skewedWorld();
    const h = make('H', 0);
    const s = make('S', 0);
    const x = make('X', 0);
    at(0);
    const claim = await h.claim(await h.read(call), call);
    if (!claim.won) throw new Error('H should win');
    at(9_200);
    await h.renew(
      claim.lease,
      firstPutLate(async () => {
        at(15_100);
        const won = await s.claim(await s.read(call), call);
        if (!won.won) throw new Error('S should win');
        at(15_500);
        await s.markBackoff(won.lease, BASE + 75_500, 'HTTP 400 invalid_client', call);
        at(17_000);
      }),
    );
    at(30_300);
    // The marker runs until 75.5 s: X must not see the lease free (expired) and claim.
    expect((await x.read(call)).kind).toBe('backoff');
  });
});

describe('versioned claims (SSM): sends too long after their read', () => {
  it('a late renewal whose read was answered later than a write can take sends nothing', async () => {
    const { make, advance, store } = clients(false);
    const first = await readAndClaim(make('slow'));
    if (!first.won) throw new Error('expected slow to win');
    advance(LEASE + 1);
    const before = store.peek('lease');
    // Answered 3 s after it was sent, longer than a write may take (2 s): whatever was written
    // meanwhile could be hidden by a write sent now.
    const late = make('slow', answeredLate(store, ['get'], advance, 3_000));
    await expect(late.renew(first.lease, call)).resolves.toBeUndefined();
    expect(store.peek('lease')).toEqual(before);
  });

  it('a claim not sent within a write latency of its read is refused as a throttle, unsent', async () => {
    const { make, advance, store } = clients(false);
    const leases = make('a');
    const view = await leases.read(call);
    advance(2_500); // the container stalled between its read and its claim
    await expect(leases.claim(view, call)).rejects.toMatchObject({ kind: 'throttled' });
    expect(store.peek('lease')).toBeUndefined();
  });
});

describe('compare-and-set leases', () => {
  it('a release that loses to a write since its read says it freed nothing', async () => {
    let intrude = false;
    const store = new MemoryStore({
      supportsCompareAndSet: true,
      // Between the release's read and its delete, another container writes the lease.
      beforeCall: (operation, key) => {
        if (intrude && operation === 'delete' && key === 'lease') store.seed('lease', 'theirs');
      },
    });
    const identity = {
      clock: () => 1_000_000,
      leaseMs: LEASE,
      maxBackoffMs: 300_000,
      maxClockSkewMs: 2_000,
      maxStoreLatencyMs: 2_000,
    };
    const ours = leaseStrategyFor(store, { ...identity, owner: 'a' });
    const claim = await readAndClaim(ours);
    if (!claim.won) throw new Error('expected a to win');
    intrude = true;
    await expect(ours.release(claim.lease, call)).resolves.toBe(false);
    expect(store.peek('lease')?.value).toBe('theirs');
  });
});

describe('lease records from other containers', () => {
  it('repeat a reason only when it is shaped like one we write', () => {
    const record = (reason: string) =>
      decodeLease(JSON.stringify({ v: 2, owner: 'x', leaseExpiresAt: 1, backoffUntil: 1, reason }));
    expect(record('HTTP 429 slow_down')?.reason).toBe('HTTP 429 slow_down');
    expect(record('store throttled (put)')?.reason).toBe('store throttled (put)');
    for (const hostile of ['eyJhbGciOi"x"}\nBearer abc', '<script>', 'x'.repeat(101), '']) {
      expect(record(hostile)?.reason).toBe('unreadable reason');
    }
  });
});
