import { describe, expect, it } from 'vitest';
import { StoreError } from '../src/errors.js';
import { decodeLease, LeaseClient, type StoreCall } from '../src/lease.js';
import { MemoryStore } from '../src/stores/memory-store.js';

const call: StoreCall = (_operation, _key, run) => run();

function clients(supportsCompareAndSet: boolean) {
  let now = 1_000_000;
  const store = new MemoryStore({ supportsCompareAndSet });
  const clock = () => now;
  const make = (owner: string) => new LeaseClient(store, owner, 15_000, clock);
  return { store, make, advance: (ms: number) => (now += ms), clock };
}

describe.each([
  ['a compare-and-set store', true],
  ['a store without compare-and-set (SSM)', false],
])('LeaseClient on %s', (_label, cas) => {
  it('lets exactly one of many concurrent containers acquire a free lease', async () => {
    const { make, store } = clients(cas);
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => make(`c${i}`).acquire(call)),
    );
    expect(attempts.filter((a) => a.acquired)).toHaveLength(1);
    const losers = attempts.filter((a) => !a.acquired);
    expect(losers.every((a) => !a.acquired && a.holder.owner === 'c0')).toBe(true);
    expect(decodeLease(store.peek('lease')?.value ?? '')?.leaseExpiresAt).toBe(1_015_000);
  });

  it('releases only its own lease, leaving none behind', async () => {
    const { make, store } = clients(cas);
    const a = await make('a').acquire(call);
    if (!a.acquired) throw new Error('expected a to hold the lease');
    await expect(make('a').release(a.lease, call)).resolves.toBe(true);
    expect(store.peek('lease')).toBeUndefined();
    await expect(make('a').release(a.lease, call)).resolves.toBe(false);
  });

  it('takes over a lease whose holder crashed, once it expires', async () => {
    const { make, store, advance } = clients(cas);
    await make('crashed').acquire(call);
    await expect(make('b').acquire(call)).resolves.toMatchObject({ acquired: false });
    advance(15_000);
    const takers = await Promise.all([make('b').acquire(call), make('c').acquire(call)]);
    expect(takers.filter((t) => t.acquired)).toHaveLength(1);
    expect(takers.find((t) => t.acquired)).toMatchObject({ takeover: true });
    expect(['b', 'c']).toContain(decodeLease(store.peek('lease')?.value ?? '')?.owner);
  });

  it('does not delete a lease that a slow holder lost to a taker', async () => {
    const { make, store, advance } = clients(cas);
    const slow = await make('slow').acquire(call);
    advance(15_001);
    const taker = await make('taker').acquire(call);
    expect(taker.acquired).toBe(true);
    if (slow.acquired) await expect(make('slow').release(slow.lease, call)).resolves.toBe(false);
    expect(decodeLease(store.peek('lease')?.value ?? '')?.owner).toBe('taker');
  });

  it('takes over an unparsable lease record', async () => {
    const { make, store } = clients(cas);
    store.seed('lease', 'garbage');
    await expect(make('a').acquire(call)).resolves.toMatchObject({
      acquired: true,
      takeover: true,
    });
  });

  it('turns the lease into a back-off marker that blocks others until it ends', async () => {
    const { make, advance } = clients(cas);
    const a = make('a');
    await a.acquire(call);
    await a.markBackoff(1_060_000, 'HTTP 429', call);
    await expect(make('b').acquire(call)).resolves.toMatchObject({
      acquired: false,
      holder: { backoffUntil: 1_060_000, reason: 'HTTP 429' },
    });
    advance(60_000);
    await expect(make('b').acquire(call)).resolves.toMatchObject({
      acquired: true,
      takeover: true,
    });
  });
});

describe('LeaseClient on a write-starved store (SSM: about 3 writes/s)', () => {
  it('reads first: a held lease costs one read and no write', async () => {
    const { store, make } = clients(false);
    await make('holder').acquire(call);
    const before = { ...store.calls };
    const attempt = await make('other').acquire(call);
    expect(attempt).toMatchObject({ acquired: false, holder: { owner: 'holder' } });
    expect((store.calls['get:lease'] ?? 0) - (before['get:lease'] ?? 0)).toBe(1);
    expect(store.calls['create:lease']).toBe(before['create:lease']);
    expect(store.calls['put:lease']).toBe(before['put:lease']);
    expect(store.calls['delete:lease']).toBe(before['delete:lease']);
  });

  it('answers a throttled create by reading who holds the lease, without retrying the write', async () => {
    let throttleCreates = true;
    const store = new MemoryStore({
      supportsCompareAndSet: false,
      beforeCall: (operation) => {
        if (operation === 'create' && throttleCreates) {
          throw new StoreError('throttled', 'PutParameter', 'ThrottlingException (test)');
        }
      },
    });
    const leases = new LeaseClient(store, 'c1', 15_000, () => 1_000_000);
    const writes: string[] = [];
    const writeOnce: StoreCall = (operation, _key, run) => {
      writes.push(operation);
      return run();
    };
    const attempt = await leases.acquire(call, writeOnce);
    expect(attempt.acquired).toBe(false);
    expect(writes).toEqual(['create']); // one try, not a retry loop
    throttleCreates = false;
    await expect(leases.acquire(call, writeOnce)).resolves.toMatchObject({ acquired: true });
  });
});
