/**
 * The switches and edges of `createTokenCacheFromEnv()` on the real stack: the rollback switch,
 * a token too big for the parameter, refused transports, and secrets kept out of every log.
 */
import type { LocalStack } from '@token-cache/local-stack';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenCacheFromEnv } from '../../src/config/from-env.js';
import { ConfigError } from '../../src/errors.js';
import {
  containerCache,
  eventRecorder,
  exposedText,
  rejectionOf,
  ssmClientFor,
  stackCacheEnv,
  uniqueParameterName,
  useStack,
} from './stack-helpers.js';

let stack: LocalStack;
useStack((started) => {
  stack = started;
});
afterEach(() => {
  vi.restoreAllMocks();
});

const ssmRequests = () =>
  Object.entries(stack.counters.snapshot())
    .filter(([key]) => key.startsWith('ssm.'))
    .reduce((sum, [, count]) => sum + count, 0);

describe('TOKEN_CACHE_SHARED=off', () => {
  it('makes no SSM request at all, and still caches in memory', async () => {
    const cache = containerCache(stack, uniqueParameterName('off'), {
      env: { TOKEN_CACHE_SHARED: 'off' },
    });
    const first = await cache.getToken();
    for (let call = 0; call < 5; call++)
      expect((await cache.getToken()).accessToken).toBe(first.accessToken);
    await cache.clear();
    await cache.getToken();
    expect(ssmRequests()).toBe(0);
    expect(stack.counters.get('idp.issued')).toBe(2);
  });

  it('gives each container its own token (nothing shared)', async () => {
    const name = uniqueParameterName('off-two');
    await containerCache(stack, name, { env: { TOKEN_CACHE_SHARED: 'off' } }).getToken();
    await containerCache(stack, name, { env: { TOKEN_CACHE_SHARED: 'off' } }).getToken();
    expect(stack.counters.get('idp.issued')).toBe(2);
    expect(ssmRequests()).toBe(0);
  });
});

describe('a token too big for the Standard tier', () => {
  it('warns once, keeps the token in memory only, and never crashes', async () => {
    // A client whose grant carries ~5,000 characters of scope: the JWT outgrows 4,096.
    const scope = Array.from({ length: 500 }, (_, i) => `read:thing${i}`).join(' ');
    stack.idp.addClient({
      clientId: 'big-token-client',
      clientSecret: 'big-token-secret',
      grants: [{ audience: stack.env.AUTH0_AUDIENCE ?? '', scope }],
    });
    const recorder = eventRecorder();
    const cache = containerCache(stack, uniqueParameterName('too-large'), {
      env: { AUTH0_M2M_CLIENT_ID: 'big-token-client', AUTH0_M2M_CLIENT_SECRET: 'big-token-secret' },
      overrides: { onEvent: recorder.listener },
    });

    const token = await cache.getToken();
    expect(token.accessToken.length).toBeGreaterThan(4096);
    const writesAfterFirst = stack.counters.get('ssm.PutParameter');
    expect((await cache.getToken()).accessToken).toBe(token.accessToken);

    const disabled = recorder.events.filter((event) => event.type === 'store-disabled');
    expect(disabled).toHaveLength(1);
    expect(JSON.stringify(disabled)).toMatch(/Standard tier allows 4096/);
    expect(stack.counters.get('idp.issued')).toBe(1);
    // The token itself was never sent to SSM (only the lease may have been).
    expect(stack.counters.get('ssm.PutParameter')).toBe(writesAfterFirst);
    expect(recorder.text()).not.toContain(token.accessToken);
  });
});

describe('the too-large warning', () => {
  it('is logged by the default telemetry as a warning, without the token', async () => {
    const lines: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    // Powertools' Logger writes through its own Console: warnings go to stderr.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
    const scope = Array.from({ length: 500 }, (_, i) => `write:thing${i}`).join(' ');
    stack.idp.addClient({
      clientId: 'big-token-client-2',
      clientSecret: 'big-token-secret-2',
      grants: [{ audience: stack.env.AUTH0_AUDIENCE ?? '', scope }],
    });
    const env = stackCacheEnv(stack, {
      AUTH0_TOKEN_PARAMETER_NAME: uniqueParameterName('too-large-log'),
      AUTH0_M2M_CLIENT_ID: 'big-token-client-2',
      AUTH0_M2M_CLIENT_SECRET: 'big-token-secret-2',
    });
    const cache = createTokenCacheFromEnv(env, { ssmClient: ssmClientFor(stack) });
    const token = await cache.getToken();
    expect(token.accessToken.length).toBeGreaterThan(4096);
    await cache.getToken();
    // The default telemetry loads Powertools on its first event and logs what it buffered then.
    await cache.flushMetrics();

    const warning = lines.find((line) => line.includes('shared store disabled'));
    expect(warning).toBeDefined();
    expect(warning).toMatch(/WARN/i);
    expect(lines.join('\n')).not.toContain(token.accessToken);
  });
});

