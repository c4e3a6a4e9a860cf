import { describe, expect, it } from 'vitest';
import { jitteredDelayMs, retryThrottled, STORE_RETRY_BACKOFF } from '../src/backoff.js';
import { Deadline } from '../src/deadline.js';
import { StoreError, TokenEndpointError } from '../src/errors.js';
import { BackoffState } from '../src/tiers/backoff-state.js';
import { endpointFailureKind } from '../src/tiers/endpoint-failure.js';
import { RefreshSchedule } from '../src/tiers/refresh-schedule.js';
import { DEFAULT_TUNING } from '../src/tiers/shared/tuning.js';
import { VirtualTime } from './cache.fakes.js';

const policy = { refreshWindowMs: 300_000, minRemainingMs: 30_000 };

describe('RefreshSchedule', () => {
  it('draws each container’s refresh point inside the window, leaving a lease to spare', () => {
    const token = { expiresAt: 10_000_000 };
    const windowStart = token.expiresAt - policy.refreshWindowMs;
    expect(new RefreshSchedule(policy, 15_000, () => 0).refreshAt(token)).toBe(windowStart);
    const latest = new RefreshSchedule(policy, 15_000, () => 0.999_999).refreshAt(token);
    expect(latest).toBeLessThan(token.expiresAt - policy.minRemainingMs - 15_000);
    expect(latest).toBeGreaterThan(windowStart);
  });

  it('uses half the life of a token shorter-lived than twice the window', () => {
    const token = { issuedAt: 1_000_000, expiresAt: 1_120_000 };
    expect(new RefreshSchedule(policy, 15_000, () => 0).refreshAt(token)).toBe(1_060_000);
    // Spread over what is left once the minimum remaining life and one lease are kept back.
    expect(new RefreshSchedule(policy, 15_000, () => 0.5).refreshAt(token)).toBe(1_067_500);
  });

  it('draws once per token, and again for the next token', () => {
    const draws = [0.1, 0.9];
    const schedule = new RefreshSchedule(policy, 15_000, () => draws.shift() ?? 0.5);
    const first = schedule.refreshAt({ expiresAt: 10_000_000 });
    expect(schedule.refreshAt({ expiresAt: 10_000_000 })).toBe(first);
    const next = schedule.refreshAt({ expiresAt: 20_000_000 });
    expect(next - (20_000_000 - policy.refreshWindowMs)).toBeGreaterThan(
      first - (10_000_000 - policy.refreshWindowMs),
    );
  });
});

describe('endpoint back-off', () => {
  const endpointError = (
    status?: number,
    code: 'ENDPOINT_ERROR' | 'ENDPOINT_TIMEOUT' | 'ENDPOINT_RESPONSE_INVALID' = 'ENDPOINT_ERROR',
    retryAt?: number,
  ) =>
    new TokenEndpointError(code, 'failed', {
      ...(status ? { status } : {}),
      ...(retryAt ? { retryAt } : {}),
    });

  it.each([
    [endpointError(429), 'transient'],
    [endpointError(500), 'transient'],
    [endpointError(503), 'transient'],
    [endpointError(undefined, 'ENDPOINT_TIMEOUT'), 'transient'],
    [endpointError(401), 'configuration'],
    [endpointError(403), 'configuration'],
    [endpointError(400), 'configuration'],
    [endpointError(undefined, 'ENDPOINT_RESPONSE_INVALID'), 'configuration'],
    [new Error('other'), undefined],
  ])('endpointFailureKind(%s) → %s', (error, expected) => {
    expect(endpointFailureKind(error)).toBe(expected);
  });

  const backoffAt = (now: number, random = 0.5) =>
    new BackoffState({
      clock: () => now,
      random: () => random,
      maxBackoffMs: 300_000,
      errorBackoffMs: 60_000,
      tuning: DEFAULT_TUNING,
    });

  it('honours the endpoint’s retry time, else pauses 1–5 s', () => {
    expect(backoffAt(30_000).untilAfter(endpointError(429, 'ENDPOINT_ERROR', 90_000))).toBe(90_000);
    expect(backoffAt(30_000, 0).untilAfter(endpointError(503))).toBe(31_000);
    expect(backoffAt(30_000, 0.999).untilAfter(endpointError(503))).toBeLessThan(35_000);
    // A retry time already past is ignored.
    expect(backoffAt(30_000, 0).untilAfter(endpointError(429, 'ENDPOINT_ERROR', 10_000))).toBe(
      31_000,
    );
  });

  it('caps every back-off, whatever the header says', () => {
    const far = 99_999_999_999_000; // x-ratelimit-reset: 99999999999
    const state = backoffAt(30_000);
    expect(state.untilAfter(endpointError(429, 'ENDPOINT_ERROR', far))).toBe(330_000);
    state.remember(far, 'HTTP 429');
    expect(state.active()).toEqual({ until: 330_000, reason: 'HTTP 429' });
  });

  it('backs a configuration failure off for the error back-off', () => {
    expect(backoffAt(30_000).untilAfter(endpointError(401))).toBe(90_000);
    expect(backoffAt(30_000).untilAfter(new Error('a bug'))).toBeUndefined();
  });
});

