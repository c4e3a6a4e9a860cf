/**
 * A replica region's deployment of the same module (regions.md): it reuses the primary's
 * Lambda role (`existing_lambda_role_arn`) instead of creating a colliding global IAM role,
 * skips the schedule, and names the primary in its Lambdas' environment; the primary's role
 * grants what those Lambdas do in their own region. Offline: hcl2json + iam-simulate.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_ACCOUNT_ID, examplePlan } from './support/example-plan.js';
import { collectRolePolicies, isCreated, type PolicyJson } from './support/iam-policies.js';
import { decide } from './support/simulate.js';
import { asBlocks, loadTerraformConfig, type TerraformConfig } from './support/terraform-config.js';

const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));
const PRIMARY_ROLE = `arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:role/vwc-dev-token-cache-lambda`;

/** tfvars of the eu-west-1 deployment next to a us-west-2 primary. */
const REPLICA_DEPLOYMENT = {
  aws_region: 'eu-west-1',
  existing_lambda_role_arn: PRIMARY_ROLE,
  token_cache_primary_region: 'us-west-2',
  token_cache_replica_regions: ['eu-west-1'],
};

let config: TerraformConfig;
beforeAll(async () => {
  config = await loadTerraformConfig(INFRA_DIR);
});

/** `type.name` of every resource the plan creates (counted resources with count = 0 left out). */
async function createdResources(variables: Record<string, unknown>): Promise<string[]> {
  const hcl = examplePlan(config, variables);
  const created: string[] = [];
  for (const [type, byName] of Object.entries(config.resources)) {
    for (const [name, block] of Object.entries(byName)) {
      if (await isCreated(hcl, block)) created.push(`${type}.${name}`);
    }
  }
  return created;
}

async function validationResults(variable: string, variables: Record<string, unknown>) {
  const hcl = examplePlan(config, variables);
  return Promise.all(
    asBlocks(config.variables[variable]?.validation).map(async (validation) => ({
      ok: await hcl.evaluate(validation.condition),
      message: String(validation.error_message),
    })),
  );
}

describe('variable existing_lambda_role_arn', () => {
  it('is optional, typed and described', () => {
    const variable = config.variables.existing_lambda_role_arn;
    expect(variable?.default).toBeNull();
    // hcl2json renders a type constraint as an interpolation: `string` becomes "${string}".
    expect(variable?.type).toBe(`$${'{string}'}`);
    expect(String(variable?.description)).toMatch(/lambda_role_arn output/);
  });

  it.each([
    [null, true],
    [PRIMARY_ROLE, true],
    [`arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:role/service-role/vwc-dev-token-cache-lambda`, true],
    [`arn:aws-us-gov:iam::${EXAMPLE_ACCOUNT_ID}:role/vwc-dev-token-cache-lambda`, true],
    ['vwc-dev-token-cache-lambda', false],
    [`arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:instance-profile/vwc`, false],
    [`arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:user/terraform-vwc`, false],
    ['arn:aws:iam::12345:role/short-account', false],
  ])('%j is accepted: %s', async (value, accepted) => {
    const results = await validationResults('existing_lambda_role_arn', {
      existing_lambda_role_arn: value,
    });
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => result.ok === true)).toBe(accepted);
    for (const result of results) expect(result.message).toContain('existing_lambda_role_arn');
  });
});

