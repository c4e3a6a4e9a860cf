/**
 * A small seeded pseudo-random generator, so one seed always yields the same arrival trace:
 * three strategies compared on one trace must see exactly the same containers and invocations.
 * `Math.random` cannot be seeded, hence our own (SplitMix32-style mixing of a Weyl sequence).
 */

/** Returns numbers uniformly distributed in [0, 1). */
export type Random = () => number;

/**
 * Creates a deterministic generator for `seed` (any 32-bit integer).
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // always the same first value for seed 42
 * ```
 */
export function seededRandom(seed: number): Random {
  if (!Number.isInteger(seed)) {
    throw new TypeError(`seed must be an integer, got ${JSON.stringify(seed)}`);
  }
  // A Weyl sequence (add an odd constant) visits every 32-bit state once; the mixing below
  // (multiply-xorshift rounds) spreads consecutive states over the whole range.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    mixed ^= mixed >>> 16;
    return (mixed >>> 0) / 0x1_0000_0000;
  };
}

/**
 * Draws from [min, max) uniformly.
 *
 * @example
 * ```ts
 * uniform(seededRandom(1), 15, 45); // a container lifetime in minutes
 * ```
 */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/**
 * Draws an exponentially distributed gap with the given mean: the time between events of a
 * Poisson process, the textbook model of independent arrivals.
 *
 * @example
 * ```ts
 * exponential(seededRandom(1), 100); // on average 100
 * ```
 */
export function exponential(random: Random, mean: number): number {
  // 1 - random() is in (0, 1], so the logarithm is finite.
  return -mean * Math.log(1 - random());
}
