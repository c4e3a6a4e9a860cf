/**
 * The IdP's RS256 signing key and the JWKS that publishes its public half (RFC 7517), the way
 * Auth0 serves `https://{domain}/.well-known/jwks.json`.
 */
import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose';

/** A signing key with its public JWK. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** `{ keys: [publicJwk] }` as served at `/.well-known/jwks.json`. */
  readonly jwks: { keys: JWK[] };
}

/**
 * Generates a fresh 2048-bit RSA key for RS256, new for every stack.
 *
 * @example
 * ```ts
 * const key = await createSigningKey();
 * key.jwks.keys[0]?.alg; // 'RS256'
 * ```
 */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const kid = randomUUID();
  const publicJwk = await exportJWK(publicKey);
  return { kid, privateKey, jwks: { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] } };
}
