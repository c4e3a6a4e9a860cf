/**
 * The fleet-wide refresh protocol (issue 4) with many cache instances ("containers") sharing
 * one in-process store, in virtual time.
 */
import { describe, expect, it } from 'vitest';
import { createTokenCache, type TokenCache, type TokenCacheOptions } from '../src/cache.js';
import { decodeEnvelope, encodeEnvelope } from '../src/envelope.js';
import { StoreError, StoreThrottledError, TokenUnavailableError } from '../src/errors.js';
import type { TokenCacheEvent } from '../src/events.js';
import { decodeLease, encodeLease, type LeaseRecord } from '../src/lease/record.js';
import { MemoryStore, type MemoryStoreOptions } from '../src/stores/memory-store.js';
import type { Token } from '../src/token.js';
import { CountingSource, diesWith, IDENTITY, seededRandom, VirtualTime } from './cache.fakes.js';

const HOUR = 3_600_000;
const WINDOW = 300_000;
const LEASE = 2_000;

function fleet(storeOptions: MemoryStoreOptions = {}, overrides: Partial<TokenCacheOptions> = {}) {
  const time = new VirtualTime();
  const source = new CountingSource(time, HOUR);
  const store = new MemoryStore(storeOptions);
  const events: TokenCacheEvent[] = [];
  const random = seededRandom(42);
  const containers = (n: number, dead: (container: number) => boolean = () => false) =>
    Array.from({ length: n }, (_, i) =>
      createTokenCache({
        source,
        store: diesWith(store, () => dead(i)),
        clock: time.clock,
        sleep: time.sleep,
        random,
        leaseMs: LEASE,
        ownerId: `c${i}`,
        onEvent: (event) => events.push(event),
        ...overrides,
      }),
    );
  const seedToken = (expiresInMs: number, accessToken = 'stored') => {
    const token: Token = { accessToken, expiresAt: time.now + expiresInMs, tokenType: 'Bearer' };
    store.seed('token', encodeEnvelope(token, IDENTITY));
    return token;
  };
  const stored = () => {
    const decoded = decodeEnvelope(store.peek('token')?.value ?? '', IDENTITY, time.now, {
      refreshWindowMs: WINDOW,
      minRemainingMs: 30_000,
    });
    return decoded.ok ? decoded.token : undefined;
  };
  return { time, source, store, events, containers, seedToken, stored };
}

// No lease left behind: absent (compare-and-set stores delete it) or a release record (SSM).
function leaseIsFree(store: MemoryStore): boolean {
  const record = store.peek('lease');
  return record === undefined || decodeLease(record.value)?.released === true;
}

function only(caches: TokenCache[]): TokenCache {
  return caches[0] as TokenCache;
}

