/**
 * **Read**: one store read. A token that answers the request ends it here, so a cold start
 * with a fresh token in the store costs exactly this read; otherwise the request contends for
 * the lease, remembering the best usable token seen.
 */
import {
  accepts,
  afterStoreError,
  consider,
  done,
  HIT_STORE,
  holdsUsable,
  type Protocol,
  type Run,
  readFor,
  type State,
  servable,
} from './run.js';

/** See the module comment. */
export async function read(p: Protocol, run: Run): Promise<State> {
  // During a back-off nobody may fetch, so the store can only hold what it held: a container
  // that already knows of the back-off spends none of the account's read quota on it.
  const known = p.context.backoff.active();
  if (known !== undefined && !holdsUsable(p, run)) return { at: 'backed-off', backoff: known };
  let token: Awaited<ReturnType<typeof readFor>>['token'];
  try {
    ({ token } = await readFor(p, run, run.budgets.call, true));
  } catch (error) {
    return afterStoreError(error, run);
  }
  run.firstRead ??= { accessToken: token?.accessToken };
  const stored = servable(p, run, token);
  if (stored !== undefined && accepts(p, run, stored)) {
    p.context.emit(HIT_STORE);
    return done({ token: stored, fetched: false });
  }
  consider(run, stored);
  return { at: 'contend' };
}
