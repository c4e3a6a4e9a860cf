/**
 * What a strategy is to the fleet simulator: a way to give each simulated container a cache
 * (fresh per container: its own memory), and the store it shares, if any.
 */
import type { BenchStack } from '../bench-stack.js';
import type { LocalDynamoDb } from '../dynamodb-local.js';
import type { TimingProfile } from '../timing.js';
import type { EventTally } from './event-tally.js';

/** The strategies a scenario can compare. */
export type StrategyName =
  | 'memory-only'
  | 'seed-two-tier'
  | 'powertools-parameters'
  | 'shared'
  | 'shared-dynamodb';

/** A token as the harness needs it: the credential to call the API with, and its expiry. */
export interface AcquiredToken {
  readonly accessToken: string;
  /** Epoch ms, as the strategy computed it. */
  readonly expiresAt: number;
}

/** Everything a strategy may use during one run. */
export interface StrategyEnvironment {
  readonly stack: BenchStack;
  readonly timing: TimingProfile;
  /** The cache parameter (the seed's `/vwc/dev/auth0-token-cache`). */
  readonly parameterName: string;
  /** A DynamoDB endpoint (dynalite), for `shared-dynamodb`. */
  readonly dynamo?: LocalDynamoDb;
}

/** Per-container options. */
export interface ContainerOptions {
  /**
   * The container dies right after its first token-endpoint response arrives: the token is
   * lost, nothing it started afterwards (store write, lease release) ever happens.
   */
  readonly crashAfterEndpointResponse?: boolean;
  /**
   * How far the container's clock runs ahead of the true time (negative: behind), ms. Only
   * strategies built on the library take an injected clock; the baselines use `Date.now`.
   */
  readonly clockSkewMs?: number;
}

/** One simulated Lambda execution environment. */
export interface SimulatedContainer {
  /** What the handler calls on every invocation. */
  getToken(): Promise<AcquiredToken>;
  /** Starts a refresh now (the crash scenario's victim). Baselines have no refresh: they fetch. */
  refreshNow(): Promise<AcquiredToken>;
  /**
   * Calls the protected API as the handler would. Without it the harness sends the token from
   * `getToken()` once, as the baselines' handlers do (no retry on a 401).
   */
  callApi?(url: string): Promise<Response>;
  /** The environment is reclaimed: release its SDK clients. */
  dispose(): void;
}

/** Store traffic the local stack's counters do not see (DynamoDB runs elsewhere). */
export interface StoreTraffic {
  readonly reads: number;
  readonly writes: number;
  readonly throttles: number;
}

/** A strategy opened for one run. */
export interface StrategyRun {
  createContainer(options?: ContainerOptions): SimulatedContainer;
  /** Traffic to a store outside the stack; `undefined` when the store is the stack's SSM. */
  storeTraffic?(): Promise<StoreTraffic>;
  /** Resets `storeTraffic` (after the warm-up). */
  resetStoreTraffic?(): Promise<void>;
  /** The cache's events summed over every container (strategies built on the library). */
  readonly events?: EventTally;
  close(): Promise<void>;
}

/**
 * A caching strategy under test.
 *
 * @example
 * ```ts
 * const run = await memoryOnly.open(environment);
 * const container = run.createContainer();
 * const { accessToken } = await container.getToken();
 * container.dispose();
 * await run.close();
 * ```
 */
export interface Strategy {
  readonly name: StrategyName;
  /** One line: what it does. */
  readonly summary: string;
  open(environment: StrategyEnvironment): Promise<StrategyRun>;
}
