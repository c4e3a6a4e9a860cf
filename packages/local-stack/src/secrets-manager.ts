/**
 * Secrets Manager over JSON 1.1 (`X-Amz-Target: secretsmanager.<Operation>`): CreateSecret,
 * PutSecretValue and GetSecretValue with staging labels AWSCURRENT/AWSPREVIOUS and AWS's
 * error shapes (Secrets Manager API reference, "Common Errors" and each action's "Errors").
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError, LOCAL_ACCOUNT_ID, type SigV4Credential } from './aws-json.js';
import { epochSeconds } from './ssm/shapes.js';

interface SecretVersion {
  readonly versionId: string;
  readonly secretString?: string;
  readonly secretBinary?: string;
  readonly createdMs: number;
  readonly stages: Set<string>;
}

interface Secret {
  readonly name: string;
  /** Suffix of six random characters AWS appends to every secret's ARN. */
  readonly arnSuffix: string;
  readonly versions: Map<string, SecretVersion>;
}

type Input = Readonly<Record<string, unknown>>;
type Operation = (input: Input, credential: SigV4Credential) => Record<string, unknown>;

const NOT_FOUND = "Secrets Manager can't find the specified secret.";

/** The running Secrets Manager service. */
export interface SecretsManagerService {
  isOperation(operation: string): boolean;
  call(operation: string, input: Input, credential: SigV4Credential): Record<string, unknown>;
  /** Creates a secret directly (used for `LocalStackOptions.secrets`). */
  seed(name: string, secretString: string): void;
  reset(): void;
}

function secretArn(secret: Secret, region: string): string {
  return `arn:aws:secretsmanager:${region}:${LOCAL_ACCOUNT_ID}:secret:${secret.name}-${secret.arnSuffix}`;
}

function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new AwsError('SerializationException', `Expected a string for member '${member}'`);
  }
  return value;
}

function requiredString(input: Input, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined) {
    throw new AwsError('InvalidParameterException', `You must provide a value for ${member}.`);
  }
  return value;
}

/**
 * Creates the Secrets Manager service.
 *
 * @example
 * ```ts
 * const sm = createSecretsManagerService(Date.now);
 * sm.seed('vwc/dev/auth0', JSON.stringify({ AUTH0_DOMAIN: 'http://127.0.0.1:4566' }));
 * ```
 */
export function createSecretsManagerService(now: () => number): SecretsManagerService {
  const secrets = new Map<string, Secret>();

  const find = (secretId: string): Secret => {
    // SecretId is a name or an ARN (full, or without the random suffix).
    const byName = secrets.get(secretId);
    if (byName !== undefined) return byName;
    for (const secret of secrets.values()) {
      const prefix = `:secret:${secret.name}`;
      if (secretId.endsWith(`${prefix}-${secret.arnSuffix}`) || secretId.endsWith(prefix))
        return secret;
    }
    throw new AwsError('ResourceNotFoundException', NOT_FOUND);
  };

  const addVersion = (
    secret: Secret,
    versionId: string,
    value: { secretString?: string; secretBinary?: string },
  ) => {
    const existing = secret.versions.get(versionId);
    if (existing !== undefined) {
      // Retrying with the same ClientRequestToken is idempotent only for the same value.
      if (
        existing.secretString === value.secretString &&
        existing.secretBinary === value.secretBinary
      ) {
        return existing;
      }
      throw new AwsError(
        'ResourceExistsException',
        "You can't modify an existing version, you can only create a new version.",
      );
    }
    for (const version of secret.versions.values()) {
      version.stages.delete('AWSPREVIOUS');
      if (version.stages.delete('AWSCURRENT')) version.stages.add('AWSPREVIOUS');
    }
    const version: SecretVersion = {
      versionId,
      ...value,
      createdMs: now(),
      stages: new Set(['AWSCURRENT']),
    };
    secret.versions.set(versionId, version);
    return version;
  };

  const readValue = (input: Input) => {
    const secretString = optionalString(input, 'SecretString');
    const secretBinary = optionalString(input, 'SecretBinary');
    if (secretString !== undefined && secretBinary !== undefined) {
      throw new AwsError(
        'InvalidParameterException',
        "You can't specify both a binary secret value and a string secret value in the same secret.",
      );
    }
    return {
      ...(secretString === undefined ? {} : { secretString }),
      ...(secretBinary === undefined ? {} : { secretBinary }),
    };
  };

  const createSecret: Operation = (input, credential) => {
    const name = requiredString(input, 'Name');
    if (!/^[a-zA-Z0-9/_+=.@-]{1,512}$/.test(name)) {
      throw new AwsError(
        'InvalidParameterException',
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    if (secrets.has(name)) {
      throw new AwsError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const secret: Secret = { name, arnSuffix: randomBytes(3).toString('hex'), versions: new Map() };
    const value = readValue(input);
    secrets.set(name, secret);
    const hasValue = value.secretString !== undefined || value.secretBinary !== undefined;
    const version = hasValue
      ? addVersion(secret, optionalString(input, 'ClientRequestToken') ?? randomUUID(), value)
      : undefined;
    return {
      ARN: secretArn(secret, credential.region),
      Name: name,
      ...(version === undefined ? {} : { VersionId: version.versionId }),
    };
  };

  const putSecretValue: Operation = (input, credential) => {
    const secret = find(requiredString(input, 'SecretId'));
    const value = readValue(input);
    if (value.secretString === undefined && value.secretBinary === undefined) {
      throw new AwsError(
        'InvalidRequestException',
        'You must provide either SecretString or SecretBinary.',
      );
    }
    const version = addVersion(
      secret,
      optionalString(input, 'ClientRequestToken') ?? randomUUID(),
      value,
    );
    return {
      ARN: secretArn(secret, credential.region),
      Name: secret.name,
      VersionId: version.versionId,
      VersionStages: [...version.stages],
    };
  };

  const getSecretValue: Operation = (input, credential) => {
    const secret = find(requiredString(input, 'SecretId'));
    const versionId = optionalString(input, 'VersionId');
    const stage =
      optionalString(input, 'VersionStage') ?? (versionId === undefined ? 'AWSCURRENT' : undefined);
    const version = [...secret.versions.values()].find(
      (v) =>
        (versionId === undefined || v.versionId === versionId) &&
        (stage === undefined || v.stages.has(stage)),
    );
    if (version === undefined) {
      throw new AwsError(
        'ResourceNotFoundException',
        versionId === undefined
          ? `Secrets Manager can't find the specified secret value for staging label: ${stage}`
          : `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
      );
    }
    return {
      ARN: secretArn(secret, credential.region),
      Name: secret.name,
      VersionId: version.versionId,
      ...(version.secretString === undefined ? {} : { SecretString: version.secretString }),
      ...(version.secretBinary === undefined ? {} : { SecretBinary: version.secretBinary }),
      VersionStages: [...version.stages],
      CreatedDate: epochSeconds(version.createdMs),
    };
  };

  const operations: Readonly<Record<string, Operation>> = {
    CreateSecret: createSecret,
    PutSecretValue: putSecretValue,
    GetSecretValue: getSecretValue,
  };

  return {
    isOperation: (operation) => Object.hasOwn(operations, operation),
    call: (operation, input, credential) => (operations[operation] as Operation)(input, credential),
    seed(name, secretString) {
      createSecret(
        { Name: name, SecretString: secretString },
        { accessKeyId: 'seed', region: 'us-west-2', service: 'secretsmanager' },
      );
    },
    reset() {
      secrets.clear();
    },
  };
}
