/**
 * Token reads and writes against the shared store for one request: throttle retries inside
 * the deadline, events for every call, envelope decoding, and the no-regression write.
 */
import { retryThrottled } from '../backoff.js';
import { decodeEnvelope, encodeEnvelope } from '../envelope.js';
import { StoreError } from '../errors.js';
import type { StoreCall } from '../lease/strategy.js';
import type { SharedStore } from '../store.js';
import type { Token } from '../token.js';
import type { TierContext } from './tier.js';

/** A decoded token read, with the version to compare-and-set against. */
export interface TokenRead {
  readonly token?: Token;
  /** Store version of the record, 0 when absent (the store contract's "only if absent"). */
  readonly version: number;
}

/**
 * Builds the {@link StoreCall} for one request: retries throttling until `waitUntil`
 * (jittered, AWS "full jitter"), times the call and emits `store-*` events.
 *
 * @example
 * ```ts
 * const call = storeCall(context, deadline.expiresAt - reserveMs, deadline.signal);
 * const value = await call('get', 'token', (signal) => store.get('token', { signal }));
 * ```
 */
export function storeCall(
  context: TierContext,
  waitUntil: number,
  signal?: AbortSignal,
  onThrottle?: () => void,
  strict = false,
): StoreCall {
  const { clock, emit } = context;
  // Throttles met so far by this request's calls: one request makes several calls (token,
  // lease, polls), and each restarting its backoff at 25 ms would keep a saturated account-wide
  // quota saturated. A success halves it, so the backoff eases back as the quota frees up.
  let throttles = 0;
  return async (operation, key, run) => {
    const started = clock();
    try {
      const result = await retryThrottled(() => run(signal), {
        clock,
        sleep: context.sleep,
        random: context.random,
        waitUntil,
        priorThrottles: throttles,
        strict,
        ...(signal ? { signal } : {}),
        onThrottle: (attempt) => {
          throttles++;
          onThrottle?.();
          emit({ type: 'store-throttle', operation, attempt });
        },
      });
      throttles >>= 1;
      const durationMs = clock() - started;
      emit({ type: operation === 'get' ? 'store-read' : 'store-write', durationMs, key });
      return result;
    } catch (error) {
      if (error instanceof StoreError) emit({ type: 'store-error', kind: error.kind, operation });
      // The last throttle (or the only one, for a call never retried) counts for the request
      // too: a timeout after it means a busy store, not a failing one.
      if (error instanceof StoreError && error.kind === 'throttled') onThrottle?.();
      throw error;
    }
  };
}

/**
 * Reads and decodes the token record; a bad value is a miss (with a `miss` event), never a throw.
 *
 * @example
 * ```ts
 * const { token } = await readToken(store, call, context);
 * ```
 */
export async function readToken(
  store: SharedStore,
  call: StoreCall,
  context: TierContext,
  reportMiss = true,
): Promise<TokenRead> {
  const stored = await call('get', 'token', (signal) => store.get('token', { signal }));
  if (stored === undefined) {
    if (reportMiss) context.emit({ type: 'miss', tier: 'store', reason: 'absent' });
    return { version: 0 };
  }
  const decoded = decodeEnvelope(stored.value, context.identity, context.clock(), context.policy);
  if (!decoded.ok) {
    if (reportMiss) context.emit({ type: 'miss', tier: 'store', reason: decoded.reason });
    return { version: stored.version };
  }
  return { token: decoded.token, version: stored.version };
}

/**
 * Writes `token` unless the store already holds one that expires no sooner (no regression).
 * Re-reads right before the put; with a compare-and-set store the put carries the version it
 * read and retries on conflict. SSM has no conditional overwrite: there the guarantee comes
 * from the caller, the lease holder, being the only writer while its lease lasts (see
 * `shared/publish.ts`), and the re-read is the check.
 * Returns the token the store holds afterwards (ours, or the better one it found).
 * `known`: a read the caller has just made and vouches for (a lease holder's re-read), used
 * instead of the first re-read.
 *
 * @example
 * ```ts
 * const best = await writeToken(store, call, context, fetched, revokedAccessToken);
 * ```
 */
export async function writeToken(
  store: SharedStore,
  call: StoreCall,
  context: TierContext,
  token: Token,
  revoked?: string,
  known?: TokenRead,
): Promise<Token> {
  const value = encodeEnvelope(token, context.identity);
  for (let attempt = 0; attempt < 3; attempt++) {
    // A re-read, not a lookup: it must not count as a store miss in the metrics.
    const current =
      attempt === 0 && known !== undefined ? known : await readToken(store, call, context, false);
    const existing = current.token;
    if (existing && existing.accessToken !== revoked && existing.expiresAt >= token.expiresAt) {
      return existing;
    }
    const expectedVersion = store.supportsCompareAndSet ? current.version : undefined;
    const written = await call('put', 'token', (signal) =>
      store.put('token', value, { signal, expectedVersion }),
    );
    if (written) return token;
  }
  // Three conflicting writers in a row: leave the store to them; our token is still valid.
  return token;
}
