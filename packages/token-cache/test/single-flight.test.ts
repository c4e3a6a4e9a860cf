import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../src/single-flight.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('shares one run among concurrent callers', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    let runs = 0;
    const task = () => {
      runs++;
      return gate.promise;
    };
    const callers = Array.from({ length: 100 }, () => flight.run(task));
    await Promise.resolve();
    gate.resolve(7);
    expect(await Promise.all(callers)).toEqual(Array(100).fill(7));
    expect(runs).toBe(1);
    expect(flight.running).toBe(false);
  });

  it('never caches a failure: the next call runs again', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    await expect(
      flight.run(async () => {
        runs++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await flight.run(async () => ++runs)).toBe(2);
  });

  it('keeps a synchronous throw inside the flight', async () => {
    const flight = new SingleFlight<number>();
    await expect(
      flight.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(flight.running).toBe(false);
  });

  it('does not let an older run clear a newer one', async () => {
    const flight = new SingleFlight<string>();
    const first = deferred<string>();
    const second = deferred<string>();
    const a = flight.run(() => first.promise);
    const b = flight.start(() => second.promise);
    first.resolve('old');
    await a;
    // The newer run is still current: a joiner shares it instead of starting a third run.
    const c = flight.run(async () => 'third');
    second.resolve('new');
    expect(await Promise.all([b, c])).toEqual(['new', 'new']);
  });
});
