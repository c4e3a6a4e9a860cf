/**
 * The example values standing in for a real plan: account 123456789012, us-west-2, the `dev`
 * environment, and the variables that have no default.
 */
import { HclEvaluator } from './hcl-expression.js';
import { renderPolicyDocument } from './iam-policies.js';
import type { TerraformConfig } from './terraform-config.js';

export const EXAMPLE_ACCOUNT_ID = '123456789012';
export const EXAMPLE_REGION = 'us-west-2';
export const EXAMPLE_APP_SECRET_ARN = `arn:aws:secretsmanager:${EXAMPLE_REGION}:${EXAMPLE_ACCOUNT_ID}:secret:vwc/dev/app-AbCdEf`;
export const EXAMPLE_KMS_KEY_ARN = `arn:aws:kms:${EXAMPLE_REGION}:${EXAMPLE_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** tfvars of the example `dev` deployment; the rest take their defaults. */
export const EXAMPLE_VARIABLES = {
  environment: 'dev',
  app_secret_arn: EXAMPLE_APP_SECRET_ARN,
  vehicle_api_url: 'https://api.vwc.example.com',
} as const;

/**
 * An evaluator for the example deployment, with `overrides` on top of `EXAMPLE_VARIABLES`
 * (e.g. `{ token_cache_kms_key_arn: EXAMPLE_KMS_KEY_ARN }`).
 *
 * @example
 * ```ts
 * const hcl = examplePlan(await loadTerraformConfig('infra'));
 * await hcl.string('${aws_ssm_parameter.auth0_token_cache.name}'); // '/vwc/dev/auth0-token-cache'
 * ```
 */
export function examplePlan(
  config: TerraformConfig,
  overrides: Record<string, unknown> = {},
): HclEvaluator {
  const documents = new Map<string, Promise<string>>();
  const evaluator: HclEvaluator = new HclEvaluator(
    config,
    {
      accountId: EXAMPLE_ACCOUNT_ID,
      partition: 'aws',
      variables: { ...EXAMPLE_VARIABLES, ...overrides },
    },
    (name) => {
      let json = documents.get(name);
      if (!json) {
        json = renderPolicyDocument(evaluator, name).then((policy) => JSON.stringify(policy));
        documents.set(name, json);
      }
      return json;
    },
  );
  return evaluator;
}
