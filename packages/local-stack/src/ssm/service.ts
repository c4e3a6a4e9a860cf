/**
 * The SSM service: dispatches JSON 1.1 operations, applies the account-wide throttles and
 * detects writes that race each other on one parameter (`TooManyUpdates`).
 */
import { AwsError, LOCAL_ACCOUNT_ID, type SigV4Credential } from '../aws-json.js';
import type { MutableCounters } from '../counters.js';
import { createTokenBucket, type TokenBucket } from '../throttle.js';
import type { SsmContext, SsmInput } from './context.js';
import { ParameterStore } from './parameter-store.js';
import {
  describeParameters,
  getParameter,
  getParameterHistory,
  getParameters,
} from './read-operations.js';
import { createSecureStringCipher } from './secure-string.js';
import { deleteParameter, labelParameterVersion, putParameter } from './write-operations.js';

type Operation = (context: SsmContext, input: SsmInput) => Record<string, unknown>;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  GetParameter: getParameter,
  GetParameters: getParameters,
  GetParameterHistory: getParameterHistory,
  DescribeParameters: describeParameters,
  PutParameter: putParameter,
  DeleteParameter: deleteParameter,
  LabelParameterVersion: labelParameterVersion,
};

/**
 * Operations that draw from the account's shared read bucket (GetParameter, GetParameters and
 * GetParametersByPath share the 40 TPS default per "AWS Systems Manager endpoints and quotas").
 */
const READ_OPERATIONS = new Set(['GetParameter', 'GetParameters']);
/** Operations that draw from the write bucket (PutParameter: 3 TPS by default). */
const WRITE_OPERATIONS = new Set(['PutParameter']);
/** Operations that modify one named parameter and so can race each other. */
const MUTATING_OPERATIONS = new Set(['PutParameter', 'DeleteParameter', 'LabelParameterVersion']);

/** Options of the SSM service. */
export interface SsmServiceOptions {
  readonly now: () => number;
  readonly counters: MutableCounters;
  /** Default 40; 0 = unlimited. */
  readonly readsPerSecond?: number;
  /** Default 3; 0 = unlimited. */
  readonly writesPerSecond?: number;
  /**
   * After a write to a parameter completes, further writes to it within this many ms answer
   * `TooManyUpdates` (default 0: only writes that overlap in flight conflict).
   */
  readonly updateConflictWindowMs?: number;
}

/** A request admitted by the service, to run once faults have been applied. */
export interface SsmCall {
  run(): Record<string, unknown>;
  /** Ends the call's in-flight claim on its parameter; always called, even after a fault. */
  release(): void;
}

/** The running SSM service. */
export interface SsmService {
  readonly store: ParameterStore;
  readonly reads: TokenBucket;
  readonly writes: TokenBucket;
  isOperation(operation: string): boolean;
  /** Admits a request: records an in-flight write so a racing write sees it. */
  begin(operation: string, input: SsmInput, credential: SigV4Credential): SsmCall;
  reset(): void;
}

/**
 * Creates the SSM service with AWS's default throttles unless told otherwise.
 *
 * @example
 * ```ts
 * const ssm = createSsmService({ now: Date.now, counters, readsPerSecond: 0, writesPerSecond: 0 });
 * ssm.begin('GetParameter', { Name: '/a' }, credential).run();
 * ```
 */
export function createSsmService(options: SsmServiceOptions): SsmService {
  const store = new ParameterStore();
  const cipher = createSecureStringCipher();
  const reads = createTokenBucket(options.readsPerSecond ?? 40, options.now);
  const writes = createTokenBucket(options.writesPerSecond ?? 3, options.now);
  const conflictWindowMs = options.updateConflictWindowMs ?? 0;
  const inFlight = new Map<string, number>();
  const lastWriteAt = new Map<string, number>();

  return {
    store,
    reads,
    writes,
    isOperation: (operation) => Object.hasOwn(OPERATIONS, operation),
    reset() {
      store.clear();
      inFlight.clear();
      lastWriteAt.clear();
    },
    begin(operation, input, credential) {
      const handler = OPERATIONS[operation] as Operation;
      const name =
        MUTATING_OPERATIONS.has(operation) && typeof input.Name === 'string'
          ? input.Name
          : undefined;
      // A write that arrives while another write to the same parameter is in flight (or within
      // the configured window after one) loses the race, as concurrent PutParameter calls can in
      // AWS. The SDK does not retry TooManyUpdates.
      const racing =
        name !== undefined &&
        ((inFlight.get(name) ?? 0) > 0 ||
          (conflictWindowMs > 0 &&
            options.now() - (lastWriteAt.get(name) ?? -Infinity) < conflictWindowMs));
      if (name !== undefined) inFlight.set(name, (inFlight.get(name) ?? 0) + 1);
      let released = false;
      return {
        release() {
          if (released || name === undefined) return;
          released = true;
          const remaining = (inFlight.get(name) ?? 1) - 1;
          if (remaining > 0) inFlight.set(name, remaining);
          else inFlight.delete(name);
        },
        run() {
          const bucket = READ_OPERATIONS.has(operation)
            ? reads
            : WRITE_OPERATIONS.has(operation)
              ? writes
              : undefined;
          if (bucket !== undefined && !bucket.tryTake()) {
            options.counters.increment('ssm.throttled');
            throw new AwsError('ThrottlingException', 'Rate exceeded');
          }
          if (racing) {
            options.counters.increment('ssm.tooManyUpdates');
            throw new AwsError('TooManyUpdates', '');
          }
          const context: SsmContext = {
            store,
            cipher,
            now: options.now,
            region: credential.region,
            accountId: LOCAL_ACCOUNT_ID,
            user: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${credential.accessKeyId}`,
          };
          const result = handler(context, input);
          if (name !== undefined) lastWriteAt.set(name, options.now());
          return result;
        },
      };
    },
  };
}
