import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../src/index.js';
import { caught, manualClock, ssmClient, startStack } from './helpers.js';

describe('SSM throttling and write races', () => {
  let stack: LocalStack | undefined;
  afterEach(() => stack?.stop());

  it('throttles reads account-wide with a token bucket and refills over (injected) time', async () => {
    const clock = manualClock();
    stack = await startStack({ now: clock.now, ssm: { readsPerSecond: 2, writesPerSecond: 0 } });
    const ssm = ssmClient(stack);
    await ssm.send(new PutParameterCommand({ Name: '/t/a', Value: 'x', Type: 'String' }));
    await ssm.send(new GetParameterCommand({ Name: '/t/a' }));
    await ssm.send(new GetParameterCommand({ Name: '/t/a' }));
    const error = await caught(() => ssm.send(new GetParameterCommand({ Name: '/t/a' })));
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Rate exceeded');
    expect(stack.counters.get('ssm.throttled')).toBe(1);
    clock.advance(500); // half a second refills one read at 2/s
    await expect(ssm.send(new GetParameterCommand({ Name: '/t/a' }))).resolves.toBeDefined();
    expect((await caught(() => ssm.send(new GetParameterCommand({ Name: '/t/a' })))).name).toBe(
      'ThrottlingException',
    );
  });

  it('throttles PutParameter on its own bucket (3/s by default)', async () => {
    const clock = manualClock();
    stack = await startStack({ now: clock.now, ssm: { readsPerSecond: 0, writesPerSecond: 3 } });
    const ssm = ssmClient(stack);
    for (let i = 0; i < 3; i += 1) {
      await ssm.send(new PutParameterCommand({ Name: `/w/${i}`, Value: 'x', Type: 'String' }));
    }
    const error = await caught(() =>
      ssm.send(new PutParameterCommand({ Name: '/w/3', Value: 'x', Type: 'String' })),
    );
    expect(error.name).toBe('ThrottlingException');
    // Reads are not affected by the write bucket.
    await expect(ssm.send(new GetParameterCommand({ Name: '/w/0' }))).resolves.toBeDefined();
  });

  it('uses AWS defaults (40 reads/s) when no throttle is configured', async () => {
    const clock = manualClock();
    const { start } = await import('../src/index.js');
    stack = await start({ now: clock.now });
    const ssm = ssmClient(stack);
    const results = await Promise.allSettled(
      Array.from({ length: 41 }, () => ssm.send(new GetParameterCommand({ Name: '/none' }))),
    );
    const names = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'ok'));
    expect(names.filter((n) => n === 'ParameterNotFound')).toHaveLength(40);
    expect(names.filter((n) => n === 'ThrottlingException')).toHaveLength(1);
  });

  it('is retried by the SDK (standard mode), every attempt drawing from the same bucket', async () => {
    const clock = manualClock();
    stack = await startStack({ now: clock.now, ssm: { readsPerSecond: 1 } });
    const ssm = ssmClient(stack, { maxAttempts: 2 });
    await ssm.send(new PutParameterCommand({ Name: '/retry/p', Value: 'x', Type: 'String' }));
    await ssm.send(new GetParameterCommand({ Name: '/retry/p' }));
    const before = stack.counters.get('ssm.GetParameter');
    // The clock is frozen, so the bucket never refills: both attempts are throttled.
    const error = await caught(() => ssm.send(new GetParameterCommand({ Name: '/retry/p' })));
    expect(error.name).toBe('ThrottlingException');
    expect(stack.counters.get('ssm.GetParameter') - before).toBe(2);
    expect(stack.counters.get('ssm.throttled')).toBe(2);
    // Raising the limit at run time lets reads through again.
    stack.ssm.setThrottle({ readsPerSecond: 0 });
    await expect(ssm.send(new GetParameterCommand({ Name: '/retry/p' }))).resolves.toBeDefined();
  });

  it('answers TooManyUpdates to a write that races a write still in flight on the same parameter', async () => {
    stack = await startStack();
    const ssm = ssmClient(stack);
    await ssm.send(new PutParameterCommand({ Name: '/race/p', Value: 'v1', Type: 'String' }));
    stack.faults.set('ssm.PutParameter', { failure: 'hang', count: 1 });
    const abort = new AbortController();
    const hung = ssm
      .send(
        new PutParameterCommand({
          Name: '/race/p',
          Value: 'slow',
          Type: 'String',
          Overwrite: true,
        }),
        {
          abortSignal: abort.signal,
        },
      )
      .catch((error: Error) => error);
    await expect.poll(() => stack?.counters.get('faults.hang')).toBe(1);
    const error = await caught(() =>
      ssm.send(
        new PutParameterCommand({
          Name: '/race/p',
          Value: 'fast',
          Type: 'String',
          Overwrite: true,
        }),
      ),
    );
    expect(error.name).toBe('TooManyUpdates');
    expect(stack.counters.get('ssm.tooManyUpdates')).toBe(1);
    // A write to another parameter is not affected.
    await expect(
      ssm.send(new PutParameterCommand({ Name: '/race/q', Value: 'x', Type: 'String' })),
    ).resolves.toBeDefined();
    abort.abort();
    await hung;
    await expect
      .poll(async () => {
        try {
          return (
            await ssm.send(
              new PutParameterCommand({
                Name: '/race/p',
                Value: 'after',
                Type: 'String',
                Overwrite: true,
              }),
            )
          ).Version;
        } catch (e) {
          return (e as Error).name;
        }
      })
      .toBe(2);
  });

  it('answers TooManyUpdates within the configured conflict window after a write', async () => {
    const clock = manualClock();
    stack = await startStack({ now: clock.now, ssm: { updateConflictWindowMs: 1000 } });
    const ssm = ssmClient(stack);
    await ssm.send(new PutParameterCommand({ Name: '/window/p', Value: 'v1', Type: 'String' }));
    const put = () =>
      ssm.send(
        new PutParameterCommand({
          Name: '/window/p',
          Value: 'v2',
          Type: 'String',
          Overwrite: true,
        }),
      );
    clock.advance(999);
    expect((await caught(put)).name).toBe('TooManyUpdates');
    clock.advance(1);
    await expect(put()).resolves.toMatchObject({ Version: 2 });
  });
});
