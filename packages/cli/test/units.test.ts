import {
  ConfigError,
  StoreError,
  TokenEndpointError,
  TokenUnavailableError,
} from '@token-cache/core/internal';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/duration.js';
import { describeFailure } from '../src/failure.js';
import { effectiveEnv } from '../src/flags.js';
import { Output } from '../src/output.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text, '--x')).toBe(ms);
  });

  it.each(['', '10', 'm', '10 minutes', '5x', '1h-2m'])('rejects "%s", naming the flag', (text) => {
    expect(() => parseDuration(text, '--if-expiring-within')).toThrow(
      /--if-expiring-within must be a duration/,
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [61_000, '1m 1s'],
    [86_340_000, '23h 59m'],
    [90_061_000, '1d 1h'],
    [-250_000, '-4m 10s'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('describeFailure', () => {
  it('maps configuration errors to exit 2 with the flag that set the variable', () => {
    const failure = describeFailure(new ConfigError('AWS_REGION', 'a region name'), (variable) =>
      variable === 'AWS_REGION' ? '--region' : undefined,
    );
    expect(failure).toMatchObject({
      exitCode: 2,
      variable: '--region',
      message: '--region: AWS_REGION must be a region name',
    });
  });

  it('maps a token-unavailable error to the exit code of its cause', () => {
    const endpoint = new TokenEndpointError('ENDPOINT_ERROR', 'rejected', {
      status: 401,
      error: 'access_denied',
    });
    expect(
      describeFailure(new TokenUnavailableError('no token', { cause: endpoint })),
    ).toMatchObject({
      exitCode: 4,
      status: 401,
      error: 'access_denied',
    });
    const store = new StoreError('access-denied', 'PutParameter', 'denied');
    expect(describeFailure(new TokenUnavailableError('no token', { cause: store }))).toMatchObject({
      exitCode: 3,
      kind: 'access-denied',
    });
  });

  it('names the network code of a bare SDK error', () => {
    const refused = Object.assign(new Error(''), { code: 'ECONNREFUSED' });
    expect(
      describeFailure(new TokenUnavailableError('secret unreadable', { cause: refused })).message,
    ).toBe('secret unreadable (ECONNREFUSED)');
  });
});

describe('effectiveEnv', () => {
  it('lets a flag override its variable and remembers which flag did', () => {
    const { env, flagFor } = effectiveEnv(
      { AWS_REGION: 'us-west-2', KEEP: 'x' },
      { region: 'eu-west-1' },
    );
    expect(env).toMatchObject({ AWS_REGION: 'eu-west-1', KEEP: 'x' });
    expect(flagFor('AWS_REGION')).toBe('--region');
    expect(flagFor('AUTH0_DOMAIN')).toBeUndefined();
  });
});

describe('Output', () => {
  const capture = (json: boolean) => {
    const printed = { stdout: '', stderr: '' };
    const out = new Output(
      {
        stdout: (text) => {
          printed.stdout += text;
        },
        stderr: (text) => {
          printed.stderr += text;
        },
        env: {},
      },
      { json },
    );
    return { out, printed };
  };
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

  it('redacts registered secrets and JWTs, except the token the user asked for', () => {
    const { out, printed } = capture(false);
    out.addSecret('super-secret-value');
    out.result({}, [`secret super-secret-value token ${jwt}`]);
    out.result({}, [`shown ${jwt}`], jwt);
    expect(printed.stdout).toBe(`secret [redacted] token [redacted]\nshown ${jwt}\n`);
  });

  it('prints exactly one JSON document per result or failure with --json', () => {
    const { out, printed } = capture(true);
    out.failure({ exitCode: 3, code: 'STORE_ERROR', message: 'denied', kind: 'access-denied' });
    expect(JSON.parse(printed.stdout)).toEqual({
      ok: false,
      exitCode: 3,
      error: { code: 'STORE_ERROR', message: 'denied', kind: 'access-denied' },
    });
    expect(printed.stderr).toBe('');
  });
});
