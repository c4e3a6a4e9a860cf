/**
 * Asks `@cloud-copilot/iam-simulate` whether identity policies allow one request, the way IAM
 * evaluates them (explicit deny > allow > implicit deny). Validation errors (a malformed
 * policy, an ARN of the wrong type for the action) throw instead of reading as "denied": a
 * near-miss test must fail for the right reason.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { EXAMPLE_ACCOUNT_ID } from './example-plan.js';
import type { PolicyJson } from './iam-policies.js';

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
    throw new Error(`iam-simulate rejected ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult as Decision;
}
