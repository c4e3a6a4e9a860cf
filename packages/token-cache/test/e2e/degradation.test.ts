/**
 * Graceful degradation (design guarantee 5): a failing store never stops a token from the
 * endpoint, and a failing endpoint never stops a usable stored token from being served.
 */
import type { FaultKind, LocalStack } from '@token-cache/local-stack';
import { describe, expect, it } from 'vitest';
import { TokenUnavailableError } from '../../src/errors.js';
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
    ['throttling every call', 'throttle'],
    ['answering TooManyUpdates', 'too-many-updates'],
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
    expect(
      recorder.events.some(
        (event) => event.type === 'store-error' || event.type === 'store-throttle',
      ),
    ).toBe(true);
    // Served again from memory: the broken store is not asked for every call.
    const issued = stack.counters.get('idp.issued');
    expect((await cache.getToken()).accessToken).toBe(token.accessToken);
    expect(stack.counters.get('idp.issued')).toBe(issued);
  });
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
