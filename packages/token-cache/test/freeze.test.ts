/**
 * Lambda freezes an environment between invocations: its clock jumps and its timers fire late.
 * A flight abandoned mid-call must not fail the invocation after the thaw.
 */
import { describe, expect, it } from 'vitest';
import { createTokenCache } from '../src/cache.js';
import { MemoryStore } from '../src/stores/memory-store.js';
import { CountingSource, VirtualTime } from './cache.fakes.js';

const HOUR = 3_600_000;

describe.each([
  ['memory only', false],
  ['with a shared store', true],
])('after a freeze (%s)', (_label, shared) => {
  it('a new invocation starts its own flight instead of joining one past its deadline', async () => {
    const time = new VirtualTime();
    const source = new CountingSource(time, HOUR);
    // The first call hangs: the invocation that made it was frozen mid-call.
    source.behaviour = (n) => (n === 1 ? { kind: 'hang' } : { kind: 'ok' });
    const cache = createTokenCache({
      source,
      ...(shared ? { store: new MemoryStore() } : {}),
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
      deadlineMs: 10_000,
    });
    const abandoned = cache.getToken().catch((error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.calls).toBe(1);
    // Thawed twenty minutes later: the clock has jumped; the old timers have not fired yet.
    time.now += 20 * 60_000;
    const token = await time.run(cache.getToken());
    expect(token.accessToken).toBe('token-2');
    expect(source.calls).toBe(2);
    // The abandoned flight fails on its own deadline, never the new invocation.
    await time.run(abandoned);
    await expect(time.run(cache.getToken())).resolves.toMatchObject({ accessToken: 'token-2' });
    expect(source.calls).toBe(2);
  });
});
