/**
 * Asks `@cloud-copilot/iam-simulate` whether identity policies allow one request, the way IAM
 * evaluates them (explicit deny > allow > implicit deny). Validation errors (a malformed
 * policy, an ARN of the wrong type for the action) throw instead of reading as "denied": a
 * near-miss test must fail for the right reason.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { EXAMPLE_ACCOUNT_ID } from './example-plan.js';
import type { PolicyJson } from './iam-policies.js';

/**
 * The default key policy AWS gives a customer-managed key: it delegates access to the
 * account's IAM policies. KMS, unlike other services, requires the key policy to allow a
 * request too (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html),
 * so KMS requests are simulated against this policy.
 */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

/** IAM's verdict. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One API request to evaluate. */
export interface SimulatedRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys, e.g. `{ 'iam:PassedToService': 'lambda.amazonaws.com' }`. */
  readonly context?: Record<string, string | string[]>;
}

/**
 * The decision for `request` made by `principal` holding `policies`.
 *
 * @example
 * ```ts
 * await decide([policy], 'arn:aws:iam::123456789012:role/r', { action: 'ssm:GetParameter', resource: arn });
 * // 'Allowed'
 * ```
 */
export async function decide(
  policies: readonly PolicyJson[],
  principal: string,
  request: SimulatedRequest,
): Promise<Decision> {
  const response = await runSimulation(
    {
      identityPolicies: policies.map((policy, index) => ({
        name: `policy-${index}`,
        policy: policy as never,
      })),
      ...(request.action.startsWith('kms:') ? { resourcePolicy: DEFAULT_KEY_POLICY as never } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: request.action,
        principal,
        resource: { accountId: EXAMPLE_ACCOUNT_ID, resource: request.resource },
        contextVariables: request.context ?? {},
      },
    },
    {},
  );
  if (response.resultType === 'error') {
    throw new Error(
      `iam-simulate rejected ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`,
    );
  }
  return response.overallResult as Decision;
}
