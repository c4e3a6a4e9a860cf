// What a consumer writes, compiled as `.cts` (CommonJS), `.mts` (ESM) under node16 resolution
// and as a `.ts` under bundler resolution, then run. It exercises values and types from the
// root entry point, so each module format resolves declarations and code of its own.
import {
  createTokenCache,
  type Token,
  TokenCacheError,
  type TokenIdentity,
  type TokenSource,
} from '@token-cache/core';

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
  console.log(
    JSON.stringify({
      endpointCalls,
      sameToken: second.accessToken === 'consumer-smoke',
      errorClass: typeof TokenCacheError,
    }),
  );
}

void main();
