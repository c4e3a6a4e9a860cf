/**
 * The one owner of back-off: when this container may call the token endpoint again, whether it
 * learned that from its own failed call or from the fleet's marker in the store. Every instant
 * is capped at `maxBackoffMs` from now, whatever a header or another container says.
 */
import { endpointFailureKind } from './endpoint-failure.js';
import type { ProtocolTuning } from './shared/tuning.js';

/** A back-off in force. */
export interface Backoff {
  readonly until: number;
  readonly reason: string;
}

/** What {@link BackoffState} needs. */
export interface BackoffSettings {
  readonly clock: () => number;
  readonly random: () => number;
  readonly maxBackoffMs: number;
  readonly errorBackoffMs: number;
  readonly tuning: ProtocolTuning;
}

/**
 * Container-wide back-off state.
 *
 * @example
 * ```ts
 * const until = backoff.untilAfter(error); // capped
 * if (until !== undefined) backoff.remember(until, 'HTTP 429');
 * backoff.active(); // { until, reason } while it lasts
 * ```
 */
export class BackoffState {
  #current: Backoff | undefined;

  constructor(private readonly settings: BackoffSettings) {}

  /**
   * When the endpoint may be asked again after `error`: a transient failure's own retry time
   * (`x-ratelimit-reset`, `Retry-After`) or a short jittered pause; a configuration failure's
   * error back-off. `undefined` when `error` is not an endpoint failure.
   */
  untilAfter(error: unknown): number | undefined {
    const kind = endpointFailureKind(error);
    if (kind === undefined) return undefined;
    const { clock, random, errorBackoffMs, tuning } = this.settings;
    const now = clock();
    if (kind === 'configuration') return this.capped(now + errorBackoffMs);
    const retryAt = (error as { retryAt?: number }).retryAt;
    if (retryAt !== undefined && retryAt > now) return this.capped(retryAt);
    const { minMs, maxMs } = tuning.transientBackoff;
    return now + minMs + Math.floor(random() * (maxMs - minMs));
  }

  /** Records a back-off (the later one wins), capped. */
  remember(until: number, reason: string): void {
    const capped = this.capped(until);
    if (this.#current === undefined || capped > this.#current.until) {
      this.#current = { until: capped, reason };
    }
  }

  /** The back-off in force now, if any. */
  active(): Backoff | undefined {
    const current = this.#current;
    if (current === undefined) return undefined;
    if (this.settings.clock() < current.until) return current;
    this.#current = undefined;
    return undefined;
  }

  /** `until`, but never more than the cap from now. */
  capped(until: number): number {
    return Math.min(until, this.settings.clock() + this.settings.maxBackoffMs);
  }
}
