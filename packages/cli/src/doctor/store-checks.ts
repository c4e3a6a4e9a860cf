/**
 * Doctor checks on the SSM store: reachable and readable; writable without clobbering the
 * value; SecureString and KMS; value size headroom; what the stored token is worth.
 */
import {
  DeleteParameterCommand,
  GetParameterCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import {
  lockParameterName,
  PLACEHOLDER_VALUE,
  StoreError,
  type TokenCacheSettings,
} from '@token-cache/core/internal';
import {
  asStoreError,
  describeParameter,
  errorName,
  type ParameterDescription,
  type ParameterValue,
  readParameter,
  tierLimit,
} from '../ssm-parameter.js';
import { diagnoseAwsCredentials } from './aws-credentials.js';
import { type CheckResult, check } from './check.js';

/** What the read check learnt, for the checks after it. */
export interface StoreFacts {
  /** `null` when the parameter does not exist; `undefined` when it could not be read. */
  readonly parameter: ParameterValue | null | undefined;
  readonly description?: ParameterDescription;
}

const policyHint = 'infra/terraform-vwc-core-policy-updated.json';

/**
 * GetParameter (with decryption) on the cache parameter.
 *
 * @example
 * ```ts
 * const { result, facts } = await checkStoreRead(ssm, settings);
 * ```
 */
export async function checkStoreRead(
  ssm: SSMClient,
  settings: TokenCacheSettings,
): Promise<{ result: CheckResult; facts: StoreFacts }> {
  const name = settings.parameterName;
  const title = 'Store is reachable and readable';
  try {
    const parameter = await readParameter(ssm, name);
    if (parameter === undefined) {
      return {
        result: check(
          'store-read',
          title,
          'warn',
          `GetParameter works, but ${name} does not exist in ${settings.region}`,
          'Apply the Terraform in infra/ (it creates the parameter as SecureString "not-initialized"); otherwise the first refresh creates it without tags.',
        ),
        facts: { parameter: null, description: await describeParameter(ssm, name) },
      };
    }
    const detail = `GetParameter ${name}: version ${parameter.version}, ${parameter.type}, modified ${parameter.lastModified ?? 'unknown'}`;
    return {
      result: check('store-read', title, 'pass', detail),
      facts: { parameter, description: await describeParameter(ssm, name) },
    };
  } catch (error) {
    return {
      result: storeFailure('store-read', title, error, name, 'GetParameter', settings),
      facts: { parameter: undefined },
    };
  }
}

/**
 * Proves `ssm:PutParameter` without changing the value: a write with `Overwrite=false` on the
 * existing name is authorised by IAM first, then refused with `ParameterAlreadyExists` by SSM
 * (PutParameter API reference), so the answer tells authorised from denied and nothing is
 * written. The lock parameter is probed the same way with an already-expired lease, which is
 * deleted again at once if the probe created it (proving `ssm:DeleteParameter` too).
 *
 * @example
 * ```ts
 * const result = await checkStoreWrite(ssm, settings, facts);
 * ```
 */
export async function checkStoreWrite(
  ssm: SSMClient,
  settings: TokenCacheSettings,
  facts: StoreFacts,
): Promise<CheckResult> {
  const title = 'Store is writable (probed without overwriting)';
  const name = settings.parameterName;
  const notes: string[] = [];
  try {
    const created = await createIfAbsent(ssm, name, PLACEHOLDER_VALUE, settings);
    notes.push(
      created
        ? `${name} did not exist and was created with "${PLACEHOLDER_VALUE}"`
        : `PutParameter on ${name} authorised (ParameterAlreadyExists, value untouched)`,
    );
  } catch (error) {
    return storeFailure('store-write', title, error, name, 'PutParameter', settings);
  }
  const lock = settings.lockParameterName ?? lockParameterName(name);
  const probe = JSON.stringify({ v: 1, owner: 'token-cache-doctor', leaseExpiresAt: 0 });
  try {
    if (
      await createIfAbsent(ssm, lock, probe, {
        ...settings,
        parameterType: 'String',
        kmsKeyId: undefined,
      })
    ) {
      await deleteIfStill(ssm, lock, probe);
      notes.push(`lease parameter ${lock}: create and delete authorised`);
    } else {
      notes.push(`lease parameter ${lock}: PutParameter authorised (a lease is present)`);
    }
  } catch (error) {
    return storeFailure(
      'store-write',
      title,
      error,
      lock,
      'PutParameter/DeleteParameter',
      settings,
    );
  }
  const untested =
    facts.description?.available &&
    facts.description.keyId &&
    !facts.description.keyId.endsWith('aws/ssm')
      ? '; kms:Encrypt on the customer-managed key is not provable without writing'
      : '';
  return check('store-write', title, 'pass', notes.join('; ') + untested);
}

/**
 * The token is a bearer credential: it must be a SecureString (design guarantee 9); a
 * customer-managed key needs `kms:Decrypt` and `kms:Encrypt` in the fleet's policy.
 *
 * @example
 * ```ts
 * const result = checkSecureString(settings, facts);
 * ```
 */
export function checkSecureString(settings: TokenCacheSettings, facts: StoreFacts): CheckResult {
  const title = 'Token parameter is a SecureString';
  const parameter = facts.parameter;
  if (!parameter) return check('secure-string', title, 'skip', 'the parameter could not be read');
  if (parameter.type !== 'SecureString') {
    return check(
      'secure-string',
      title,
      'fail',
      `${parameter.name} is a ${parameter.type}: anyone allowed to read it gets a working bearer token (it is signed, not encrypted)`,
      'Recreate it as SecureString (type = "SecureString" in infra/main.tf) and keep TOKEN_CACHE_PARAMETER_TYPE unset or SecureString.',
    );
  }
  if (settings.parameterType !== 'SecureString') {
    return check(
      'secure-string',
      title,
      'warn',
      `the parameter is a SecureString, but TOKEN_CACHE_PARAMETER_TYPE=${settings.parameterType} makes the fleet write a plain String`,
      'Unset TOKEN_CACHE_PARAMETER_TYPE (the default is SecureString).',
    );
  }
  const description = facts.description;
  if (!description?.available) {
    return check(
      'secure-string',
      title,
      'pass',
      `SecureString (KMS key unknown: ${description?.reason ?? 'not described'})`,
    );
  }
  const keyId = description.keyId ?? 'alias/aws/ssm';
  if (keyId.endsWith('aws/ssm')) {
    return check(
      'secure-string',
      title,
      'pass',
      'SecureString with the AWS-managed key alias/aws/ssm (no KMS statement needed)',
    );
  }
  if (settings.kmsKeyId !== undefined && settings.kmsKeyId !== keyId) {
    return check(
      'secure-string',
      title,
      'warn',
      `the parameter is encrypted with ${keyId}, but TOKEN_CACHE_KMS_KEY_ID=${settings.kmsKeyId}: each refresh re-encrypts it with another key`,
      'Make TOKEN_CACHE_KMS_KEY_ID match the Terraform key, or unset it.',
    );
  }
  return check(
    'secure-string',
    title,
    'pass',
    `SecureString with customer-managed key ${keyId} (the fleet needs kms:Decrypt and kms:Encrypt on it)`,
  );
}

/**
 * The stored value against the tier's limit (Standard: 4,096 characters).
 *
 * @example
 * ```ts
 * const result = checkValueSize(settings, facts);
 * ```
 */
export function checkValueSize(settings: TokenCacheSettings, facts: StoreFacts): CheckResult {
  const title = 'Value size has headroom';
  const parameter = facts.parameter;
  if (!parameter) return check('value-size', title, 'skip', 'the parameter could not be read');
  const limit = facts.description?.available
    ? facts.description.maxValueLength
    : tierLimit(settings.parameterTier);
  const size = Buffer.byteLength(parameter.value, 'utf8');
  const tier = facts.description?.available
    ? facts.description.tier
    : (settings.parameterTier ?? 'Standard (assumed)');
  const detail = `${size} of ${limit} characters used (${tier} tier)`;
  if (parameter.value.trim() === PLACEHOLDER_VALUE) {
    return check('value-size', title, 'pass', `${detail}; no token stored yet`);
  }
  // Auth0 tokens grow with scopes and permissions; warn well before a write is refused.
  if (size > limit * 0.8) {
    return check(
      'value-size',
      title,
      'warn',
      `${detail}: less than 20% to spare`,
      'Set TOKEN_CACHE_PARAMETER_TIER=Advanced (8,192 characters; paid) and the same tier in Terraform, or request fewer scopes.',
    );
  }
  return check('value-size', title, 'pass', detail);
}

async function createIfAbsent(
  ssm: SSMClient,
  name: string,
  value: string,
  settings: Pick<TokenCacheSettings, 'parameterType' | 'kmsKeyId'>,
): Promise<boolean> {
  try {
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: settings.parameterType,
        Overwrite: false,
        ...(settings.parameterType === 'SecureString' && settings.kmsKeyId
          ? { KeyId: settings.kmsKeyId }
          : {}),
      }),
    );
    return true;
  } catch (error) {
    if (errorName(error) === 'ParameterAlreadyExists') return false;
    throw asStoreError(error, 'PutParameter', name);
  }
}

