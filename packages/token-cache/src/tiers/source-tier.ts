/**
 * The last tier: the token endpoint, with timing events and a per-container back-off after a
 * 429/5xx so a container without a shared store does not hammer a failing endpoint.
 */
import {
  StoreError,
  TokenCacheError,
  TokenEndpointError,
  TokenUnavailableError,
} from '../errors.js';
import type { TokenSource } from '../token.js';
import type { Tier, TierContext, TierRequest, TierResult } from './tier.js';

/**
 * Whether an endpoint failure asks for a back-off (RFC 6585 429, any 5xx, or no answer) rather
 * than being a configuration problem (401/403) that waiting does not fix.
 *
 * @example
 * ```ts
 * if (isBackoffError(error)) await leases.markBackoff(until, String(error.status), call);
 * ```
 */
export function isBackoffError(error: unknown): error is TokenEndpointError {
  if (!(error instanceof TokenEndpointError)) return false;
  if (error.status === undefined) return error.code !== 'ENDPOINT_RESPONSE_INVALID';
  return error.status === 429 || error.status >= 500;
}

/** Back-off after an endpoint failure that names no retry time: 1–5 s, jittered. */
export const ENDPOINT_BACKOFF_MS = { minMs: 1_000, maxMs: 5_000 } as const;

/**
 * When to try the endpoint again after `error`: its `x-ratelimit-reset`/`Retry-After` if given
 * (RFC 6585 §4, Auth0 rate-limit headers), else a short jittered pause — long enough that a
 * failing endpoint sees about one call per pause from the whole fleet, short enough that a blip
 * costs little.
 *
 * @example
 * ```ts
 * const until = backoffUntil(error, clock(), Math.random);
 * ```
 */
export function backoffUntil(error: unknown, now: number, random: () => number): number {
  const retryAt = error instanceof TokenEndpointError ? error.retryAt : undefined;
  if (retryAt !== undefined && retryAt > now) return retryAt;
  const { minMs, maxMs } = ENDPOINT_BACKOFF_MS;
  return now + minMs + Math.floor(random() * (maxMs - minMs));
}

/**
 * Adapts a `TokenSource` (the client-credentials fetcher) to a {@link Tier}.
 *
 * @example
 * ```ts
 * const endpoint = new SourceTier(auth0ClientCredentials({ ... }), context);
 * const { token } = await endpoint.resolve({ deadline: new Deadline(Date.now, 10_000) });
 * ```
 */
export class SourceTier implements Tier {
  #backoffUntil = 0;
  #backoffReason = '';

  constructor(
    private readonly source: TokenSource,
    private readonly context: TierContext,
  ) {}

  async resolve(request: TierRequest): Promise<TierResult> {
    const { clock, emit } = this.context;
    const started = clock();
    if (started < this.#backoffUntil) {
      throw new TokenUnavailableError(
        `the token endpoint asked to back off until ${new Date(this.#backoffUntil).toISOString()} (${this.#backoffReason})`,
      );
    }
    try {
      const token = await this.source.getToken({
        signal: request.deadline.signal,
        ...(request.revoked !== undefined ? { forceRefresh: true } : {}),
      });
      const clientId = token.clientId ?? this.context.identity.clientIds[0] ?? 'unknown';
      emit({ type: 'endpoint-fetch', durationMs: clock() - started, clientId });
      return { token, fetched: true };
    } catch (error) {
      const endpointError = error instanceof TokenEndpointError ? error : undefined;
      emit({
        type: 'endpoint-error',
        durationMs: clock() - started,
        ...(endpointError?.status !== undefined ? { status: endpointError.status } : {}),
        ...(endpointError?.error !== undefined ? { error: endpointError.error } : {}),
      });
      if (isBackoffError(error)) {
        this.#backoffUntil = backoffUntil(error, clock(), this.context.random);
        this.#backoffReason = describeEndpointFailure(error);
      }
      throw error;
    }
  }
}

/**
 * A short, secret-free description of an endpoint failure, e.g. `HTTP 429 too_many_requests`.
 *
 * @example
 * ```ts
 * throw new TokenUnavailableError(`no usable token: ${describeEndpointFailure(error)}`);
 * ```
 */
export function describeEndpointFailure(error: unknown): string {
  if (error instanceof TokenEndpointError) {
    const parts = [error.status !== undefined ? `HTTP ${error.status}` : error.code, error.error];
    return parts.filter(Boolean).join(' ');
  }
  if (error instanceof StoreError) return `store ${error.kind} (${error.operation})`;
  if (error instanceof TokenCacheError) return error.code;
  if (error instanceof Error) return error.name;
  return 'unknown error';
}
