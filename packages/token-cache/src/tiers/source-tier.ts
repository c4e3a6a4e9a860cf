/**
 * The last tier: the token endpoint, with timing events. A failure is recorded in the
 * container's back-off state, so that even a container without a shared store does not call a
 * failing or refusing endpoint on every invocation.
 */
import { TokenEndpointError, TokenUnavailableError } from '../errors.js';
import type { TokenSource } from '../token.js';
import { describeFailure } from './endpoint-failure.js';
import { revokedBy } from './intent.js';
import type { Tier, TierContext, TierRequest, TierResult } from './tier.js';

/**
 * Adapts a `TokenSource` (the client-credentials fetcher) to a {@link Tier}.
 *
 * @example
 * ```ts
 * const endpoint = new SourceTier(auth0ClientCredentials({ ... }), context);
 * const { token } = await endpoint.resolve({ deadline: new Deadline(Date.now, 10_000), intent: { kind: 'serve' } });
 * ```
 */
export class SourceTier implements Tier {
  constructor(
    private readonly source: TokenSource,
    private readonly context: TierContext,
  ) {}

  async resolve(request: TierRequest): Promise<TierResult> {
    const { clock, emit, backoff } = this.context;
    const active = backoff.active();
    if (active !== undefined) {
      throw new TokenUnavailableError(
        `no usable token: the token endpoint is backed off until ${new Date(active.until).toISOString()} (${active.reason})`,
      );
    }
    const started = clock();
    try {
      const token = await this.source.getToken({
        signal: request.deadline.signal,
        ...(revokedBy(request.intent) !== undefined ? { forceRefresh: true } : {}),
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
      const until = backoff.untilAfter(error);
      if (until !== undefined) backoff.remember(until, describeFailure(error));
      throw error;
    }
  }
}
