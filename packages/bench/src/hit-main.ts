/**
 * `npm run bench:hit`: what a fresh memory hit costs. In one run, on the same machine:
 * - a bare `Map` lookup (no clock, no promise), and one with a clock read (design guarantee 2:
 *   a hit costs "about a map lookup and a clock read");
 * - the same lookup awaited (the floor for any async API: one microtask);
 * - `cache.getToken()` with a fresh token in memory (`createTokenCache` + `SsmStore`), awaited,
 *   and the bare call without the await (the library's own work);
 * - Powertools Parameters' cached `SSMProvider.get` (`maxAge` 300 s), pointed at the local stack.
 * Reported as ns/op and as multiples of the bare and the awaited `Map` lookup.
 */

import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { auth0ClientCredentials, createTokenCache } from '@token-cache/core';
import { SsmStore } from '@token-cache/core/ssm';
import { launchBenchStack } from './bench-stack.js';
import { type Contestant, measure } from './hit/measure.js';
import { renderTextTable } from './report/table.js';
import { BENCH_REGION, LOCAL_CREDENTIALS, stackSsmClient } from './strategies/aws-clients.js';

const PARAMETER = '/vwc/dev/auth0-token-cache';
const PLAIN_PARAMETER = '/bench/hit/plain';

async function main(): Promise<void> {
  const stack = await launchBenchStack({
    mode: 'in-process',
    readsPerSecond: 0,
    writesPerSecond: 0,
    expiresInSeconds: 86_400,
    idpRateLimitPerSecond: 0,
  });
  const ssm = stackSsmClient(stack);
  try {
    await ssm.send(
      new PutParameterCommand({ Name: PLAIN_PARAMETER, Value: 'a-plain-value', Type: 'String' }),
    );
    const cache = createTokenCache({
      source: auth0ClientCredentials({
        domain: stack.url,
        clientId: stack.client.clientId,
        clientSecret: stack.client.clientSecret,
        audience: stack.client.audience,
      }),
      store: new SsmStore({ parameterName: PARAMETER, client: ssm }),
    });
    const provider = new SSMProvider({
      clientConfig: { endpoint: stack.url, region: BENCH_REGION, credentials: LOCAL_CREDENTIALS },
    });
    // Prime both caches: from here on, neither does any I/O.
    const token = await cache.getToken();
    await provider.get(PLAIN_PARAMETER, { maxAge: 300 });
    const before = await stack.counters();

    const map = new Map([['token', token.accessToken]]);
    const contestants: Contestant[] = [
      { name: 'Map.get (bare)', run: () => map.get('token'), awaited: false },
      // Design guarantee 2's floor for a hit: "about a map lookup and a clock read".
      {
        name: 'Map.get + Date.now()',
        run: () => (Date.now() > 0 ? map.get('token') : undefined),
        awaited: false,
      },
      { name: 'await Map.get', run: () => map.get('token'), awaited: true },
      { name: 'await cache.getToken() (fresh hit)', run: () => cache.getToken(), awaited: true },
      // The library's own work without the caller's await: clock read, comparison, return.
      { name: 'cache.getToken() call, not awaited', run: () => cache.getToken(), awaited: false },
      {
        name: 'await SSMProvider.get (Powertools, cached)',
        run: () => provider.get(PLAIN_PARAMETER, { maxAge: 300 }),
        awaited: true,
      },
    ];
    process.stderr.write('Measuring (9 interleaved rounds of ~100 ms per contestant)...\n');
    const results = await measure(contestants);
    const after = await stack.counters();
    const io = (after['ssm.GetParameter'] ?? 0) - (before['ssm.GetParameter'] ?? 0);
    const endpoint = (after['idp.token'] ?? 0) - (before['idp.token'] ?? 0);

    const [bare, clocked, awaited] = results.map((r) => r.nsPerOp) as [number, number, number];
    const times = (value: number, base: number) => `${(value / base).toFixed(2)}×`;
    process.stdout.write(
      `${renderTextTable(
        ['operation', 'ns/op', '× bare Map', '× Map + clock', '× awaited Map'],
        results.map((r) => [
          r.name,
          r.nsPerOp.toFixed(1),
          times(r.nsPerOp, bare),
          times(r.nsPerOp, clocked),
          times(r.nsPerOp, awaited),
        ]),
      )}\n\nI/O during the measurement: ${io} GetParameter, ${endpoint} token requests (a hit must do none).\nNode.js ${process.version}. A fresh hit is one clock read, one comparison and a promise created once per token: the bare call costs a Map lookup plus a clock read; awaited, its floor is the awaited lookup.\n`,
    );
  } finally {
    ssm.destroy();
    await stack.stop();
  }
}

await main();
