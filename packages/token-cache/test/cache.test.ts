import { describe, expect, it } from 'vitest';
import { createTokenCache, type TokenCacheOptions } from '../src/cache.js';
import { decodeEnvelope, encodeEnvelope, PLACEHOLDER_VALUE } from '../src/envelope.js';
import { ConfigError, StoreError, TokenUnavailableError } from '../src/errors.js';
import type { TokenCacheEvent } from '../src/events.js';
import { MemoryStore } from '../src/stores/memory-store.js';
import { CountingSource, IDENTITY, VirtualTime } from './cache.fakes.js';

const HOUR = 3_600_000;
const policy = { refreshWindowMs: 300_000, minRemainingMs: 30_000 };

function setup(
  overrides: Partial<TokenCacheOptions> = {},
  store: MemoryStore | null = new MemoryStore(),
) {
  const time = new VirtualTime();
  const source = new CountingSource(time, HOUR);
  const events: TokenCacheEvent[] = [];
  const make = (extra: Partial<TokenCacheOptions> = {}) =>
    createTokenCache({
      source,
      ...(store ? { store } : {}),
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
      onEvent: (event) => events.push(event),
      ...overrides,
      ...extra,
    });
  return { time, source, store: store as MemoryStore, events, cache: make(), make };
}

const storedToken = (store: MemoryStore, now: number) => {
  const record = store.peek('token');
  const decoded = record && decodeEnvelope(record.value, IDENTITY, now, policy);
  return decoded?.ok ? decoded.token : undefined;
};

describe('the seed’s three behaviours', () => {
  it('fetches on the first call, reuses on the second, fetches anew after clear()', async () => {
    const { cache, source, store, time } = setup();
    const first = await time.run(cache.getToken());
    const second = await time.run(cache.getToken());
    expect(second).toBe(first);
    expect(source.calls).toBe(1);
    await time.run(cache.clear());
    expect(store.peek('token')?.value).toBe(PLACEHOLDER_VALUE);
    const third = await time.run(cache.getToken());
    expect(third.accessToken).not.toBe(first.accessToken);
    expect(source.calls).toBe(2);
  });
});