describe.each([
  ['compare-and-set store', true],
  ['SSM-like store', false],
])('fleet refresh on a %s', (_label, supportsCompareAndSet) => {
  it('50 containers past every refresh point make exactly one endpoint call', async () => {
    const { time, source, store, containers, seedToken, stored } = fleet({ supportsCompareAndSet });
    const old = seedToken(30_000 + LEASE); // late in the refresh window, still usable
    source.behaviour = () => ({ kind: 'ok', latencyMs: 300 });
    const caches = containers(50);
    const served = await time.run(Promise.all(caches.map((c) => c.getToken())));
    expect(source.calls).toBe(1);
    // Nobody waited: everyone not refreshing kept serving the usable token.
    expect(served.filter((t) => t.accessToken === old.accessToken).length).toBeGreaterThanOrEqual(
      49,
    );
    expect(stored()?.accessToken).toBe('token-1');
    expect(leaseIsFree(store)).toBe(true);
    // Later calls pick the new token up from the store; still one endpoint call in all.
    time.advance(LEASE);
    const later = await time.run(Promise.all(caches.map((c) => c.getToken())));
    expect(new Set(later.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    expect(source.calls).toBe(1);
  });

  it('spreads the refresh over the window: one endpoint call, well before the token is unusable', async () => {
    const { time, source, containers, seedToken } = fleet({ supportsCompareAndSet });
    const old = seedToken(WINDOW + 1_000);
    const caches = containers(50);
    let refreshedAt: number | undefined;
    // Every container is invoked once every 5 s until the token would turn unusable.
    while (time.now < old.expiresAt - 30_000) {
      const served = await time.run(Promise.all(caches.map((c) => c.getToken())));
      if (refreshedAt === undefined && served.some((t) => t.accessToken === 'token-1')) {
        refreshedAt = time.now;
      }
      time.advance(5_000);
    }
    expect(source.calls).toBe(1);
    expect(refreshedAt).toBeDefined();
    // With 50 random refresh points, the earliest lands early in the window.
    expect((refreshedAt ?? Number.POSITIVE_INFINITY) - (old.expiresAt - WINDOW)).toBeLessThan(
      (WINDOW - 30_000) / 4,
    );
  });

  it('50 cold containers on an empty store make one endpoint call; the rest wait for its write', async () => {
    const { time, source, store, containers, events } = fleet({ supportsCompareAndSet });
    source.behaviour = () => ({ kind: 'ok', latencyMs: 400 });
    const served = await time.run(Promise.all(containers(50).map((c) => c.getToken())));
    expect(source.calls).toBe(1);
    expect(new Set(served.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    expect(events.filter((e) => e.type === 'deadline-fallback')).toHaveLength(0);
    expect(leaseIsFree(store)).toBe(true);
  });

  it('a crashed lease holder delays the others by at most one lease', async () => {
    const { time, source, store, containers, events } = fleet({ supportsCompareAndSet });
    // The first endpoint call never answers: its container holds the lease and "crashes".
    source.behaviour = (n) => (n === 1 ? { kind: 'hang' } : { kind: 'ok', latencyMs: 100 });
    const [crashed, ...others] = containers(11, (i) => i === 0 && source.calls > 0) as [
      TokenCache,
      ...TokenCache[],
    ];
    void crashed.getToken().catch(() => {});
    await new Promise((r) => setImmediate(r));
    const leaseAt = time.now;
    expect(decodeLease(store.peek('lease')?.value ?? '')?.owner).toBe('c0');
    const served = await time.run(Promise.all(others.map((c) => c.getToken())));
    expect(new Set(served.map((t) => t.accessToken))).toEqual(new Set(['token-2']));
    expect(source.calls).toBe(2); // the crashed call and exactly one takeover
    expect(time.now - leaseAt).toBeLessThanOrEqual(LEASE + 100 + 1_000);
    expect(events).toContainEqual({ type: 'lease-acquired', takeover: true });
    expect(events.filter((e) => e.type === 'deadline-fallback')).toHaveLength(0);
  });

  // The working time of a 2-s lease is 834 ms: the lease less two skews (333 ms each) and a
  // write's latency (500 ms). A holder that overruns it renews instead of keeping its token in
  // memory, so nobody takes over and fetches again. The renewal goes out a write's latency
  // before the working time ends (334 ms in), so the renewed working time ends 1,168 ms in.
  it('a holder whose fetch outlasts its working time renews the lease and publishes: one call', async () => {
    const { time, source, store, containers, events, stored } = fleet({ supportsCompareAndSet });
    source.behaviour = () => ({ kind: 'ok', latencyMs: 1_100 });
    const served = await time.run(Promise.all(containers(10).map((c) => c.getToken())));
    expect(source.calls).toBe(1);
    expect(new Set(served.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    expect(stored()?.accessToken).toBe('token-1');
    expect(events.filter((e) => e.type === 'lease-renewed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'lease-acquired')).toHaveLength(1);
    expect(leaseIsFree(store)).toBe(true);
  });

  it('a holder whose token write is throttled past its working time renews and publishes: one call', async () => {
    let started: number | undefined;
    const fleetParts = fleet({
      supportsCompareAndSet,
      beforeCall: (operation, key) => {
        // Every token write in the first 1.1 s of the run is throttled: past the working time
        // (834 ms), within the renewed one (1,168 ms).
        if (operation === 'put' && key === 'token' && time.now - (started ?? 0) < 1_100) {
          throw new StoreError('throttled', 'PutParameter', 'Rate exceeded');
        }
      },
    });
    const { time, source, store, containers, events, stored } = fleetParts;
    started = time.now;
    source.behaviour = () => ({ kind: 'ok', latencyMs: 100 });
    const served = await time.run(Promise.all(containers(10).map((c) => c.getToken())));
    expect(source.calls).toBe(1);
    expect(new Set(served.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    expect(stored()?.accessToken).toBe('token-1');
    expect(events.filter((e) => e.type === 'lease-renewed')).toHaveLength(1);
    expect(leaseIsFree(store)).toBe(true);
  });
});

describe('a released lease', () => {
  it('is claimed without a third token read: the read after the release shows its token', async () => {
    const { time, source, store, containers, seedToken } = fleet({ supportsCompareAndSet: false });
    seedToken(10_000); // unusable soon: a refresh is due
    const released = { v: 2, owner: 'old', leaseExpiresAt: time.now, released: true, basedOn: 0 };
    store.seed('lease', encodeLease(released as LeaseRecord));
    const [cache] = containers(1) as [TokenCache];
    await time.run(cache.getToken());
    expect(source.calls).toBe(1);
    // The first read, and one after finding the lease released; the holder trusts the second.
    expect(store.calls['get:token']).toBe(2);
  });
});

describe('a token write that may still land', () => {
  it('leaves the lease to lapse instead of releasing it: a release says the token was written', async () => {
    const { time, source, store, containers } = fleet({
      supportsCompareAndSet: false,
      // The token write fails without saying whether it landed (a 5xx, a reset connection).
      beforeCall: (operation, key) => {
        if (operation === 'put' && key === 'token') {
          throw new StoreError('unavailable', 'PutParameter', 'HTTP 503');
        }
      },
    });
    const [cache] = containers(1) as [TokenCache];
    await expect(time.run(cache.getToken())).resolves.toMatchObject({ accessToken: 'token-1' });
    expect(source.calls).toBe(1);
    expect(leaseIsFree(store)).toBe(false);
  });
});

describe('store throttling', () => {
  it('retries a throttled store instead of calling the endpoint', async () => {
    let calls = 0;
    const { time, source, containers, seedToken, events } = fleet({
      // Two of every three store calls are throttled.
      beforeCall: () => {
        if (calls++ % 3 !== 0) throw new StoreError('throttled', 'GetParameter', 'Rate exceeded');
      },
    });
    seedToken(HOUR);
    const served = await time.run(Promise.all(containers(30).map((c) => c.getToken())));
    expect(served.every((t) => t.accessToken === 'stored')).toBe(true);
    expect(source.calls).toBe(0);
    expect(events.some((e) => e.type === 'store-throttle')).toBe(true);
  });

  it('a store throttled for the whole deadline fails typed, without an endpoint call', async () => {
    const { time, source, containers, events } = fleet({
      beforeCall: () => {
        throw new StoreError('throttled', 'GetParameter', 'Rate exceeded');
      },
    });
    const cache = only(containers(1));
    const started = time.now;
    await expect(time.run(cache.getToken())).rejects.toThrow(StoreThrottledError);
    expect(source.calls).toBe(0);
    expect(events.filter((e) => e.type === 'deadline-fallback')).toHaveLength(0);
    expect(time.now - started).toBeLessThanOrEqual(10_000);
  });

  it('an overloaded store that throttles, then times out, is busy, not down: no endpoint call', async () => {
    let calls = 0;
    const { time, source, containers, events } = fleet({
      // The first call is throttled; every later one times out.
      beforeCall: () => {
        if (calls++ === 0) throw new StoreError('throttled', 'GetParameter', 'Rate exceeded');
        throw new StoreError('timeout', 'GetParameter', 'the request timed out');
      },
    });
    await expect(time.run(only(containers(1)).getToken())).rejects.toThrow(StoreThrottledError);
    expect(source.calls).toBe(0);
    expect(events.filter((e) => e.type === 'deadline-fallback')).toHaveLength(0);
  });

  it('followers of a holder ease off a throttled store instead of retrying every poll', async () => {
    let started = 0;
    let throttledReads = 0;
    const { time, source, containers } = fleet(
      {
        // While the holder fetches (4 s), the store throttles every token read after its own.
        beforeCall: (operation, key) => {
          const at = time.now - started;
          if (operation === 'get' && key === 'token' && at > 100 && at < 4_000) {
            throttledReads++;
            throw new StoreError('throttled', 'GetParameter', 'Rate exceeded');
          }
        },
      },
      { leaseMs: 15_000 },
    );
    started = time.now;
    source.behaviour = () => ({ kind: 'ok', latencyMs: 4_000 });
    const served = await time.run(Promise.all(containers(20).map((c) => c.getToken())));
    expect(source.calls).toBe(1);
    expect(new Set(served.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    // Each throttled poll doubles the follower's pause (up to 2 s): about 5 reads each in 4 s,
    // where retrying every throttled read (pauses of at most 500 ms) made about 19.
    expect(throttledReads).toBeLessThanOrEqual(19 * 8);
  });

  it("a follower's timeout after throttled polls means a busy store: no lease-less call", async () => {
    let started = 0;
    let timedOut = false;
    const { time, source, containers, events } = fleet(
      {
        // While the holder fetches (4 s), token reads after its own are throttled until 1 s in,
        // and then one times out (an overloaded store is slow before it is down).
        beforeCall: (operation, key) => {
          const at = time.now - started;
          if (operation !== 'get' || key !== 'token' || at <= 100) return;
          if (at < 1_000) throw new StoreError('throttled', 'GetParameter', 'Rate exceeded');
          if (!timedOut) {
            timedOut = true;
            throw new StoreError('timeout', 'GetParameter', 'the request timed out');
          }
        },
      },
      { leaseMs: 15_000 },
    );
    started = time.now;
    source.behaviour = () => ({ kind: 'ok', latencyMs: 4_000 });
    await time.run(Promise.all(containers(2).map((c) => c.getToken())));
    expect(timedOut).toBe(true);
    expect(events.filter((e) => e.type === 'deadline-fallback')).toHaveLength(0);
    expect(source.calls).toBe(1);
  });

  it('a store whose first answer is a timeout is taken for failing: one counted call each', async () => {
    const { time, source, containers, events } = fleet({
      beforeCall: () => {
        throw new StoreError('timeout', 'GetParameter', 'the request timed out');
      },
    });
    await time.run(only(containers(1)).getToken());
    expect(source.calls).toBe(1);
    expect(events.filter((e) => e.type === 'deadline-fallback')).toHaveLength(1);
  });

  it('a lock the role may not use still costs one token for the fleet, not one per cold start', async () => {
    const { time, source, containers, events, seedToken, stored } = fleet({
      // A policy that grants the token parameter and forgets its lock.
      beforeCall: (_operation, key) => {
        if (key === 'lease')
          throw new StoreError('access-denied', 'GetParameter', 'not authorized');
      },
    });
    seedToken(10_000); // no longer usable (30 s minimum remaining): every cold start must refresh
    for (const cache of containers(5)) await time.run(cache.getToken());
    expect(source.calls).toBe(1);
    expect(stored()?.accessToken).toBe('token-1');
    expect(events.filter((e) => e.type === 'deadline-fallback')).toHaveLength(1);
  });

  it('with throttleFallback, spends one counted endpoint call instead of failing', async () => {
    const { time, source, containers, events } = fleet(
      {
        beforeCall: () => {
          throw new StoreError('throttled', 'GetParameter', 'Rate exceeded');
        },
      },
      { throttleFallback: true },
    );
    const cache = only(containers(1));
    await expect(time.run(cache.getToken())).resolves.toMatchObject({ accessToken: 'token-1' });
    expect(source.calls).toBe(1);
    expect(events).toContainEqual({ type: 'deadline-fallback', reason: 'store-throttled' });
  });

  it('keeps serving a usable token when the store stays throttled', async () => {
    let throttled = false;
    const { time, source, containers } = fleet({
      beforeCall: () => {
        if (throttled) throw new StoreError('throttled', 'GetParameter', 'Rate exceeded');
      },
    });
    const cache = only(containers(1));
    const token = await time.run(cache.getToken());
    time.advance(HOUR - WINDOW + 1);
    throttled = true;
    await expect(time.run(cache.getToken())).resolves.toBe(token);
    expect(source.calls).toBe(1);
  });

  it('holding a usable token, spends only a few quick retries on a throttled store', async () => {
    let throttledCalls = 0;
    let throttled = false;
    // random ½: this container's refresh point is half-way through the spread (134 s in).
    const { time, source, containers, events } = fleet(
      {
        beforeCall: () => {
          if (!throttled) return;
          throttledCalls += 1;
          throw new StoreError('throttled', 'GetParameter', 'Rate exceeded');
        },
      },
      { random: () => 0.5 },
    );
    const cache = only(containers(1));
    const token = await time.run(cache.getToken());
    time.advance(HOUR - WINDOW + 134_001); // due for refresh, usable for minutes
    throttled = true;
    const started = time.now;
    await expect(time.run(cache.getToken())).resolves.toBe(token);
    // Not the store's share of the deadline (6.7 s of retries): half a second at most.
    expect(time.now - started).toBeLessThanOrEqual(500);
    expect(throttledCalls).toBeGreaterThan(0);
    expect(throttledCalls).toBeLessThanOrEqual(10);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'stale-serve', reason: 'store-throttled' }),
    );
    // Served from memory until the recheck: no further store call right away.
    const before = throttledCalls;
    await expect(time.run(cache.getToken())).resolves.toBe(token);
    expect(throttledCalls).toBe(before);
    expect(source.calls).toBe(1);
  });
});

describe('a token the API refuses', () => {
  it('is marked fleet-wide even when the first lock write is throttled (read again, claim once)', async () => {
    let throttledWrites = 0;
    const { time, store, containers } = fleet({
      beforeCall: (operation, key) => {
        if (
          (operation === 'put' || operation === 'create') &&
          key === 'lease' &&
          throttledWrites < 2
        ) {
          throttledWrites++;
          throw new StoreError('throttled', 'PutParameter', 'Rate exceeded');
        }
      },
    });
    const [reporter] = containers(1) as [TokenCache];
    await time.run(reporter.reportRefused('refused-token'));
    expect(throttledWrites).toBe(2);
    const marker = decodeLease(store.peek('lease')?.value ?? '');
    expect(marker?.reason).toBe('api-refused');
    expect(marker?.backoffUntil).toBeGreaterThan(time.now);
    // Three reads and three sends: every claim went out right after its own read.
    expect(store.calls['get:lease']).toBe(3);
  });
});

describe('endpoint back-off', () => {
  it('a 429 becomes a fleet-wide back-off marker: others serve the usable token and do not call', async () => {
    const { time, source, store, containers, seedToken, events } = fleet({}, { random: () => 0 });
    const old = seedToken(150_000); // in the refresh window, usable for two more minutes
    const retryAt = time.now + 60_000;
    source.behaviour = (n) => (n === 1 ? { kind: 'fail', status: 429, retryAt } : { kind: 'ok' });
    const [first, ...rest] = containers(20) as [TokenCache, ...TokenCache[]];
    await expect(time.run(first.getToken())).resolves.toMatchObject({ accessToken: 'stored' });
    expect(decodeLease(store.peek('lease')?.value ?? '')).toMatchObject({ backoffUntil: retryAt });
    const served = await time.run(Promise.all(rest.map((c) => c.getToken())));
    expect(served.every((t) => t.accessToken === old.accessToken)).toBe(true);
    expect(source.calls).toBe(1);
    expect(events.some((e) => e.type === 'stale-serve' && e.reason === 'endpoint-backoff')).toBe(
      true,
    );
    // After the back-off, one container takes the marker over and refreshes.
    time.advance(60_000);
    const after = await time.run(Promise.all(rest.map((c) => c.getToken())));
    expect(after.some((t) => t.accessToken === 'token-2')).toBe(true);
    expect(source.calls).toBe(2);
    expect(leaseIsFree(store)).toBe(true);
  });

  it('without a usable token anywhere, fails fast naming the back-off, not the token', async () => {
    const { time, source, containers } = fleet();
    const retryAt = time.now + 60_000;
    source.behaviour = () => ({ kind: 'fail', status: 429, retryAt });
    const [first, second] = containers(2) as [TokenCache, TokenCache];
    await expect(time.run(first.getToken())).rejects.toThrow(TokenUnavailableError);
    const error = await time.run(second.getToken()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TokenUnavailableError);
    expect((error as Error).message).toMatch(/backed off.*HTTP 429/);
    expect(source.calls).toBe(1);
  });
});
