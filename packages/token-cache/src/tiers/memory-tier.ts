/**
 * The memory tier: the per-process copy of the token (a fresh hit does no I/O; one flight
 * per process).
 *
 * The hot path is one clock read and one comparison against a precomputed instant, returning
 * a promise created once per token, so a fresh hit allocates nothing. Everything else goes to
 * one in-process flight (smithy `memoize`), with passive refresh (smithy `memoize-chain`):
 * while a refresh runs, callers holding a usable token get it at once. A failed refresh falls
 * back to the usable token (serve-still-valid) and is never cached.
 */
import { Deadline } from '../deadline.js';
import { type TokenCacheError, TokenUnavailableError } from '../errors.js';
import type { TokenCacheEvent } from '../events.js';
import { isUsable } from '../freshness.js';
import { SingleFlight } from '../single-flight.js';
import type { GetTokenOptions, Token, TokenSource } from '../token.js';
import { describeFailure } from './endpoint-failure.js';
import type { Intent } from './intent.js';
import type { Tier, TierContext, TierResult } from './tier.js';

const HIT_MEMORY: TokenCacheEvent = Object.freeze({ type: 'hit', tier: 'memory' });

interface Entry {
  readonly token: Token;
  readonly promise: Promise<Token>;
  /** Served without asking the next tier until this instant. */
  readonly serveUntil: number;
  /** `expiresAt − minRemainingMs`: never served from here on. */
  readonly unusableAt: number;
}

/**
 * Memory in front of the next tier.
 *
 * @example
 * ```ts
 * const memory = new MemoryTier(sharedTier, context);
 * const token = await memory.getToken(); // later calls: no I/O until the refresh point
 * ```
 */
export class MemoryTier implements TokenSource {
  #entry: Entry | undefined;
  #revoked: string | undefined;
  readonly #flight = new SingleFlight<TierResult>();
  readonly #forcedFlight = new SingleFlight<TierResult>();
  /** When each flight's deadline passes (injected clock). */
  readonly #flightDeadlines = new Map<SingleFlight<TierResult>, number>();

  constructor(
    private readonly next: Tier,
    private readonly context: TierContext,
    private readonly listening: boolean,
  ) {}

  getToken(options?: GetTokenOptions): Promise<Token> {
    const entry = this.#entry;
    if (entry !== undefined && options?.forceRefresh !== true) {
      if (this.context.clock() < entry.serveUntil) {
        if (this.listening) this.context.emit(HIT_MEMORY);
        return entry.promise;
      }
    }
    return this.#slowPath(options);
  }