describe('transport rules', () => {
  it('refuses http:// to a non-loopback token endpoint before any request', () => {
    const error = (() => {
      try {
        createTokenCacheFromEnv(
          stackCacheEnv(stack, { AUTH0_DOMAIN: 'http://tenant.example.com' }),
          {
            onEvent: false,
          },
        );
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('AUTH0_DOMAIN');
    expect(Object.keys(stack.counters.snapshot())).toEqual([]);
  });

  it('refuses the same for the RFC 6749 provider', () => {
    expect(() =>
      createTokenCacheFromEnv(
        stackCacheEnv(stack, {
          TOKEN_CACHE_PROVIDER: 'oauth2',
          TOKEN_CACHE_TOKEN_ENDPOINT: 'http://10.0.0.8/oauth/token',
        }),
        { onEvent: false },
      ),
    ).toThrow(/^TOKEN_CACHE_TOKEN_ENDPOINT must be an https:\/\/ URL/);
  });

  it('gets a shared token through the RFC 6749 provider (client_secret_post) too', async () => {
    const name = uniqueParameterName('oauth2');
    const env = {
      TOKEN_CACHE_PROVIDER: 'oauth2',
      TOKEN_CACHE_TOKEN_ENDPOINT: stack.tokenEndpoint,
      TOKEN_CACHE_AUTH_METHOD: 'client_secret_post',
      TOKEN_CACHE_ISSUER: stack.issuer,
    };
    const first = await containerCache(stack, name, { env }).getToken();
    const second = await containerCache(stack, name, { env }).getToken();
    expect(second.accessToken).toBe(first.accessToken);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });
});

describe('secrets stay secret', () => {
  it('no token or client secret in any log line, event or error, through successes and failures', async () => {
    const captured: string[] = [];
    const capture = (...args: unknown[]) => {
      captured.push(args.map((arg) => (typeof arg === 'string' ? arg : safeJson(arg))).join(' '));
    };
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation(capture);
    }
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    });

    const name = uniqueParameterName('secrets');
    // Default telemetry (Powertools logs + EMF metrics), as in production.
    const env = stackCacheEnv(stack, {
      AUTH0_TOKEN_PARAMETER_NAME: name,
      TOKEN_CACHE_METRICS: 'on',
      TOKEN_CACHE_DEADLINE_MS: '3000',
      TOKEN_CACHE_STORE_TIMEOUT_MS: '200',
    });
    const make = () => createTokenCacheFromEnv(env, { ssmClient: ssmClientFor(stack) });
    const tokens: string[] = [];
    const errors: unknown[] = [];

    const healthy = make();
    tokens.push((await healthy.getToken()).accessToken);
    await healthy.flushMetrics();
    stack.faults.set('ssm', { failure: 'access-denied' });
    tokens.push((await make().getToken()).accessToken);
    stack.faults.set('idp.token', { failure: 'access-denied' });
    errors.push(await rejectionOf(make().getToken()));
    stack.faults.clear();
    stack.faults.set('idp.token', { failure: 'rate-limit-429' });
    const forced = make();
    // Whether it serves the stored token or fails, nothing it says may leak.
    await forced.getToken({ forceRefresh: true }).catch((error: unknown) => errors.push(error));
    await forced.flushMetrics();
    stack.faults.clear();
    await healthy.clear();
    await healthy.flushMetrics();

    const secret = stack.env.AUTH0_M2M_CLIENT_SECRET ?? '';
    const everything = [...captured, ...errors.map(exposedText)].join('\n');
    expect(captured.length).toBeGreaterThan(0); // the test did capture the logs
    expect(everything).not.toContain(secret);
    for (const token of tokens) {
      expect(everything).not.toContain(token);
      // Not even the signature part of the JWT.
      expect(everything).not.toContain(token.split('.')[2]);
    }
  });
});

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
