/**
 * Simulates a container that dies mid-refresh (the `lease-holder-crash` scenario). A Lambda
 * environment killed by a timeout or an out-of-memory error stops executing: no `finally`, no
 * lease release, no store write. In one process we get the same effect by never settling any
 * I/O the container starts after it "dies", so none of its code runs again.
 */

/** The kill switch of one simulated container. */
export interface CrashSwitch {
  readonly crashed: boolean;
  /** Kills the container: every later (and every pending gated) I/O never settles. */
  crash(): void;
  /** Runs `work` unless crashed; if the container dies meanwhile, the result is never delivered. */
  gate<T>(work: () => Promise<T>): Promise<T>;
}

const NEVER: Promise<never> = new Promise<never>(() => {});

/**
 * Creates a live switch.
 *
 * @example
 * ```ts
 * const crash = createCrashSwitch();
 * const response = await crash.gate(() => fetch(url)); // normal while alive
 * crash.crash(); // from now on, crash.gate(...) never settles
 * ```
 */
export function createCrashSwitch(): CrashSwitch {
  let crashed = false;
  return {
    get crashed() {
      return crashed;
    },
    crash() {
      crashed = true;
    },
    async gate(work) {
      if (crashed) return NEVER;
      const result = await work();
      if (crashed) return NEVER;
      return result;
    },
  };
}

/**
 * A switch that never crashes, for ordinary containers.
 *
 * @example
 * ```ts
 * const crash = options.crashAfterEndpointResponse ? createCrashSwitch() : NO_CRASH;
 * ```
 */
export const NO_CRASH: CrashSwitch = {
  crashed: false,
  crash() {
    throw new Error('NO_CRASH cannot crash: create a switch with createCrashSwitch()');
  },
  gate: (work) => work(),
};