  /** Runs a request through the next tier under this tier's single flight and installs the result. */
  async refreshWith(intent: Intent, signal?: AbortSignal): Promise<TierResult> {
    return abortable(this.#startFlight(this.#flight, intent), signal);
  }

  /** The token in memory, if any (no I/O, no freshness check). */
  peek(): Token | undefined {
    return this.#entry?.token;
  }

  /** Never serves `accessToken` again (the API refused it). */
  revoke(accessToken: string): void {
    this.#revoked = accessToken;
    if (this.#entry?.token.accessToken === accessToken) this.#entry = undefined;
  }

  /** Forgets the token in memory. */
  clear(): void {
    this.#entry = undefined;
  }

  async #slowPath(options?: GetTokenOptions): Promise<Token> {
    const signal = options?.signal;
    if (options?.forceRefresh === true) {
      // The caller says the token was rejected: never serve it again, from here or the store.
      this.#revoked = this.#entry?.token.accessToken ?? this.#revoked;
      this.#entry = undefined;
      const revoked = this.#revoked;
      const intent: Intent =
        revoked === undefined ? { kind: 'serve' } : { kind: 'replace', revoked };
      return (await abortable(this.#joinFlight(this.#forcedFlight, intent), signal)).token;
    }
    const entry = this.#entry;
    const now = this.context.clock();
    if (entry !== undefined && now < entry.unusableAt) {
      if (this.#live(this.#flight) || this.#live(this.#forcedFlight)) {
        if (this.listening) this.context.emit(HIT_MEMORY);
        return entry.token;
      }
      const intent: Intent = { kind: 'serve', held: entry.token };
      return (await abortable(this.#joinFlight(this.#flight, intent), signal)).token;
    }
    this.context.emit({ type: 'miss', tier: 'memory', reason: entry ? 'expired' : 'empty' });
    this.#entry = undefined;
    const intent: Intent =
      this.#revoked === undefined ? { kind: 'serve' } : { kind: 'serve', revoked: this.#revoked };
    return (await abortable(this.#joinFlight(this.#flight, intent), signal)).token;
  }

  /**
   * Joins the flight in progress, unless its deadline has passed: a flight abandoned when the
   * environment was frozen mid-call must not be joined after the thaw (it would fail the new
   * invocation without any I/O of its own); a new flight starts instead.
   */
  #joinFlight(flight: SingleFlight<TierResult>, intent: Intent): Promise<TierResult> {
    return this.#live(flight)
      ? flight.run(() => this.#resolve(intent))
      : this.#startFlight(flight, intent);
  }

  #startFlight(flight: SingleFlight<TierResult>, intent: Intent): Promise<TierResult> {
    const expiresAt = this.context.clock() + this.context.deadlineMs;
    this.#flightDeadlines.set(flight, expiresAt);
    return flight.start(() => this.#resolve(intent, expiresAt));
  }

  #live(flight: SingleFlight<TierResult>): boolean {
    const expiresAt = this.#flightDeadlines.get(flight) ?? 0;
    return flight.running && this.context.clock() < expiresAt;
  }

  async #resolve(intent: Intent, expiresAt?: number): Promise<TierResult> {
    const { clock, policy, deadlineMs } = this.context;
    let result: TierResult;
    // The deadline counts from the flight's start by the injected clock.
    const budgetMs = expiresAt === undefined ? deadlineMs : Math.max(1, expiresAt - clock());
    const deadline = new Deadline(clock, budgetMs, { sleep: this.context.sleep });
    try {
      result = await this.next.resolve({ intent, deadline });
    } catch (error) {
      const held = intent.kind === 'replace' ? undefined : intent.held;
      if (held === undefined || !isUsable(held, clock(), policy)) throw unavailable(error);
      this.context.emit({
        type: 'stale-serve',
        remainingMs: held.expiresAt - clock(),
        reason: describeFailure(error),
      });
      const backoff = this.context.backoff.active();
      const recheckAt = backoff?.until ?? clock() + Math.ceil(this.context.leaseMs / 2);
      result = { token: held, recheckAt, fetched: false };
    } finally {
      deadline.dispose();
    }
    // Time passed while we waited: re-check, so an unusable token is never handed out.
    if (!isUsable(result.token, clock(), policy)) {
      throw new TokenUnavailableError('no usable token: the token obtained expired while waiting');
    }
    this.#install(result);
    return result;
  }

  #install(result: TierResult): void {
    const { token } = result;
    if (result.fetched) {
      // The endpoint has just issued this token, so it is current whatever was revoked before.
      // RS256 signatures are deterministic: Auth0 re-issues a byte-identical JWT to the same
      // client within the same second (same claims, no `jti`). Refusing it would send every
      // later call back to the endpoint.
      this.#revoked = undefined;
    } else if (token.accessToken === this.#revoked) {
      return;
    }
    const current = this.#entry;
    const keep =
      current !== undefined &&
      current.token.expiresAt > token.expiresAt &&
      current.token.accessToken !== this.#revoked;
    const chosen = keep ? current.token : token;
    const unusableAt = chosen.expiresAt - this.context.policy.minRemainingMs;
    const refreshAt = this.context.schedule.refreshAt(chosen);
    const serveUntil = Math.min(unusableAt, Math.max(refreshAt, result.recheckAt ?? refreshAt));
    const promise = keep && current ? current.promise : Promise.resolve(chosen);
    this.#entry = { token: chosen, promise, serveUntil, unusableAt };
  }
}

function unavailable(error: unknown): TokenCacheError {
  if (error instanceof TokenUnavailableError) return error;
  return new TokenUnavailableError(`no usable token: ${describeFailure(error)}`, {
    cause: error,
  });
}

// The flight is shared; one caller giving up must not cancel it for the others.
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
