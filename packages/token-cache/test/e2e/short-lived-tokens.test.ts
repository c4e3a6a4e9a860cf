/**
 * A token endpoint whose tokens live no longer than `TOKEN_CACHE_MIN_REMAINING_MS`, on the real
 * stack: the answer is a typed configuration error naming that variable, and the unusable token
 * never reaches the shared store.
 */
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { LocalStack } from '@token-cache/local-stack';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenLifetimeError, TokenUnavailableError } from '../../src/errors.js';
import {
  containerCache,
  exposedText,
  rejectionOf,
  ssmClientFor,
  uniqueParameterName,
  useStack,
} from './stack-helpers.js';

let stack: LocalStack;
useStack(
  (started) => {
    stack = started;
  },
  { idp: { expiresInSeconds: 30 } },
);
afterEach(() => {
  stack.idp.setExpiresIn(30);
});

describe('an endpoint issuing tokens that live ≤ TOKEN_CACHE_MIN_REMAINING_MS', () => {
  it('fails with a TokenLifetimeError naming the variable, and stores nothing', async () => {
    const parameterName = uniqueParameterName('short-lived');
    const cache = containerCache(stack, parameterName); // TOKEN_CACHE_MIN_REMAINING_MS: 30000

    const error = await rejectionOf(cache.getToken());

    expect(error).toBeInstanceOf(TokenUnavailableError);
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(TokenLifetimeError);
    expect((cause as TokenLifetimeError).variable).toBe('TOKEN_CACHE_MIN_REMAINING_MS');
    expect((cause as TokenLifetimeError).code).toBe('ENDPOINT_RESPONSE_INVALID');
    expect((cause as TokenLifetimeError).minRemainingMs).toBe(30_000);
    expect((cause as TokenLifetimeError).lifetimeMs).toBeLessThanOrEqual(30_000);
    expect((cause as Error).message).toContain('TOKEN_CACHE_MIN_REMAINING_MS');
    expect(stack.counters.get('idp.issued')).toBe(1);
    // Not stored-then-refused: the token parameter was never written.
    const ssm = ssmClientFor(stack);
    try {
      const read = await rejectionOf(ssm.send(new GetParameterCommand({ Name: parameterName })));
      expect((read as Error).name).toBe('ParameterNotFound');
    } finally {
      ssm.destroy();
    }
    expect(exposedText(error)).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT in the error
  });

  it('accepts a token living just longer than the minimum', async () => {
    stack.idp.setExpiresIn(32);
    const cache = containerCache(stack, uniqueParameterName('just-long-enough'), {
      // The refresh window must stay above the minimum; below the lifetime it keeps the token fresh.
      env: { TOKEN_CACHE_REFRESH_WINDOW_MS: '31000' },
    });
    await expect(cache.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(stack.counters.get('idp.issued')).toBe(1);
  });
});
