/**
 * Graceful degradation: a failing store never stops a token from the endpoint (a throttled one
 * does, unless asked: busy is not down), and a failing endpoint never stops a usable stored
 * token from being served.
 */
import type { FaultKind, LocalStack } from '@token-cache/local-stack';
import { describe, expect, it } from 'vitest';
import { StoreThrottledError, TokenUnavailableError } from '../../src/errors.js';
import {
  containerCache,
  eventRecorder,
  exposedText,
  rejectionOf,
  uniqueParameterName,
  useStack,
} from './stack-helpers.js';

let stack: LocalStack;
useStack((started) => {
  stack = started;
});

/** Short bounds so a dead store costs milliseconds, not the production defaults. */
const FAST = {
  TOKEN_CACHE_DEADLINE_MS: '3000',
  TOKEN_CACHE_STORE_TIMEOUT_MS: '200',
  TOKEN_CACHE_ENDPOINT_TIMEOUT_MS: '1000',
};

describe('the store fails: the token comes from the endpoint', () => {
  it.each([
    ['down (503)', 'http-503'],
    ['down (connection reset)', 'reset'],
    ['denying access', 'access-denied'],
    ['hanging', 'hang'],
  ] as Array<[string, FaultKind]>)('SSM %s', async (_label, failure) => {
    stack.faults.set('ssm', { failure, ...(failure === 'hang' ? { hangMs: 5_000 } : {}) });
    const recorder = eventRecorder();
    const cache = containerCache(stack, uniqueParameterName('store-down'), {
      env: FAST,
      overrides: { onEvent: recorder.listener },
    });

    const token = await cache.getToken();

    expect(token.accessToken.length).toBeGreaterThan(0);
    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(recorder.events.some((event) => event.type === 'store-error')).toBe(true);
    // The lease-less call is counted.
    expect(recorder.events.some((event) => event.type === 'deadline-fallback')).toBe(true);
    // Served again from memory: the broken store is not asked for every call.
    const issued = stack.counters.get('idp.issued');
    expect((await cache.getToken()).accessToken).toBe(token.accessToken);
    expect(stack.counters.get('idp.issued')).toBe(issued);
  });
});

describe('the store is throttled: busy, not down', () => {
  it.each([
    ['throttling every call', 'throttle'],
    ['answering TooManyUpdates', 'too-many-updates'],
  ] as Array<[string, FaultKind]>)(
    'SSM %s: a typed error, no endpoint call without the lease',
    async (_label, failure) => {
      stack.faults.set('ssm', { failure });
      const recorder = eventRecorder();
      const cache = containerCache(stack, uniqueParameterName('store-busy'), {
        env: FAST,
        overrides: { onEvent: recorder.listener },
      });

      const error = await rejectionOf(cache.getToken());

      expect(error).toBeInstanceOf(StoreThrottledError);
      expect(error).toBeInstanceOf(TokenUnavailableError);
      expect(stack.counters.get('idp.token')).toBe(0);
      expect(recorder.events.some((event) => event.type === 'store-throttle')).toBe(true);
      expect(recorder.events.some((event) => event.type === 'deadline-fallback')).toBe(false);
    },
  );

  it.each([
    ['throttling every call', 'throttle'],
    ['answering TooManyUpdates', 'too-many-updates'],
  ] as Array<[string, FaultKind]>)(
    'SSM %s with TOKEN_CACHE_THROTTLE_FALLBACK=on: the endpoint, counted',
    async (_label, failure) => {
      stack.faults.set('ssm', { failure });
      const recorder = eventRecorder();
      const cache = containerCache(stack, uniqueParameterName('store-busy-fallback'), {
        env: { ...FAST, TOKEN_CACHE_THROTTLE_FALLBACK: 'on' },
        overrides: { onEvent: recorder.listener },
      });

      const token = await cache.getToken();

      expect(token.accessToken.length).toBeGreaterThan(0);
      expect(stack.counters.get('idp.issued')).toBe(1);
      expect(recorder.events.some((event) => event.type === 'deadline-fallback')).toBe(true);
      const issued = stack.counters.get('idp.issued');
      expect((await cache.getToken()).accessToken).toBe(token.accessToken);
      expect(stack.counters.get('idp.issued')).toBe(issued);
    },
  );
});

describe('the endpoint fails: a usable stored token is served', () => {
  it('serves the fresh stored token to a new container while the IdP is down', async () => {
    const name = uniqueParameterName('idp-down');
    const written = await containerCache(stack, name, { env: FAST }).getToken();
    stack.faults.set('idp.token', { failure: 'http-503' });

    const token = await containerCache(stack, name, { env: FAST }).getToken();

    expect(token.accessToken).toBe(written.accessToken);
    expect(stack.counters.get('idp.issued')).toBe(1);
  });

  it('serves a stored token past its refresh point (but usable) while the IdP answers 429', async () => {
    const name = uniqueParameterName('idp-429');
    const written = await containerCache(stack, name, { env: FAST }).getToken();
    stack.faults.set('idp.token', { failure: 'rate-limit-429' });
    const recorder = eventRecorder();

    // The second container lives 2 minutes before the token's expiry: inside the 5-minute
    // refresh window (due, with no jitter) yet above the 30 s minimum remaining life (usable).
    const nearExpiry = () => written.expiresAt - 120_000 + (Date.now() - started);
    const started = Date.now();
    const token = await containerCache(stack, name, {
      env: FAST,
      overrides: { onEvent: recorder.listener, random: () => 0, clock: nearExpiry },
    }).getToken();

    expect(token.accessToken).toBe(written.accessToken);
    expect(stack.counters.get('idp.issued')).toBe(1);
    expect(stack.counters.get('idp.token')).toBeGreaterThanOrEqual(2); // it did try to refresh
    expect(recorder.events.some((event) => event.type === 'stale-serve')).toBe(true);
  });

  it('fails with TokenUnavailableError, naming the cause but not the secret, when nothing is usable', async () => {
    stack.faults.set('idp.token', { failure: 'access-denied' });
    const recorder = eventRecorder();
    const error = await rejectionOf(
      containerCache(stack, uniqueParameterName('nothing'), {
        env: FAST,
        overrides: { onEvent: recorder.listener },
      }).getToken(),
    );
    expect(error).toBeInstanceOf(TokenUnavailableError);
    const text = exposedText(error);
    expect(text).toMatch(/401|access_denied/);
    expect(text).not.toContain(stack.env.AUTH0_M2M_CLIENT_SECRET);
    expect(recorder.text()).not.toContain(stack.env.AUTH0_M2M_CLIENT_SECRET);
  });
});