describe('variable token_cache_primary_region', () => {
  it.each([
    ['a replica deployment', REPLICA_DEPLOYMENT, true],
    ['the primary (null)', { token_cache_replica_regions: ['eu-west-1'] }, true],
    ['not a region', { ...REPLICA_DEPLOYMENT, token_cache_primary_region: 'oregon' }, false],
    ['its own region', { ...REPLICA_DEPLOYMENT, token_cache_primary_region: 'eu-west-1' }, false],
    ['without a replica list', { ...REPLICA_DEPLOYMENT, token_cache_replica_regions: null }, false],
    [
      'with a list that omits this region',
      { ...REPLICA_DEPLOYMENT, token_cache_replica_regions: ['ap-southeast-2'] },
      false,
    ],
    ['without the primary role', { ...REPLICA_DEPLOYMENT, existing_lambda_role_arn: null }, false],
  ])('%s → accepted %s', async (_, variables, accepted) => {
    const results = await validationResults('token_cache_primary_region', variables);
    expect(results.every((result) => result.ok === true)).toBe(accepted);
    for (const result of results) expect(result.message).toContain('token_cache_primary_region');
  });
});

describe('the primary (default) deployment', () => {
  it('creates the Lambda role and its policies, and the functions use it', async () => {
    const created = await createdResources({ token_cache_replica_regions: ['eu-west-1'] });
    expect(created).toEqual(
      expect.arrayContaining([
        'aws_iam_role.token_cache_lambda',
        'aws_iam_role_policy.token_cache_lambda',
        'aws_iam_role_policy.token_cache_replicas',
        'aws_iam_role.token_refresher_scheduler',
        'aws_scheduler_schedule.token_refresher',
      ]),
    );
    const hcl = examplePlan(config);
    for (const name of ['get_vehicle_overview', 'token_refresher']) {
      expect(await hcl.string(config.resources.aws_lambda_function?.[name]?.role)).toBe(
        PRIMARY_ROLE,
      );
    }
    expect(await hcl.evaluate(config.outputs.lambda_role_arn?.value)).toBe(PRIMARY_ROLE);
  });
});

describe('a replica region deployment (existing_lambda_role_arn + token_cache_primary_region)', () => {
  it('creates no IAM role or policy at all: nothing global that could collide', async () => {
    const created = await createdResources(REPLICA_DEPLOYMENT);
    expect(created.filter((resource) => resource.startsWith('aws_iam_'))).toEqual([]);
    expect(await collectRolePolicies(examplePlan(config, REPLICA_DEPLOYMENT))).toEqual([]);
    // The regional resources are still there: the region's parameter, functions, log groups.
    expect(created).toEqual(
      expect.arrayContaining([
        'aws_ssm_parameter.auth0_token_cache',
        'aws_lambda_function.get_vehicle_overview',
        'aws_lambda_function.token_refresher',
        'aws_cloudwatch_log_group.get_vehicle_overview',
      ]),
    );
  });

  it('runs both functions with the primary role and outputs it', async () => {
    const hcl = examplePlan(config, REPLICA_DEPLOYMENT);
    for (const name of ['get_vehicle_overview', 'token_refresher']) {
      expect(await hcl.string(config.resources.aws_lambda_function?.[name]?.role)).toBe(
        PRIMARY_ROLE,
      );
    }
    expect(await hcl.evaluate(config.outputs.lambda_role_arn?.value)).toBe(PRIMARY_ROLE);
  });

  it('schedules no refresher: the primary refreshes every region', async () => {
    const created = await createdResources(REPLICA_DEPLOYMENT);
    expect(created).not.toContain('aws_scheduler_schedule.token_refresher');
    const hcl = examplePlan(config, REPLICA_DEPLOYMENT);
    expect(await hcl.evaluate(config.outputs.token_refresher_schedule_name?.value)).toBeNull();
  });

  it('names the primary region, not its own, in the Lambdas environment', async () => {
    const hcl = examplePlan(config, REPLICA_DEPLOYMENT);
    const [environment] = (await hcl.evaluate(
      config.resources.aws_lambda_function?.get_vehicle_overview?.environment,
    )) as Array<{ variables: Record<string, string> }>;
    expect(environment?.variables).toMatchObject({
      TOKEN_CACHE_PRIMARY_REGION: 'us-west-2',
      TOKEN_CACHE_REPLICA_REGIONS: 'eu-west-1',
      AUTH0_TOKEN_PARAMETER_NAME: '/vwc/dev/auth0-token-cache',
    });
  });

  it('with an existing role but one region, still schedules the refresher', async () => {
    const created = await createdResources({ existing_lambda_role_arn: PRIMARY_ROLE });
    expect(created).not.toContain('aws_iam_role.token_cache_lambda');
    expect(created).toContain('aws_scheduler_schedule.token_refresher');
  });
});