/** Deletes the probe lease only if nobody replaced it meanwhile (never someone's real lease). */
async function deleteIfStill(ssm: SSMClient, name: string, value: string): Promise<void> {
  try {
    const current = await ssm.send(new GetParameterCommand({ Name: name }));
    if (current.Parameter?.Value !== value) return;
    await ssm.send(new DeleteParameterCommand({ Name: name }));
  } catch (error) {
    if (errorName(error) === 'ParameterNotFound') return;
    throw asStoreError(error, 'DeleteParameter', name);
  }
}

function storeFailure(
  id: string,
  title: string,
  error: unknown,
  name: string,
  operation: string,
  settings: TokenCacheSettings,
): CheckResult {
  const failure = error instanceof StoreError ? error : asStoreError(error, operation, name);
  // Missing or refused credentials also classify as access-denied; an IAM grant cannot fix them.
  const credentials = diagnoseAwsCredentials(failure, 'SSM');
  if (credentials !== undefined) {
    return check(id, title, 'fail', `${credentials.summary}: ${failure.message}`, credentials.fix);
  }
  const endpoint = 'AWS_ENDPOINT_URL / network access to SSM';
  const fixes: Record<string, string> = {
    'access-denied': /kms/i.test(failure.message)
      ? `Grant kms:Decrypt (reads) and kms:Encrypt (writes) on the parameter's KMS key to this identity (${policyHint}).`
      : `Grant ssm:${operation.split('/').join(' and ssm:')} on arn:aws:ssm:${settings.region}:<account>:parameter${name.startsWith('/') ? '' : '/'}${name} to this identity (${policyHint}).`,
    unavailable: `The store did not answer: check ${endpoint}, AWS_REGION (${settings.region}) and, inside a VPC, an SSM endpoint or NAT.`,
    timeout: `The store did not answer within TOKEN_CACHE_STORE_TIMEOUT_MS (${settings.storeTimeoutMs} ms): check ${endpoint}.`,
    throttled:
      'SSM throttled the call: retry later; for a large fleet consider the higher-throughput setting or the DynamoDB store.',
  };
  return check(
    id,
    title,
    'fail',
    failure.message,
    fixes[failure.kind] ?? `Check ${endpoint} and the parameter name.`,
  );
}
