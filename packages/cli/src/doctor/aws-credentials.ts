/**
 * Tells doctor's AWS credential failures apart, because each has another fix: no credentials at
 * all (the SDK's credential chain found none: `CredentialsProviderError`) and credentials AWS
 * refuses (`UnrecognizedClientException`: an access key id it does not know;
 * `InvalidSignatureException`: a secret that does not belong to the key, or a clock more than
 * five minutes off; `ExpiredTokenException`: an expired session). The store and secret checks
 * would otherwise all say "access denied" and suggest an IAM grant that cannot help.
 */

/** Which credential problem an AWS call ran into. */
export type AwsCredentialProblem = 'missing' | 'unknown-key' | 'wrong-secret' | 'clock' | 'expired';

/** A credential problem, worded for a doctor line. */
export interface AwsCredentialDiagnosis {
  readonly problem: AwsCredentialProblem;
  /** Leads the check's detail; names the AWS error, never a key or secret. */
  readonly summary: string;
  readonly fix: string;
}

const LOCAL_STACK_HINT =
  'Against the local stack, use the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY it prints (token-cache dev, npm run stack).';

/** The names of the error and its causes (StoreError and friends wrap the SDK's error). */
function errorChain(error: unknown): Array<{ name: string; message: string }> {
  const chain: Array<{ name: string; message: string }> = [];
  let current: unknown = error;
  // Bounded: a cause chain is short, and a cyclic one must not hang doctor.
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { name, message, cause } = current as {
      name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    chain.push({
      name: typeof name === 'string' ? name : '',
      message: typeof message === 'string' ? message : '',
    });
    current = cause;
  }
  return chain;
}

/**
 * Recognises a credential problem in an error from an AWS call to `service` (`SSM`,
 * `DynamoDB`, `Secrets Manager`); `undefined` for any other failure.
 *
 * @example
 * ```ts
 * diagnoseAwsCredentials(error, 'SSM')?.problem; // 'missing' | 'unknown-key' | 'wrong-secret' | ...
 * ```
 */
export function diagnoseAwsCredentials(
  error: unknown,
  service: string,
): AwsCredentialDiagnosis | undefined {
  for (const { name, message } of errorChain(error)) {
    switch (name) {
      case 'CredentialsProviderError':
        return {
          problem: 'missing',
          summary: 'no AWS credentials (CredentialsProviderError: the SDK found none to sign with)',
          fix: `Give this process AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones), AWS_PROFILE, or a role (Lambda, EC2, ECS). ${LOCAL_STACK_HINT}`,
        };
      case 'UnrecognizedClientException':
      case 'InvalidClientTokenId':
        return {
          problem: 'unknown-key',
          summary: `wrong AWS credentials: ${service} does not know the access key id (${name})`,
          fix: `Check AWS_ACCESS_KEY_ID or the AWS_PROFILE in use: the key must exist in this account and partition, and temporary keys need their AWS_SESSION_TOKEN. ${LOCAL_STACK_HINT}`,
        };
      case 'InvalidSignatureException':
      case 'SignatureDoesNotMatch':
        if (/^Signature (expired|not yet current)/.test(message)) {
          return {
            problem: 'clock',
            summary: `the request was signed with a clock more than 5 minutes off (${name}: signature expired)`,
            fix: "Synchronise this machine's clock (NTP); SigV4 signatures carry the signing time.",
          };
        }
        return {
          problem: 'wrong-secret',
          summary: `wrong AWS credentials: ${service} computed another signature (${name}): the secret access key does not belong to the access key id`,
          fix: `Set AWS_SECRET_ACCESS_KEY (or the profile's secret) to the secret of the access key id in use. ${LOCAL_STACK_HINT}`,
        };
      case 'ExpiredTokenException':
      case 'ExpiredToken':
        return {
          problem: 'expired',
          summary: `expired AWS credentials (${name}: the session token has expired)`,
          fix: 'Get fresh temporary credentials (aws sso login, or assume the role again) and update AWS_SESSION_TOKEN with them.',
        };
      default:
    }
  }
  return undefined;
}
