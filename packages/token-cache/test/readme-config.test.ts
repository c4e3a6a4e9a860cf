import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, DEFAULTS } from '../src/config/variables.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const configSection = readme.slice(
  readme.indexOf('## Configuration'),
  readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
);

describe("the README's configuration table", () => {
  // CONFIG_VARIABLES rows may document two variables at once ("A / B").
  const names = CONFIG_VARIABLES.flatMap((row) => row.name.split(' / '));

  it.each(names)('lists %s', (name) => {
    expect(configSection).toContain(`\`${name}\``);
  });

  it('states the defaults the code uses', () => {
    expect(configSection).toContain(`\`${DEFAULTS.parameterName}\``);
    expect(configSection).toContain(`\`${DEFAULTS.region}\``);
    expect(configSection).toContain(`\`${DEFAULTS.refreshWindowMs}\``);
    expect(configSection).toContain(`\`${DEFAULTS.deadlineMs}\``);
  });
});