describe("the primary role covers the replica region's Lambdas", () => {
  const logStream = (region: string, fn: string) =>
    `arn:aws:logs:${region}:${EXAMPLE_ACCOUNT_ID}:log-group:/aws/lambda/vwc-dev-${fn}:log-stream:2026/11/29/[$LATEST]abc`;
  const table = (region: string) =>
    `arn:aws:dynamodb:${region}:${EXAMPLE_ACCOUNT_ID}:table/vwc-dev-auth0-token-cache`;

  async function primaryPolicies(variables: Record<string, unknown>): Promise<PolicyJson[]> {
    const roles = await collectRolePolicies(examplePlan(config, variables));
    const role = roles.find((each) => each.resourceName === 'token_cache_lambda');
    if (!role) throw new Error('the primary creates aws_iam_role.token_cache_lambda');
    return role.inlinePolicies.map((each) => each.policy);
  }

  it('lets them write their own log groups, and no other region’s', async () => {
    const policies = await primaryPolicies({ token_cache_replica_regions: ['eu-west-1'] });
    for (const fn of ['get-vehicle-overview', 'token-refresher']) {
      expect(
        await decide(policies, PRIMARY_ROLE, {
          action: 'logs:PutLogEvents',
          resource: logStream('eu-west-1', fn),
        }),
      ).toBe('Allowed');
    }
    expect(
      await decide(policies, PRIMARY_ROLE, {
        action: 'logs:PutLogEvents',
        resource: logStream('ap-south-1', 'get-vehicle-overview'),
      }),
    ).toBe('ImplicitlyDenied');
    const single = await primaryPolicies({});
    expect(
      await decide(single, PRIMARY_ROLE, {
        action: 'logs:PutLogEvents',
        resource: logStream('eu-west-1', 'get-vehicle-overview'),
      }),
    ).toBe('ImplicitlyDenied');
  });

  it('with the DynamoDB store, lets them read and write the token item of their own table only', async () => {
    const policies = await primaryPolicies({
      token_store: 'dynamodb',
      token_cache_replica_regions: ['eu-west-1'],
    });
    const request = (action: string, region: string, key: string) =>
      decide(policies, PRIMARY_ROLE, {
        action,
        resource: table(region),
        context: { 'dynamodb:LeadingKeys': [key] },
      });
    expect(await request('dynamodb:GetItem', 'eu-west-1', 'auth0-token-cache#token')).toBe(
      'Allowed',
    );
    expect(await request('dynamodb:UpdateItem', 'eu-west-1', 'auth0-token-cache#token')).toBe(
      'Allowed',
    );
    // The lease lives in the primary's table only.
    expect(await request('dynamodb:UpdateItem', 'eu-west-1', 'auth0-token-cache#lease')).toBe(
      'ImplicitlyDenied',
    );
    expect(await request('dynamodb:DeleteItem', 'eu-west-1', 'auth0-token-cache#token')).toBe(
      'ImplicitlyDenied',
    );
    expect(await request('dynamodb:GetItem', 'ap-south-1', 'auth0-token-cache#token')).toBe(
      'ImplicitlyDenied',
    );
    // No SSM replica grant when the fleet shares through DynamoDB.
    expect(
      await decide(policies, PRIMARY_ROLE, {
        action: 'ssm:PutParameter',
        resource: `arn:aws:ssm:eu-west-1:${EXAMPLE_ACCOUNT_ID}:parameter/vwc/dev/auth0-token-cache`,
      }),
    ).toBe('ImplicitlyDenied');
  });
});
