/**
 * **Backed off**: the endpoint must not be called until the back-off ends (it rate limited,
 * failed, or refused this configuration). A usable token is served until then; without one
 * the request fails at once, naming the cause.
 */
import { type Protocol, type Run, type State, serveHeld, unavailable } from './run.js';

/** See the module comment. */
export function backedOff(
  p: Protocol,
  run: Run,
  state: Extract<State, { at: 'backed-off' }>,
): State {
  const { until, reason } = state.backoff;
  return serveHeld(p, run, 'endpoint-backoff', until, () =>
    unavailable(
      state.error,
      `the token endpoint is backed off until ${new Date(until).toISOString()} (${reason})`,
    ),
  );
}
