/**
 * In-process single-flight (design guarantee 6), after smithy-typescript's `memoize`: one
 * pending promise shared by every concurrent caller, forgotten in `finally` only if it is still
 * the current one, so a failure is never cached and a newer flight is never cleared by an older.
 */

/**
 * Shares one in-flight run of an async function among concurrent callers.
 *
 * @example
 * ```ts
 * const flight = new SingleFlight<Token>();
 * const [a, b] = await Promise.all([flight.run(fetchToken), flight.run(fetchToken)]); // one fetch
 * ```
 */
export class SingleFlight<T> {
  #current: Promise<T> | undefined;

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.#current !== undefined;
  }

  /** Joins the current run, or starts `task` when none is running. */
  run(task: () => Promise<T>): Promise<T> {
    return this.#current ?? this.start(task);
  }

  /** Starts `task` even if a run is in progress; later `run()` callers join the new one. */
  start(task: () => Promise<T>): Promise<T> {
    // Starting from a resolved promise keeps a synchronous throw inside the flight (never cached).
    const promise: Promise<T> = Promise.resolve()
      .then(task)
      .finally(() => {
        // Only the run that is still current may clear the slot (a forced run may have replaced it).
        if (this.#current === promise) this.#current = undefined;
      });
    this.#current = promise;
    return promise;
  }
}
