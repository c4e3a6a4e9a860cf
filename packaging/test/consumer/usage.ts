// What a consumer writes, compiled as `.cts` (CommonJS), `.mts` (ESM) under node16 resolution
// and as a `.ts` under bundler resolution, then run. It exercises values and types from the
// root entry point, so each module format resolves declarations and code of its own.
import {
  ConfigError,
  createTokenCache,
  type Token,
  TokenCacheError,
  type TokenIdentity,
  type TokenSource,
} from '@token-cache/core';
import { authorizedFetch } from '@token-cache/core/fetch';
import { SsmStore } from '@token-cache/core/ssm';

const identity: TokenIdentity = {
  issuer: 'https://issuer.example/',
  audience: 'https://api.example/',
  clientIds: ['consumer-client'],
};

let endpointCalls = 0;
const source: TokenSource & { readonly identity: TokenIdentity } = {
  identity,
  async getToken(): Promise<Token> {
    endpointCalls += 1;
    return {
      accessToken: 'consumer-smoke',
      expiresAt: Date.now() + 3_600_000,
      tokenType: 'Bearer',
    };
  },
};

async function main(): Promise<void> {
  const cache = createTokenCache({ source });
  await cache.getToken();
  const second = await cache.getToken();
  // Subpath entry points resolve too, and share the root's classes.
  const store = new SsmStore({ parameterName: '/consumer/smoke', region: 'eu-west-1' });
  let sharedClasses = false;
  try {
    new SsmStore({ parameterName: 'has spaces', region: 'eu-west-1' });
  } catch (error) {
    sharedClasses = error instanceof ConfigError;
  }
  console.log(
    JSON.stringify({
      endpointCalls,
      sameToken: second.accessToken === 'consumer-smoke',
      errorClass: typeof TokenCacheError,
      fetch: typeof authorizedFetch(cache),
      store: typeof store.get,
      sharedClasses,
    }),
  );
}

void main();
