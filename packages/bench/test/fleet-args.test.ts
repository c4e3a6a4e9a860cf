import { describe, expect, it } from 'vitest';
import { parseFleetArgs } from '../src/fleet-args.js';
import { SCENARIOS } from '../src/scenarios.js';

describe('parseFleetArgs', () => {
  it('runs every scenario with seed 1 by default', () => {
    const command = parseFleetArgs([]);
    expect(command.scenarios.map((s) => s.name)).toEqual(SCENARIOS.map((s) => s.name));
    expect(command.seed).toBe(1);
    expect(command.inProcess).toBe(false);
  });

  it('selects one scenario, files, a seed and strategies', () => {
    const command = parseFleetArgs([
      '--scenario',
      'cold-burst',
      '--out',
      'r.json',
      '--svg',
      'r.svg',
      '--seed',
      '7',
      '--strategies',
      'memory-only,shared',
    ]);
    expect(command.scenarios).toHaveLength(1);
    expect(command.scenarios[0]?.name).toBe('cold-burst');
    expect(command.scenarios[0]?.strategies).toEqual(['memory-only', 'shared']);
    expect(command).toMatchObject({ out: 'r.json', svg: 'r.svg', seed: 7 });
  });

  it.each([
    [['--scenario', 'nope'], /--scenario must be one of steady, .*; got "nope"/],
    [['--seed=-1'], /--seed must be a non-negative integer, got "-1"/],
    [['--seed', '1.5'], /--seed must be a non-negative integer/],
    [['--strategies', 'shared,bogus'], /--strategies must list names from .*; got "bogus"/],
    [['--strategies', 'shared,shared'], /must not repeat/],
    [['--out', ''], /--out must be a file path/],
    [['--unknown'], /Unknown option '--unknown'/],
  ])('rejects %j with an error naming the option', (argv, message) => {
    expect(() => parseFleetArgs(argv)).toThrow(message);
  });
});
