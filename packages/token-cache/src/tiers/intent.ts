/**
 * What a request down the tiers wants. Three intents cover every caller:
 *
 * - `serve`: an ordinary `getToken()`. A fresh token is returned; while someone else refreshes,
 *   a still-usable token the caller holds is served.
 * - `replace`: the API refused a token (`forceRefresh`). Anything but that token will do.
 * - `ensure`: the scheduled refresher and the CLI. The token returned must stay valid for
 *   `validForMs`; with `force`, it must also differ from the one the store held at first. It
 *   waits for another container's refresh rather than serving what it holds.
 */
import type { Token } from '../token.js';
import type { RefreshSchedule } from './refresh-schedule.js';

/** See the module comment. */
export type Intent =
  | { readonly kind: 'serve'; readonly held?: Token; readonly revoked?: string }
  | { readonly kind: 'replace'; readonly revoked: string }
  | {
      readonly kind: 'ensure';
      readonly held?: Token;
      readonly validForMs: number;
      readonly force: boolean;
    };

/** The token the caller already holds and may be served, if any. */
export function heldBy(intent: Intent): Token | undefined {
  return intent.kind === 'replace' ? undefined : intent.held;
}

/** The access token the caller knows to be bad, if any. */
export function revokedBy(intent: Intent): string | undefined {
  return intent.kind === 'ensure' ? undefined : intent.revoked;
}

/** Whether the caller would rather wait for a refresh than be served the token it holds. */
export function waitsForRefresh(intent: Intent): boolean {
  return intent.kind === 'ensure';
}

/**
 * Whether `token` (already known usable and not revoked) fulfils the intent. `firstRead` is
 * what the request first found in the store (for `ensure` with `force`; `accessToken` is
 * undefined when the store held nothing usable).
 */
export function fulfils(
  intent: Intent,
  token: Token,
  now: number,
  schedule: RefreshSchedule,
  firstRead: { readonly accessToken?: string } | undefined,
): boolean {
  if (intent.kind !== 'ensure') return now < schedule.refreshAt(token);
  if (intent.force && (firstRead === undefined || token.accessToken === firstRead.accessToken)) {
    return false;
  }
  return token.expiresAt - now > intent.validForMs;
}
