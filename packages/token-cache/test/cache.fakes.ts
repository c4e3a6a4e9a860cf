/**
 * Test doubles for the cache-core unit and property tests: a virtual clock with a timer queue
 * (so every wait runs in virtual time) and a counting token source. Unit tests only; the
 * integration tests use the local stack over real HTTP.
 */
import type { Sleep } from '../src/deadline.js';
import { TokenEndpointError } from '../src/errors.js';
import type { SharedStore } from '../src/store.js';
import type { GetTokenOptions, Token, TokenIdentity, TokenSource } from '../src/token.js';

export const IDENTITY: TokenIdentity = {
  issuer: 'https://tenant.example.com/',
  audience: 'https://api.example.com',
  clientIds: ['client-a'],
};

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Virtual time: `sleep` parks a timer; `run` advances to the next timer whenever all is idle. */
export class VirtualTime {
  now: number;
  #timers: Timer[] = [];
  #seq = 0;

  constructor(start = 1_700_000_000_000) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.now + Math.max(0, ms), seq: this.#seq++, resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.#timers = this.#timers.filter((t) => t !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });

  /** Advances the clock without firing timers (a container "frozen" between invocations). */
  advance(ms: number): void {
    this.now += ms;
  }

  /** Drives timers until `promise` settles; throws if it can never settle (a deadlock). */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const tracked = promise.finally(() => {
      settled = true;
    });
    tracked.catch(() => {});
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (settled) return tracked;
      if (!this.fireNext()) {
        await new Promise((r) => setImmediate(r));
        if (settled) return tracked;
        throw new Error('virtual time: nothing left to run, but the promise is still pending');
      }
    }
  }

  /** Lets detached work (a release after the caller's deadline) finish: fires every timer. */
  async drain(maxTimers = 10_000): Promise<void> {
    for (let i = 0; i < maxTimers; i++) {
      await new Promise((r) => setImmediate(r));
      if (!this.fireNext()) return;
    }
    throw new Error('virtual time: timers keep being scheduled while draining');
  }

  /** Fires the earliest timer; false when none is parked. */
  fireNext(): boolean {
    if (this.#timers.length === 0) return false;
    this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = this.#timers.shift() as Timer;
    this.now = Math.max(this.now, timer.at);
    timer.resolve();
    return true;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }
}

/** What the fake endpoint does on one call. */
export type EndpointBehaviour =
  | { kind: 'ok'; latencyMs?: number }
  | { kind: 'fail'; status: number; retryAt?: number; latencyMs?: number }
  | { kind: 'hang' };

/** A token source that counts calls and issues `token-<n>` with a fixed lifetime. */
export class CountingSource implements TokenSource {
  readonly identity = IDENTITY;
  calls = 0;
  successes = 0;
  /** Consulted on every call; default: succeed at once. */
  behaviour: (call: number) => EndpointBehaviour = () => ({ kind: 'ok' });
  readonly issued: Token[] = [];

  constructor(
    private readonly time: { clock: () => number; sleep: Sleep },
    private readonly lifetimeMs = 3_600_000,
  ) {}

  async getToken(options?: GetTokenOptions): Promise<Token> {
    this.calls++;
    const behaviour = this.behaviour(this.calls);
    if (behaviour.kind === 'hang') {
      await new Promise<never>((_, reject) =>
        options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)),
      );
    }
    if (behaviour.kind !== 'hang' && behaviour.latencyMs) {
      await this.time.sleep(behaviour.latencyMs, options?.signal);
    }
    if (behaviour.kind === 'fail') {
      throw new TokenEndpointError(
        'ENDPOINT_ERROR',
        `token endpoint answered ${behaviour.status}`,
        {
          status: behaviour.status,
          error: behaviour.status === 429 ? 'too_many_requests' : 'server_error',
          ...(behaviour.retryAt !== undefined ? { retryAt: behaviour.retryAt } : {}),
        },
      );
    }
    this.successes++;
    const now = this.time.clock();
    const token: Token = {
      accessToken: `token-${this.calls}`,
      expiresAt: now + this.lifetimeMs,
      issuedAt: now,
      tokenType: 'Bearer',
      clientId: 'client-a',
    };
    this.issued.push(token);
    return token;
  }
}

/** A deterministic PRNG (mulberry32) so jitter is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * One container's view of a shared store that stops when the container dies: once `dead()`,
 * every call it starts never settles, as a crashed process makes no more calls (its timers, a
 * lease renewal among them, die with it).
 */
export function diesWith<S extends SharedStore>(store: S, dead: () => boolean): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        dead()
          ? new Promise(() => {})
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
}
