/**
 * Fault rules: per target (`ssm`, `ssm.PutParameter`, `secretsmanager`, `idp.token`, `api`),
 * an added latency and/or a failure chosen with a probability, optionally for a limited number
 * of requests. The most specific rule wins (`ssm.GetParameter` over `ssm`).
 */
import type { FaultKind, FaultSpec, Faults, FaultTarget } from './contract.js';

/**
 * Every failure a rule can produce.
 *
 * @example
 * ```ts
 * for (const failure of FAULT_KINDS) stack.faults.set('ssm', { failure, count: 1 });
 * ```
 */
export const FAULT_KINDS: readonly FaultKind[] = [
  'http-500',
  'http-503',
  'throttle',
  'too-many-updates',
  'access-denied',
  'unauthorized',
  'rate-limit-429',
  'malformed',
  'reset',
  'hang',
];

/** What happens to one request. */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly failure?: FaultKind;
  readonly hangMs?: number;
  readonly rateLimitResetEpochSeconds?: number;
  /** The rule's target, for counters. */
  readonly target: FaultTarget;
}

/** Fault controls plus the lookup the request pipeline uses. */
export interface FaultTable extends Faults {
  /**
   * Decides the fate of a request to `key` (e.g. `ssm.GetParameter`) about `resource` (a
   * parameter or secret name, if any); consumes `count`.
   */
  decide(key: string, resource?: string): FaultDecision | undefined;
  /** The rules currently set, for the control API. */
  list(): Record<FaultTarget, FaultSpec>;
}

/**
 * Checks a rule, throwing a `TypeError` that names the bad field.
 *
 * @example
 * ```ts
 * validateFaultSpec({ failure: 'throttle', failureRate: 0.5 }); // ok
 * ```
 */
export function validateFaultSpec(spec: FaultSpec): void {
  const nonNegative = (field: keyof FaultSpec) => {
    const value = spec[field];
    if (
      value !== undefined &&
      (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    ) {
      throw new TypeError(
        `fault "${field}" must be a non-negative number, got ${JSON.stringify(value)}`,
      );
    }
  };
  nonNegative('latencyMs');
  nonNegative('hangMs');
  nonNegative('rateLimitResetEpochSeconds');
  if (
    spec.failureRate !== undefined &&
    (typeof spec.failureRate !== 'number' || !(spec.failureRate >= 0 && spec.failureRate <= 1))
  ) {
    throw new TypeError(
      `fault "failureRate" must be a number in [0, 1], got ${JSON.stringify(spec.failureRate)}`,
    );
  }
  if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1)) {
    throw new TypeError(
      `fault "count" must be a positive integer, got ${JSON.stringify(spec.count)}`,
    );
  }
  if (spec.failure !== undefined && !FAULT_KINDS.includes(spec.failure)) {
    throw new TypeError(
      `fault "failure" must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(spec.failure)}`,
    );
  }
}

/**
 * Creates an empty fault table. `random` is injectable so failure rates are testable.
 *
 * @example
 * ```ts
 * const faults = createFaultTable(Math.random);
 * faults.set('ssm.GetParameter', { failure: 'throttle', count: 1 });
 * faults.decide('ssm.GetParameter'); // { failure: 'throttle', latencyMs: 0, target: 'ssm.GetParameter' }
 * ```
 */
export function createFaultTable(random: () => number): FaultTable {
  const rules = new Map<FaultTarget, { spec: FaultSpec; remaining: number }>();
  return {
    set(target, spec) {
      if (typeof target !== 'string' || target === '') {
        throw new TypeError(
          'fault target must be a non-empty string such as "ssm" or "ssm.GetParameter"',
        );
      }
      validateFaultSpec(spec);
      rules.set(target, { spec: { ...spec }, remaining: spec.count ?? Number.POSITIVE_INFINITY });
    },
    clear(target) {
      if (target === undefined) rules.clear();
      else rules.delete(target);
    },
    list() {
      return Object.fromEntries([...rules.entries()].map(([target, rule]) => [target, rule.spec]));
    },
    decide(key, resource) {
      // "ssm.GetParameter" about "/a" → try "ssm.GetParameter:/a", "ssm:/a" (a rule naming the
      // resource wins, as an explicit deny in a policy does), then "ssm.GetParameter", "ssm".
      const parts = key.split('.');
      const prefixes = parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
      const targets =
        resource === undefined
          ? prefixes
          : [...prefixes.map((target) => `${target}:${resource}`), ...prefixes];
      for (const target of targets) {
        const rule = rules.get(target);
        if (rule === undefined) continue;
        rule.remaining -= 1;
        if (rule.remaining <= 0) rules.delete(target);
        const { spec } = rule;
        const fails = spec.failure !== undefined && random() < (spec.failureRate ?? 1);
        return {
          target,
          latencyMs: spec.latencyMs ?? 0,
          ...(fails ? { failure: spec.failure } : {}),
          ...(spec.hangMs === undefined ? {} : { hangMs: spec.hangMs }),
          ...(spec.rateLimitResetEpochSeconds === undefined
            ? {}
            : { rateLimitResetEpochSeconds: spec.rateLimitResetEpochSeconds }),
        };
      }
      return undefined;
    },
  };
}
