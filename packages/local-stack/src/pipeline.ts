/**
 * The life of one request: read the body, route it, count it, apply any fault (latency, then a
 * failure, a reset connection or a hang), then let the service answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultReply } from './fault-replies.js';
import { jsonReply, type Reply, readBody, sendReply } from './http.js';
import { type Route, resolveRoute } from './router.js';
import type { StackServices } from './services.js';

/** Timers the stack must cancel when it stops (latency and `hangMs` waits). */
export interface TimerSet {
  /** Resolves after `ms`, or never if the stack stops first. */
  sleep(ms: number): Promise<void>;
  cancelAll(): void;
}

/**
 * Creates a timer set whose pending sleeps are abandoned on `cancelAll()`.
 *
 * @example
 * ```ts
 * const timers = createTimerSet();
 * await timers.sleep(50);
 * ```
 */
export function createTimerSet(): TimerSet {
  const pending = new Set<NodeJS.Timeout>();
  return {
    sleep(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.add(timer);
      });
    },
    cancelAll() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}

/** A bug in the stack: a 500 that does not echo request data (it may hold secrets). */
function internalError(services: StackServices, error: unknown): Reply {
  services.counters.increment('stack.internalErrors');
  return jsonReply(500, { message: `local stack internal error: ${(error as Error).name}` });
}

/**
 * Handles one HTTP request end to end.
 *
 * @example
 * ```ts
 * http.createServer((req, res) => void handleRequest(services, timers, req, res));
 * ```
 */
export async function handleRequest(
  services: StackServices,
  timers: TimerSet,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let rawBody: Buffer;
  try {
    rawBody = await readBody(req);
  } catch (error) {
    sendReply(res, jsonReply(413, { message: (error as Error).message }));
    return;
  }
  const url = new URL(req.url ?? '/', 'http://stack.invalid');
  let route: Route;
  try {
    route = await resolveRoute(services, {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: rawBody.toString('utf8'),
      rawBody,
    });
  } catch (error) {
    sendReply(res, internalError(services, error));
    return;
  }
  // AWS's `Date` is AWS's clock: the SDK corrects its own clock from it after a
  // "Signature expired", so it must be the clock the signature was checked against.
  if (route.dialect === 'aws')
    res.setHeader('date', new Date(services.signingClock()).toUTCString());
  // A request is over when its response ends or its connection closes: a hung write stays
  // "in flight" (and so conflicts with racing writes) until the client gives up.
  let releaseOnClose = false;
  try {
    if (route.counterKey !== undefined) services.counters.increment(route.counterKey);
    const decision =
      route.faultKey === undefined
        ? undefined
        : services.faults.decide(route.faultKey, route.faultResource);
    if (decision !== undefined) {
      if (decision.latencyMs > 0) await timers.sleep(decision.latencyMs);
      const failure = decision.failure;
      if (failure !== undefined) {
        services.counters.increment('faults.injected');
        services.counters.increment(`faults.${failure}`);
        if (failure === 'reset') {
          // Destroy the socket without a response: the client sees ECONNRESET / "socket hang up".
          req.socket.destroy();
          return;
        }
        if (failure === 'hang') {
          // Never answer, unless hangMs asks for a late 500. stop() closes the connection.
          if (decision.hangMs === undefined) {
            releaseOnClose = true;
            res.once('close', () => route.release?.());
            return;
          }
          await timers.sleep(decision.hangMs);
          sendReply(res, faultReply(route.dialect, 'http-500', route.action, services.now()));
          return;
        }
        sendReply(
          res,
          faultReply(route.dialect, failure, route.action, services.now(), {
            ...(decision.rateLimitResetEpochSeconds === undefined
              ? {}
              : { rateLimitResetEpochSeconds: decision.rateLimitResetEpochSeconds }),
          }),
        );
        return;
      }
    }
    sendReply(res, await route.handle());
  } catch (error) {
    sendReply(res, internalError(services, error));
  } finally {
    if (!releaseOnClose) route.release?.();
  }
}
