/**
 * infra/regions.tf and infra/modules/token-cache-replica: the primary's Lambdas may read and
 * write the parameter of the same name in each replica region, and nothing else there.
 */
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_VALUE } from '../../packages/token-cache/src/envelope.js';
import { type ExampleContext, HclEvaluator } from './support/hcl-expression.js';
import {
  collectRolePolicies,
  type PolicyJson,
  renderPolicyDocument,
} from './support/iam-policies.js';
import { asBlocks, loadTerraformConfig, type TerraformConfig } from './support/terraform-config.js';

const ACCOUNT = '123456789012';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/vwc-dev-token-cache-lambda`;
const parameterArn = (region: string, name = '/vwc/dev/auth0-token-cache') =>
  `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name}`;

let config: TerraformConfig;

function evaluator(variables: Record<string, unknown>): HclEvaluator {
  const context: ExampleContext = {
    accountId: ACCOUNT,
    partition: 'aws',
    variables: {
      environment: 'dev',
      app_secret_arn: `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:vwc/dev/app-AbCdEf`,
      vehicle_api_url: 'https://api.example.com',
      ...variables,
    },
  };
  const hcl: HclEvaluator = new HclEvaluator(config, context, async (name) =>
    JSON.stringify(await renderPolicyDocument(hcl, name)),
  );
  return hcl;
}

async function rolePolicies(variables: Record<string, unknown>): Promise<PolicyJson[]> {
  const roles = await collectRolePolicies(evaluator(variables));
  return (
    roles
      .find((role) => role.resourceName === 'token_cache_lambda')
      ?.inlinePolicies.map((p) => p.policy) ?? []
  );
}

async function decision(policies: PolicyJson[], action: string, resource: string): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: ROLE_ARN,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: policies.map((policy, index) => ({ name: `inline-${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

beforeAll(async () => {
  config = await loadTerraformConfig(join(import.meta.dirname, '..'));
});

describe('infra/regions.tf', () => {
  let policies: PolicyJson[];
  beforeAll(async () => {
    policies = await rolePolicies({ token_cache_replica_regions: ['eu-west-1', 'ap-southeast-2'] });
  });

  it.each([
    ['ssm:GetParameter', 'eu-west-1'],
    ['ssm:PutParameter', 'eu-west-1'],
    ['ssm:PutParameter', 'ap-southeast-2'],
  ])('allows %s on the replica parameter in %s', async (action, region) => {
    expect(await decision(policies, action, parameterArn(region))).toBe('Allowed');
  });

  it.each([
    ['ssm:PutParameter', parameterArn('ap-south-1')],
    ['ssm:DeleteParameter', parameterArn('eu-west-1')],
    ['ssm:PutParameter', parameterArn('eu-west-1', '/vwc/dev/auth0-token-cache-lock')],
    ['ssm:GetParameter', parameterArn('eu-west-1', '/vwc/prod/auth0-token-cache')],
  ])('denies %s on %s', async (action, resource) => {
    expect(await decision(policies, action, resource)).not.toBe('Allowed');
  });

  it('grants nothing in other regions for a single-region deployment', async () => {
    const single = await rolePolicies({});
    expect(await decision(single, 'ssm:PutParameter', parameterArn('eu-west-1'))).not.toBe(
      'Allowed',
    );
    expect(config.variables.token_cache_replica_regions?.default).toBeNull();
  });
});

describe('infra/modules/token-cache-replica', () => {
  it('creates the same-named parameter with the placeholder the library treats as empty', async () => {
    const replica = await loadTerraformConfig(
      join(import.meta.dirname, '..', 'modules', 'token-cache-replica'),
    );
    const parameter = replica.resources.aws_ssm_parameter?.token_cache;
    // Write-only, as in the primary: the token written here never lands in Terraform state.
    expect(parameter?.value_wo).toBe(PLACEHOLDER_VALUE);
    expect(parameter?.value_wo_version).toBe(1);
    expect(parameter).not.toHaveProperty('value');
    expect(parameter).not.toHaveProperty('insecure_value');
    expect(replica.terraform[0]?.required_version).toBe('~> 1.11');
    expect(parameter?.name).toBe(`\${var.parameter_name}`);
    expect(asBlocks(parameter?.lifecycle)[0]?.ignore_changes).toEqual([`\${description}`]);
    for (const [name, variable] of Object.entries(replica.variables)) {
      expect(variable.description, name).toEqual(expect.any(String));
      expect(variable.type, name).toEqual(expect.any(String));
    }
  });
});