describe('retryThrottled', () => {
  const throttled = () => new StoreError('throttled', 'GetParameter', 'Rate exceeded');

  it('retries throttling with growing jittered pauses until the call succeeds', async () => {
    const time = new VirtualTime(0);
    let calls = 0;
    const attempts: number[] = [];
    const result = retryThrottled(
      async () => {
        if (++calls < 4) throw throttled();
        return 'value';
      },
      { ...time, random: () => 1, waitUntil: 10_000, onThrottle: (a) => attempts.push(a) },
    );
    await expect(time.run(result)).resolves.toBe('value');
    expect(attempts).toEqual([1, 2, 3]);
    expect(time.now).toBe(25 + 50 + 100); // full-jitter ceilings with random() = 1
  });

  it('sends nothing after a pause that a freeze stretched past its budget', async () => {
    let now = 0;
    let calls = 0;
    const result = retryThrottled(
      async () => {
        calls++;
        throw throttled();
      },
      {
        clock: () => now,
        // The environment is frozen during the first pause and thawed an hour later.
        sleep: async () => {
          now += 3_600_000;
        },
        random: () => 1,
        waitUntil: 5_000,
      },
    );
    await expect(result).rejects.toThrow(StoreError);
    expect(calls).toBe(1);
  });

  it('strict: never sends after its budget, even from a pause that ran late on a busy loop', async () => {
    let now = 0;
    const sentAt: number[] = [];
    const result = retryThrottled(
      async () => {
        sentAt.push(now);
        throw throttled();
      },
      {
        clock: () => now,
        // Every pause ends 900 ms late: too little to be a freeze, enough to pass the budget.
        sleep: async (ms: number) => {
          now += ms + 900;
        },
        random: () => 1,
        waitUntil: 1_000,
        strict: true,
      },
    );
    await expect(result).rejects.toMatchObject({ kind: 'throttled' });
    expect(sentAt.every((at) => at <= 1_000)).toBe(true);
    expect(sentAt).toEqual([0, 925]);
  });

  it('gives up with the throttle error rather than sleep past its budget', async () => {
    const time = new VirtualTime(0);
    const result = retryThrottled(
      async () => {
        throw throttled();
      },
      { ...time, random: () => 1, waitUntil: 500 },
    );
    await expect(time.run(result)).rejects.toMatchObject({ kind: 'throttled' });
    expect(time.now).toBeLessThanOrEqual(500);
  });

  it('does not retry other store errors', async () => {
    const time = new VirtualTime(0);
    let calls = 0;
    const result = retryThrottled(
      async () => {
        calls++;
        throw new StoreError('access-denied', 'GetParameter', 'denied');
      },
      { ...time, random: () => 1, waitUntil: 10_000 },
    );
    await expect(time.run(result)).rejects.toMatchObject({ kind: 'access-denied' });
    expect(calls).toBe(1);
  });

  it('caps every pause', () => {
    expect(jitteredDelayMs(40, STORE_RETRY_BACKOFF, () => 1)).toBe(STORE_RETRY_BACKOFF.capMs);
    expect(jitteredDelayMs(0, STORE_RETRY_BACKOFF, () => 0)).toBe(1);
  });
});

describe('Deadline', () => {
  it('fires the store signal at the store share and the overall signal at the end', async () => {
    const time = new VirtualTime(0);
    const deadline = new Deadline(time.clock, 9_000, { sleep: time.sleep });
    expect(deadline.storeExpiresAt).toBe(6_000);
    const storeAborted = new Promise<number>((resolve) =>
      deadline.storeSignal.addEventListener('abort', () => resolve(time.now)),
    );
    await expect(time.run(storeAborted)).resolves.toBe(6_000);
    expect(deadline.signal.aborted).toBe(false);
    const allAborted = new Promise<number>((resolve) =>
      deadline.signal.addEventListener('abort', () => resolve(time.now)),
    );
    await expect(time.run(allAborted)).resolves.toBe(9_000);
    expect(deadline.signal.reason).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it('cancels its timers when disposed', async () => {
    const time = new VirtualTime(0);
    const deadline = new Deadline(time.clock, 9_000, { sleep: time.sleep });
    expect(time.pendingTimers).toBe(2);
    deadline.dispose();
    expect(time.pendingTimers).toBe(0);
    expect(deadline.signal.aborted).toBe(false);
  });

  it('follows the caller’s signal', () => {
    const caller = new AbortController();
    const time = new VirtualTime(0);
    const deadline = new Deadline(time.clock, 9_000, { sleep: time.sleep, signal: caller.signal });
    caller.abort(new Error('caller gave up'));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.storeSignal.aborted).toBe(true);
    deadline.dispose();
  });
});
