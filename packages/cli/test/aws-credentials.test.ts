/**
 * Unit test of the one function that tells AWS credential failures apart for doctor; the
 * missing, unknown-key and wrong-secret cases also run end to end in cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { diagnoseAwsCredentials } from '../src/doctor/aws-credentials.js';

/** An error shaped like the SDK's: a name, a message, maybe a cause. */
function awsError(name: string, message = '', cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { name });
}

describe('diagnoseAwsCredentials', () => {
  it.each([
    ['CredentialsProviderError', 'Could not load credentials from any providers', 'missing'],
    [
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      'unknown-key',
    ],
    [
      'InvalidSignatureException',
      'The request signature we calculated does not match',
      'wrong-secret',
    ],
    [
      'InvalidSignatureException',
      'Signature expired: 20260115T115459Z is now earlier than 20260115T115500Z (20260115T120000Z - 5 min.)',
      'clock',
    ],
    ['ExpiredTokenException', 'The security token included in the request is expired', 'expired'],
  ])('%s (%s) is %s', (name, message, problem) => {
    const diagnosis = diagnoseAwsCredentials(awsError(name, message), 'SSM');
    expect(diagnosis?.problem).toBe(problem);
    expect(diagnosis?.fix).not.toContain('Grant');
  });

  it('finds the SDK error behind the errors that wrap it', () => {
    const wrapped = awsError(
      'StoreError',
      'SSM GetParameter failed',
      awsError('UnrecognizedClientException'),
    );
    expect(diagnoseAwsCredentials(wrapped, 'SSM')?.summary).toBe(
      'wrong AWS credentials: SSM does not know the access key id (UnrecognizedClientException)',
    );
  });

  it('leaves other failures, and a cyclic cause chain, alone', () => {
    expect(diagnoseAwsCredentials(awsError('AccessDeniedException'), 'SSM')).toBeUndefined();
    const cyclic = awsError('StoreError');
    (cyclic as { cause?: unknown }).cause = cyclic;
    expect(diagnoseAwsCredentials(cyclic, 'SSM')).toBeUndefined();
    expect(diagnoseAwsCredentials('not an error', 'SSM')).toBeUndefined();
  });
});
