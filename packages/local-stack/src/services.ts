/**
 * Builds every service of one stack from resolved options: the shared state the router reads.
 */
import { createProtectedApi } from './api.js';
import type { LocalAwsCredential } from './contract.js';
import { createCounters, type MutableCounters } from './counters.js';
import { createFaultTable, type FaultTable } from './faults.js';
import type { Reply } from './http.js';
import { type ClientRegistry, createClientRegistry } from './idp/clients.js';
import { createIdpLimiter, type IdpLimiter } from './idp/rate-limit.js';
import { createSigningKey, type SigningKey } from './idp/signing-key.js';
import { handleTokenRequest } from './idp/token-endpoint.js';
import type { ResolvedOptions } from './options.js';
import { createSecretsManagerService, type SecretsManagerService } from './secrets-manager.js';
import { createSigV4Verifier, type SigV4Verifier } from './sigv4.js';
import { createSsmService, type SsmService } from './ssm/service.js';

/** Every service of a running stack. */
export interface StackServices {
  readonly url: string;
  readonly issuer: string;
  readonly now: () => number;
  readonly counters: MutableCounters;
  readonly faults: FaultTable;
  readonly ssm: SsmService;
  readonly secretsManager: SecretsManagerService;
  readonly clients: ClientRegistry;
  readonly limiter: IdpLimiter;
  readonly key: SigningKey;
  readonly settings: { expiresInSeconds: number; apiAudience: string };
  /** The access key `env` carries (the first accepted one). */
  readonly awsCredential: LocalAwsCredential;
  /** Checks an SSM or Secrets Manager request's SigV4 signature. */
  readonly verifySignature: SigV4Verifier;
  /** The clock signatures are checked against; AWS answers carry it in `Date`. */
  readonly signingClock: () => number;
  token(
    body: string,
    contentType: string | undefined,
    authorization: string | undefined,
  ): Promise<Reply>;
  api(vehicleId: string, authorization: string | undefined): Promise<Reply>;
  /** Clears data, counters, faults and limiter state; keeps clients and keys. */
  reset(): void;
}

/**
 * Creates the services for a stack listening at `url`.
 *
 * @example
 * ```ts
 * const services = await createServices(resolveOptions({}), 'http://127.0.0.1:4566');
 * ```
 */
export async function createServices(
  options: ResolvedOptions,
  url: string,
): Promise<StackServices> {
  const issuer = `${url}/`;
  const now = options.now;
  const counters = createCounters();
  const faults = createFaultTable(options.random);
  for (const [target, spec] of Object.entries(options.faults ?? {})) faults.set(target, spec);
  const ssm = createSsmService({
    now,
    counters,
    readsPerSecond: options.readsPerSecond,
    writesPerSecond: options.writesPerSecond,
    updateConflictWindowMs: options.updateConflictWindowMs,
  });
  const secretsManager = createSecretsManagerService(now);
  const seedSecrets = () => {
    for (const [name, value] of Object.entries(options.secrets)) secretsManager.seed(name, value);
  };
  seedSecrets();
  const clients = createClientRegistry(options.clients);
  const limiter = createIdpLimiter({
    now,
    perSecond: options.rateLimitPerSecond,
    monthlyQuota: options.monthlyQuota,
  });
  const key = await createSigningKey();
  const settings = { expiresInSeconds: options.expiresInSeconds, apiAudience: options.apiAudience };
  const api = createProtectedApi({
    jwks: key.jwks,
    issuer,
    audience: () => settings.apiAudience,
    now,
    counters,
  });
  return {
    url,
    issuer,
    now,
    counters,
    faults,
    ssm,
    secretsManager,
    clients,
    limiter,
    key,
    settings,
    awsCredential: options.awsCredentials[0] as LocalAwsCredential,
    verifySignature: createSigV4Verifier(options.awsCredentials, options.signingClock),
    signingClock: options.signingClock,
    token: (body, contentType, authorization) =>
      handleTokenRequest(
        {
          clients,
          limiter,
          key,
          counters,
          now,
          issuer,
          extraAudiences: () => [settings.apiAudience],
          expiresInSeconds: () => settings.expiresInSeconds,
        },
        body,
        contentType,
        authorization,
      ),
    api,
    reset() {
      ssm.reset();
      secretsManager.reset();
      seedSecrets();
      counters.reset();
      faults.clear();
      limiter.reset();
    },
  };
}