describe('memory tier', () => {
  it('serves a fresh token from memory without touching the store', async () => {
    const { cache, store, time } = setup();
    await time.run(cache.getToken());
    const callsAfterFirst = { ...store.calls };
    for (let i = 0; i < 10; i++) await cache.getToken();
    expect(store.calls).toEqual(callsAfterFirst);
  });

  it.each([
    ['memory only', null],
    ['with a shared store', new MemoryStore()],
  ])('shares one endpoint call among 100 concurrent callers (%s)', async (_label, store) => {
    const { cache, source, time } = setup({}, store);
    source.behaviour = () => ({ kind: 'ok', latencyMs: 100 });
    const tokens = await time.run(Promise.all(Array.from({ length: 100 }, () => cache.getToken())));
    expect(source.calls).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it('hands the usable token to other callers while one refresh runs (passive refresh)', async () => {
    const { cache, source, time } = setup();
    const old = await time.run(cache.getToken());
    time.advance(HOUR - policy.refreshWindowMs); // into the refresh window
    source.behaviour = () => ({ kind: 'ok', latencyMs: 500 });
    const refreshing = cache.getToken();
    let passive: string | undefined;
    void cache.getToken().then((t) => (passive = t.accessToken));
    await new Promise((r) => setImmediate(r));
    expect(passive).toBe(old.accessToken); // answered before the refresh finished
    const fresh = await time.run(refreshing);
    expect(fresh.accessToken).not.toBe(old.accessToken);
    expect(source.calls).toBe(2);
  });

  it('refreshes a short-lived token in the second half of its life, not on every call', async () => {
    const { time } = setup({}, null);
    const source = new CountingSource(time, 120_000); // shorter than the 5-minute window
    const cache = createTokenCache({
      source,
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
    });
    await time.run(cache.getToken());
    time.advance(59_000);
    for (let i = 0; i < 5; i++) await time.run(cache.getToken());
    expect(source.calls).toBe(1);
    time.advance(1_000); // half its life: due
    await time.run(cache.getToken());
    expect(source.calls).toBe(2);
  });

  it('never caches a failure', async () => {
    const { cache, source, time } = setup();
    source.behaviour = (n) => (n === 1 ? { kind: 'fail', status: 401 } : { kind: 'ok' });
    await expect(time.run(cache.getToken())).rejects.toThrow(TokenUnavailableError);
    // Refused credentials back off (no call per invocation), but the failure is not cached.
    await expect(time.run(cache.getToken())).rejects.toThrow(/backed off/);
    expect(source.calls).toBe(1);
    time.advance(60_000);
    await expect(time.run(cache.getToken())).resolves.toMatchObject({ accessToken: 'token-2' });
  });
});

describe('shared tier', () => {
  it('costs exactly one store read on a cold start when the store holds a fresh token', async () => {
    const { make, source, store, time } = setup();
    const token = {
      accessToken: 'stored',
      expiresAt: time.now + HOUR,
      tokenType: 'Bearer' as const,
    };
    store.seed('token', encodeEnvelope(token, IDENTITY));
    const cold = make();
    await expect(time.run(cold.getToken())).resolves.toMatchObject({ accessToken: 'stored' });
    expect(store.calls).toEqual({ 'get:token': 1 });
    expect(source.calls).toBe(0);
  });

  it.each([
    ['the placeholder', PLACEHOLDER_VALUE],
    ['garbage', '%%%'],
    [
      'a foreign audience',
      JSON.stringify({
        v: 1,
        accessToken: 'x',
        expiresAt: 9e15,
        issuer: IDENTITY.issuer,
        audience: 'other',
        clientId: 'client-a',
      }),
    ],
    [
      'an expired token',
      encodeEnvelope({ accessToken: 'old', expiresAt: 1, tokenType: 'Bearer' }, IDENTITY),
    ],
  ])('treats %s as a miss and overwrites it with a valid envelope', async (_label, value) => {
    const { cache, source, store, time } = setup();
    store.seed('token', value);
    const token = await time.run(cache.getToken());
    expect(source.calls).toBe(1);
    expect(storedToken(store, time.now)).toEqual(token);
    expect(store.peek('lease')).toBeUndefined();
  });

  it('serves the stored token when the endpoint is down', async () => {
    const { make, source, store, time } = setup();
    const token = {
      accessToken: 'stored',
      expiresAt: time.now + HOUR,
      tokenType: 'Bearer' as const,
    };
    store.seed('token', encodeEnvelope(token, IDENTITY));
    source.behaviour = () => ({ kind: 'fail', status: 503 });
    await expect(time.run(make().getToken())).resolves.toMatchObject({ accessToken: 'stored' });
    expect(source.calls).toBe(0);
  });

  it.each([
    ['unavailable', 'unavailable'],
    ['denying access', 'access-denied'],
  ] as const)('gets a token from the endpoint when the store is %s', async (_label, kind) => {
    const store = new MemoryStore({
      beforeCall: () => {
        throw new StoreError(kind, 'GetParameter', `store ${kind}`);
      },
    });
    const { cache, source, events, time } = setup({}, store);
    await expect(time.run(cache.getToken())).resolves.toMatchObject({ accessToken: 'token-1' });
    expect(source.calls).toBe(1);
    expect(events).toContainEqual({ type: 'deadline-fallback', reason: `store-${kind}` });
  });

  it('warns once and continues memory-only when the value is too large for the store', async () => {
    const { cache, source, store, events, time } = setup(
      {},
      new MemoryStore({ maxValueLength: 20 }),
    );
    await time.run(cache.getToken());
    await time.run(cache.getToken({ forceRefresh: true }));
    const readsBefore = store.calls['get:token'];
    await time.run(cache.getToken({ forceRefresh: true }));
    expect(events.filter((e) => e.type === 'store-disabled')).toHaveLength(1);
    expect(store.calls['get:token']).toBe(readsBefore);
    expect(source.calls).toBe(3);
  });
});

describe('serve-still-valid and failures', () => {
  it('serves the usable token through an endpoint outage and does not retry on every call', async () => {
    const { cache, source, events, time } = setup({}, null);
    const token = await time.run(cache.getToken());
    time.advance(HOUR - policy.refreshWindowMs + 1);
    source.behaviour = () => ({ kind: 'fail', status: 503 });
    await expect(time.run(cache.getToken())).resolves.toBe(token);
    await expect(time.run(cache.getToken())).resolves.toBe(token);
    expect(source.calls).toBe(2);
    expect(events.some((e) => e.type === 'stale-serve')).toBe(true);
  });

  it('fails with a typed error naming the cause, never the token, once nothing is usable', async () => {
    const { cache, source, time } = setup({}, null);
    const token = await time.run(cache.getToken());
    time.advance(HOUR - policy.minRemainingMs);
    source.behaviour = () => ({ kind: 'fail', status: 503 });
    const error = await time.run(cache.getToken()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenUnavailableError);
    expect(String((error as Error).message)).toContain('503');
    expect(String((error as Error).message)).not.toContain(token.accessToken);
  });

  it('survives a listener that throws', async () => {
    const { cache, time } = setup({
      onEvent: () => {
        throw new Error('broken sink');
      },
    });
    await expect(time.run(cache.getToken())).resolves.toBeDefined();
  });

  it('never puts a token in an event', async () => {
    const { cache, events, time } = setup();
    const token = await time.run(cache.getToken());
    await time.run(cache.getToken({ forceRefresh: true }));
    expect(JSON.stringify(events)).not.toContain(token.accessToken);
  });
});

describe('forceRefresh, refresh() and clear()', () => {
  it('treats the current token as revoked and skips a stored copy equal to it', async () => {
    const { make, source, store, time } = setup();
    const a = make();
    const b = make();
    const first = await time.run(a.getToken());
    await time.run(b.getToken()); // b holds the same token, from the store
    const second = await time.run(a.getToken({ forceRefresh: true }));
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(storedToken(store, time.now)).toEqual(second);
    // b's copy was revoked too: it takes a's replacement from the store, no endpoint call.
    await expect(time.run(b.getToken({ forceRefresh: true }))).resolves.toEqual(second);
    expect(source.calls).toBe(2);
  });

  it('keeps a forced refresh’s token even when the endpoint re-issues the same string', async () => {
    const { cache, source, time } = setup({}, null);
    // A deterministic signer (RS256, no `jti`) answers the same JWT within the same second.
    const issue = source.getToken.bind(source);
    source.getToken = async (options) => ({ ...(await issue(options)), accessToken: 'same-jwt' });
    await time.run(cache.getToken());
    await time.run(cache.getToken({ forceRefresh: true }));
    await expect(time.run(cache.getToken())).resolves.toMatchObject({ accessToken: 'same-jwt' });
    expect(source.calls).toBe(2);
  });

  it('refreshes only when forced or expiring within the threshold', async () => {
    const { cache, source, time } = setup();
    await time.run(cache.getToken());
    await expect(time.run(cache.refresh())).resolves.toMatchObject({ refreshed: false });
    time.advance(1_000); // a token issued later also expires later (no-regression keeps the later one)
    await expect(time.run(cache.refresh({ ifExpiringWithinMs: HOUR + 1 }))).resolves.toMatchObject({
      refreshed: true,
      token: { accessToken: 'token-2' },
    });
    time.advance(1_000);
    await expect(time.run(cache.refresh({ force: true }))).resolves.toMatchObject({
      refreshed: true,
      token: { accessToken: 'token-3' },
    });
    expect(source.calls).toBe(3);
    // The refreshed token is what memory serves next.
    await expect(cache.getToken()).resolves.toMatchObject({ accessToken: 'token-3' });
  });

  it('never regresses the stored expiry on a forced refresh', async () => {
    const { cache, store, time } = setup();
    await time.run(cache.getToken());
    const later = {
      accessToken: 'later',
      expiresAt: time.now + 2 * HOUR,
      tokenType: 'Bearer' as const,
    };
    store.seed('token', encodeEnvelope(later, IDENTITY));
    await time.run(cache.refresh({ force: true }));
    expect(storedToken(store, time.now)?.accessToken).toBe('later');
  });

  it('clear() empties memory and writes the placeholder, never an empty value', async () => {
    const { cache, events, store, time } = setup();
    await time.run(cache.getToken());
    await time.run(cache.clear());
    expect(store.peek('token')?.value).toBe(PLACEHOLDER_VALUE);
    expect(events).toContainEqual({ type: 'cleared' });
  });
});

describe('options', () => {
  it.each([
    [{ deadlineMs: 0 }, 'deadlineMs'],
    [{ leaseMs: -1 }, 'leaseMs'],
    [{ maxBackoffMs: 0 }, 'maxBackoffMs'],
    [{ maxBackoffMs: 1000, errorBackoffMs: 1001 }, 'errorBackoffMs'],
    [{ throttleFallback: 'on' as unknown as boolean }, 'throttleFallback'],
    [{ minRemainingMs: 400_000 }, 'minRemainingMs'],
    [{ refreshWindowMs: 'soon' as unknown as number }, 'refreshWindowMs'],
    [{ clock: 5 as unknown as () => number }, 'clock'],
    [{ ownerId: '' }, 'ownerId'],
    [
      { source: { getToken: async () => ({}) } as unknown as TokenCacheOptions['source'] },
      'source.identity',
    ],
  ])('rejects %o with a ConfigError naming %s', (bad, variable) => {
    const { time, source } = setup();
    const attempt = () => createTokenCache({ source, clock: time.clock, ...bad });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${variable.replace('.', '\\.')} must be`));
  });
});
