/**
 * The states of the refresh protocol and what they share: the tier's parts (`Protocol`), the
 * request being answered (`Run`), and the exits every state may take. `docs/protocol.md`
 * describes the same machine in prose and as a diagram.
 */
import { StoreError, TokenUnavailableError } from '../../errors.js';
import type { TokenCacheEvent } from '../../events.js';
import { isUsable } from '../../freshness.js';
import type { HeldLease, LeaseStrategy } from '../../lease/strategy.js';
import type { LeaseView } from '../../lease/view.js';
import type { SharedStore } from '../../store.js';
import type { Token } from '../../token.js';
import type { Backoff } from '../backoff-state.js';
import { describeFailure } from '../endpoint-failure.js';
import { fulfils, type Intent, revokedBy } from '../intent.js';
import { readToken, type TokenRead } from '../store-access.js';
import type { Tier, TierContext, TierRequest, TierResult } from '../tier.js';
import type { Budgets } from './budgets.js';

/** What every state may use: the store, its lease strategy and the endpoint behind. */
export interface Protocol {
  readonly store: SharedStore;
  readonly leases: LeaseStrategy;
  readonly endpoint: Tier;
  readonly context: TierContext;
  /** The store refused a token as too large: carry on memory-only. */
  disableStore(reason: string): void;
}

/** One request going through the states. */
export interface Run {
  readonly request: TierRequest;
  readonly intent: Intent;
  readonly budgets: Budgets;
  /** The best usable token known so far (held by the caller, or read from the store). */
  candidate: Token | undefined;
  /** What the store held when first read (for `ensure` with `force`). */
  firstRead: { readonly accessToken?: string } | undefined;
  readonly startedAt: number;
  /**
   * The released lease record after which the token was read again (once per request): its
   * version, and when it was seen. A holder's release is its last write, after its token.
   */
  releaseSeen?: { readonly version: number; readonly at: number };
  /** The last token read, and when it was sent (before any throttled retry). */
  lastRead?: { readonly read: TokenRead; readonly sentAt: number };
}

/** Where a request is. Each state's function returns the next one; `done` ends it. */
export type State =
  | { readonly at: 'read' }
  | { readonly at: 'contend' }
  | {
      readonly at: 'hold';
      readonly lease: HeldLease;
      readonly takeover: boolean;
      /** What the store held when the lease was claimed, if nothing can have changed since. */
      readonly known?: TokenRead;
    }
  | { readonly at: 'follow'; readonly view: Extract<LeaseView, { kind: 'held' }> }
  | { readonly at: 'throttled'; readonly error: unknown }
  | {
      readonly at: 'fall-back';
      readonly error: unknown;
      /**
       * The store refused the lease alone (access denied to the lock while the token was read):
       * no container with this role can ever hold it, so the lease-less token is published.
       */
      readonly leaseRefused?: boolean;
    }
  | { readonly at: 'backed-off'; readonly backoff: Backoff; readonly error?: unknown }
  | { readonly at: 'out-of-time'; readonly error: unknown }
  | { readonly at: 'done'; readonly result: TierResult };

/**
 * Reads the stored token for `run` and remembers the read (see `Run.lastRead`). `countMiss`:
 * whether an unusable value counts as a store miss in the metrics (only the first read does).
 */
export async function readFor(
  p: Protocol,
  run: Run,
  call: Parameters<typeof readToken>[1],
  countMiss: boolean,
): Promise<TokenRead> {
  const sentAt = p.context.clock();
  const read = await readToken(p.store, call, p.context, countMiss);
  run.lastRead = { read, sentAt };
  return read;
}

/** The event of a token served from the store. */
export const HIT_STORE: TokenCacheEvent = Object.freeze({ type: 'hit', tier: 'store' });

/** `token` if it is usable now and not the one the caller knows to be bad. */
export function servable(p: Protocol, run: Run, token: Token | undefined): Token | undefined {
  if (token === undefined || token.accessToken === revokedBy(run.intent)) return undefined;
  return isUsable(token, p.context.clock(), p.context.policy) ? token : undefined;
}

/** Whether `token` (servable) answers the request without a refresh. */
export function accepts(p: Protocol, run: Run, token: Token): boolean {
  return fulfils(run.intent, token, p.context.clock(), p.context.schedule, run.firstRead);
}

/** Keeps the later-expiring of the candidate and `token`. */
export function consider(run: Run, token: Token | undefined): void {
  if (token !== undefined && (!run.candidate || token.expiresAt > run.candidate.expiresAt)) {
    run.candidate = token;
  }
}

/** Done, with a token from the store or the endpoint. */
export function done(result: TierResult): State {
  return { at: 'done', result };
}

/**
 * The one exit that serves what the request holds instead of a fresh token: the candidate, if
 * still usable, with a time to ask again spread after `until` (when the situation may change:
 * a lease ends, a back-off ends); otherwise `failure` is thrown.
 */
export function serveHeld(
  p: Protocol,
  run: Run,
  reason: string,
  until: number,
  failure: () => Error,
): State {
  const token = servable(p, run, run.candidate);
  if (token === undefined) throw failure();
  const { clock, emit, random, leaseMs, tuning } = p.context;
  const now = clock();
  if (reason === 'refresh-in-progress') {
    emit({ type: 'lease-wait', durationMs: now - run.startedAt, outcome: 'served-usable' });
  } else {
    emit({ type: 'stale-serve', remainingMs: token.expiresAt - now, reason });
  }
  const spreadMs = Math.ceil(leaseMs * tuning.recheckSpreadShare);
  const recheckAt = Math.max(until, now) + Math.floor(random() * spreadMs);
  return done({ token, recheckAt, fetched: false });
}

/** When a troubled store is worth asking again: half a lease from now (then spread). */
export function storeRecheck(p: Protocol): number {
  return p.context.clock() + Math.ceil(p.context.leaseMs / 2);
}

/** The error for "no usable token", naming the cause and never a secret. */
export function unavailable(cause: unknown, what?: string): TokenUnavailableError {
  if (cause instanceof TokenUnavailableError && what === undefined) return cause;
  return new TokenUnavailableError(`no usable token: ${what ?? describeFailure(cause)}`, { cause });
}

/**
 * Where a failed store call leads: a throttled store is busy (`throttled`); a store error of any
 * other kind — unreachable, timing out, 5xx, access or KMS denied — means it is failing
 * (`fall-back`); a call cut off by the request's own deadline says nothing about the store
 * (`out-of-time`). A timeout from a store that has throttled this request is busy too: an
 * overloaded store is slow before it is down, and taking it for down would let a burst of cold
 * starts each spend a token. (A store that answers reads but times out writes is failing.)
 */
export function afterStoreError(error: unknown, run: Run): State {
  if (!(error instanceof StoreError)) return { at: 'out-of-time', error };
  const busy = error.kind === 'throttled' || (error.kind === 'timeout' && run.budgets.throttled());
  return busy ? { at: 'throttled', error } : { at: 'fall-back', error };
}

/** Whether the request holds a token it could be served now. */
export function holdsUsable(p: Protocol, run: Run): boolean {
  return servable(p, run, run.candidate) !== undefined;
}
