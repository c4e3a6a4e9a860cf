/**
 * `infra/terraform-vwc-core-policy-updated.json`, the policy of the `terraform-vwc` user that
 * applies this module: the seed's ParameterStoreManagement statement, plus the least the new
 * resources need. Evaluated with `@cloud-copilot/iam-simulate`, and cross-checked against
 * every resource the Terraform configuration creates.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_ACCOUNT_ID, EXAMPLE_KMS_KEY_ARN, examplePlan } from './support/example-plan.js';
import type { PolicyJson } from './support/iam-policies.js';
import { type Decision, decide, type SimulatedRequest } from './support/simulate.js';
import { loadTerraformConfig, type TerraformConfig } from './support/terraform-config.js';

const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));
const TERRAFORM_USER = `arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:user/terraform-vwc`;
const A = EXAMPLE_ACCOUNT_ID;
const ssm = (name: string, region = 'us-west-2') => `arn:aws:ssm:${region}:${A}:parameter${name}`;
const role = (name: string) => `arn:aws:iam::${A}:role/${name}`;

/** The statement exactly as the seed design document gives it. */
const SEED_PARAMETER_STORE_MANAGEMENT = {
  Sid: 'ParameterStoreManagement',
  Effect: 'Allow',
  Action: [
    'ssm:AddTagsToResource',
    'ssm:DeleteParameter',
    'ssm:DescribeParameters',
    'ssm:GetParameter',
    'ssm:GetParameters',
    'ssm:ListTagsForResource',
    'ssm:PutParameter',
    'ssm:RemoveTagsFromResource',
  ],
  Resource: 'arn:aws:ssm:us-west-2:*:parameter/vwc/*',
};

let policy: PolicyJson;
let config: TerraformConfig;
beforeAll(async () => {
  policy = JSON.parse(
    await readFile(`${INFRA_DIR}/terraform-vwc-core-policy-updated.json`, 'utf8'),
  ) as PolicyJson;
  config = await loadTerraformConfig(INFRA_DIR);
});

const asUser = (request: SimulatedRequest) => decide([policy], TERRAFORM_USER, request);

describe('terraform-vwc-core-policy-updated.json', () => {
  it('keeps the seed ParameterStoreManagement statement verbatim', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(
      policy.Statement.find((statement) => statement.Sid === 'ParameterStoreManagement'),
    ).toEqual(SEED_PARAMETER_STORE_MANAGEMENT);
  });

  it('allows nothing but Allow statements with unique Sids', () => {
    const sids = policy.Statement.map((statement) => statement.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
      for (const action of [statement.Action ?? []].flat()) expect(action).not.toMatch(/\*/);
    }
  });

  it('only uses Resource "*" for the two describe calls that support nothing narrower', () => {
    const unscoped = policy.Statement.filter((statement) =>
      [statement.Resource].flat().includes('*'),
    );
    expect(unscoped.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'logs:DescribeLogGroups',
      'ssm:DescribeParameters',
    ]);
  });

  const cases: Array<[string, SimulatedRequest, Decision]> = [
    // SSM: confined to /vwc/* in us-west-2.
    [
      'creates the cache parameter',
      { action: 'ssm:PutParameter', resource: ssm('/vwc/dev/auth0-token-cache') },
      'Allowed',
    ],
    [
      'tags it',
      { action: 'ssm:AddTagsToResource', resource: ssm('/vwc/prod/auth0-token-cache') },
      'Allowed',
    ],
    [
      'deletes it',
      { action: 'ssm:DeleteParameter', resource: ssm('/vwc/dev/auth0-token-cache') },
      'Allowed',
    ],
    [
      'lists parameters (the provider reads the tier and description this way)',
      { action: 'ssm:DescribeParameters', resource: '*' },
      'Allowed',
    ],
    [
      'a parameter outside /vwc/',
      { action: 'ssm:PutParameter', resource: ssm('/other/auth0-token-cache') },
      'ImplicitlyDenied',
    ],
    [
      'a sibling prefix of /vwc',
      { action: 'ssm:GetParameter', resource: ssm('/vwcx/dev/auth0-token-cache') },
      'ImplicitlyDenied',
    ],
    [
      'a top-level parameter',
      { action: 'ssm:DeleteParameter', resource: `arn:aws:ssm:us-west-2:${A}:parameter/vwc-dev` },
      'ImplicitlyDenied',
    ],
    [
      '/vwc/* in another region',
      { action: 'ssm:PutParameter', resource: ssm('/vwc/dev/auth0-token-cache', 'us-east-1') },
      'ImplicitlyDenied',
    ],
    [
      'reading /vwc/ by path',
      { action: 'ssm:GetParametersByPath', resource: ssm('/vwc') },
      'ImplicitlyDenied',
    ],
    [
      'batch deletes',
      { action: 'ssm:DeleteParameters', resource: ssm('/vwc/dev/auth0-token-cache') },
      'ImplicitlyDenied',
    ],
    [
      'running commands',
      {
        action: 'ssm:SendCommand',
        resource: `arn:aws:ssm:us-west-2:${A}:document/AWS-RunShellScript`,
      },
      'ImplicitlyDenied',
    ],
    // KMS: only through SSM.
    [
      'encrypts a SecureString through SSM',
      {
        action: 'kms:Encrypt',
        resource: EXAMPLE_KMS_KEY_ARN,
        context: { 'kms:ViaService': 'ssm.us-west-2.amazonaws.com' },
      },
      'Allowed',
    ],
    [
      'uses a key directly',
      { action: 'kms:Decrypt', resource: EXAMPLE_KMS_KEY_ARN },
      'ImplicitlyDenied',
    ],
    ['creates keys', { action: 'kms:CreateKey', resource: '*' }, 'ImplicitlyDenied'],
    // Lambda.
    [
      'creates the refresher',
      {
        action: 'lambda:CreateFunction',
        resource: `arn:aws:lambda:us-west-2:${A}:function:vwc-dev-token-refresher`,
      },
      'Allowed',
    ],
    [
      'updates get_vehicle_overview',
      {
        action: 'lambda:UpdateFunctionCode',
        resource: `arn:aws:lambda:us-west-2:${A}:function:vwc-prod-get-vehicle-overview`,
      },
      'Allowed',
    ],
    [
      'another function',
      {
        action: 'lambda:UpdateFunctionCode',
        resource: `arn:aws:lambda:us-west-2:${A}:function:billing-api`,
      },
      'ImplicitlyDenied',
    ],
    [
      'invoking the functions',
      {
        action: 'lambda:InvokeFunction',
        resource: `arn:aws:lambda:us-west-2:${A}:function:vwc-dev-token-refresher`,
      },
      'ImplicitlyDenied',
    ],
    [
      'opening a function to other principals',
      {
        action: 'lambda:AddPermission',
        resource: `arn:aws:lambda:us-west-2:${A}:function:vwc-dev-token-refresher`,
      },
      'ImplicitlyDenied',
    ],
    // IAM: the two roles, inline policies only, and pass-role to the right service.
    [
      'creates the Lambda role',
      { action: 'iam:CreateRole', resource: role('vwc-dev-token-cache-lambda') },
      'Allowed',
    ],
    [
      "writes the role's inline policy",
      { action: 'iam:PutRolePolicy', resource: role('vwc-dev-token-cache-lambda') },
      'Allowed',
    ],
    [
      'creates the scheduler role',
      { action: 'iam:CreateRole', resource: role('vwc-dev-token-refresher-scheduler') },
      'Allowed',
    ],
    [
      'another vwc role',
      { action: 'iam:PutRolePolicy', resource: role('vwc-dev-admin') },
      'ImplicitlyDenied',
    ],
    [
      'attaching managed policies (e.g. AdministratorAccess)',
      { action: 'iam:AttachRolePolicy', resource: role('vwc-dev-token-cache-lambda') },
      'ImplicitlyDenied',
    ],
    [
      'creating managed policies',
      { action: 'iam:CreatePolicy', resource: `arn:aws:iam::${A}:policy/vwc-anything` },
      'ImplicitlyDenied',
    ],
    [
      'changing its own policy',
      { action: 'iam:PutUserPolicy', resource: `arn:aws:iam::${A}:user/terraform-vwc` },
      'ImplicitlyDenied',
    ],
    [
      'passes the Lambda role to Lambda',
      {
        action: 'iam:PassRole',
        resource: role('vwc-dev-token-cache-lambda'),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      },
      'Allowed',
    ],
    [
      'passes the Lambda role to EC2',
      {
        action: 'iam:PassRole',
        resource: role('vwc-dev-token-cache-lambda'),
        context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
      },
      'ImplicitlyDenied',
    ],
    [
      'passes the scheduler role to Scheduler',
      {
        action: 'iam:PassRole',
        resource: role('vwc-dev-token-refresher-scheduler'),
        context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      },
      'Allowed',
    ],
    [
      'passes the scheduler role to Lambda',
      {
        action: 'iam:PassRole',
        resource: role('vwc-dev-token-refresher-scheduler'),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      },
      'ImplicitlyDenied',
    ],
    [
      'passes another role to Lambda',
      {
        action: 'iam:PassRole',
        resource: role('OrganizationAccountAccessRole'),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      },
      'ImplicitlyDenied',
    ],
    // Logs, schedules, alarms.
    [
      'creates the refresher log group',
      {
        action: 'logs:CreateLogGroup',
        resource: `arn:aws:logs:us-west-2:${A}:log-group:/aws/lambda/vwc-dev-token-refresher`,
      },
      'Allowed',
    ],
    [
      "deletes another application's log group",
      {
        action: 'logs:DeleteLogGroup',
        resource: `arn:aws:logs:us-west-2:${A}:log-group:/aws/lambda/billing-api`,
      },
      'ImplicitlyDenied',
    ],
    [
      'reads log events',
      {
        action: 'logs:GetLogEvents',
        resource: `arn:aws:logs:us-west-2:${A}:log-group:/aws/lambda/vwc-dev-token-refresher:log-stream:x`,
      },
      'ImplicitlyDenied',
    ],
    [
      'creates the refresher schedule',
      {
        action: 'scheduler:CreateSchedule',
        resource: `arn:aws:scheduler:us-west-2:${A}:schedule/default/vwc-dev-token-refresher`,
      },
      'Allowed',
    ],
    [
      'another schedule',
      {
        action: 'scheduler:CreateSchedule',
        resource: `arn:aws:scheduler:us-west-2:${A}:schedule/default/nightly-export`,
      },
      'ImplicitlyDenied',
    ],
    [
      'puts the endpoint-fetch alarm',
      {
        action: 'cloudwatch:PutMetricAlarm',
        resource: `arn:aws:cloudwatch:us-west-2:${A}:alarm:vwc-dev-token-cache-endpoint-fetches`,
      },
      'Allowed',
    ],
    [
      'deletes another alarm',
      {
        action: 'cloudwatch:DeleteAlarms',
        resource: `arn:aws:cloudwatch:us-west-2:${A}:alarm:billing-errors`,
      },
      'ImplicitlyDenied',
    ],
    // The dashboard (global: no region in its ARN).
    [
      'puts the token-cache dashboard',
      {
        action: 'cloudwatch:PutDashboard',
        resource: `arn:aws:cloudwatch::${A}:dashboard/vwc-prod-token-cache`,
      },
      'Allowed',
    ],
    [
      "deletes another team's dashboard",
      {
        action: 'cloudwatch:DeleteDashboards',
        resource: `arn:aws:cloudwatch::${A}:dashboard/billing-overview`,
      },
      'ImplicitlyDenied',
    ],
    // Parameter Store's higher-throughput setting, and no other service setting.
    [
      'turns on higher throughput in us-west-2',
      {
        action: 'ssm:UpdateServiceSetting',
        resource: `arn:aws:ssm:us-west-2:${A}:servicesetting/ssm/parameter-store/high-throughput-enabled`,
      },
      'Allowed',
    ],
    [
      'resets it (terraform destroy)',
      {
        action: 'ssm:ResetServiceSetting',
        resource: `arn:aws:ssm:us-west-2:${A}:servicesetting/ssm/parameter-store/high-throughput-enabled`,
      },
      'Allowed',
    ],
    [
      'changes the default parameter tier',
      {
        action: 'ssm:UpdateServiceSetting',
        resource: `arn:aws:ssm:us-west-2:${A}:servicesetting/ssm/parameter-store/default-parameter-tier`,
      },
      'ImplicitlyDenied',
    ],
    [
      'turns on higher throughput in another region',
      {
        action: 'ssm:UpdateServiceSetting',
        resource: `arn:aws:ssm:us-east-1:${A}:servicesetting/ssm/parameter-store/high-throughput-enabled`,
      },
      'ImplicitlyDenied',
    ],
    [
      'creates the DynamoDB table',
      {
        action: 'dynamodb:CreateTable',
        resource: `arn:aws:dynamodb:us-west-2:${A}:table/vwc-dev-auth0-token-cache`,
      },
      'Allowed',
    ],
    [
      'reads items of the table',
      {
        action: 'dynamodb:GetItem',
        resource: `arn:aws:dynamodb:us-west-2:${A}:table/vwc-dev-auth0-token-cache`,
      },
      'ImplicitlyDenied',
    ],
    [
      'another table',
      { action: 'dynamodb:DeleteTable', resource: `arn:aws:dynamodb:us-west-2:${A}:table/orders` },
      'ImplicitlyDenied',
    ],
  ];

  it.each(cases)('%s: %j is %s', async (_name, request, expected) => {
    expect(await asUser(request)).toBe(expected);
  });
});

describe('the terraform-vwc user can manage everything the module creates', () => {
  // What creating (and later updating/deleting) each resource type calls, per AWS provider.
  const lifecycleActions: Record<string, string[]> = {
    aws_ssm_parameter: [
      'ssm:PutParameter',
      'ssm:GetParameter',
      'ssm:AddTagsToResource',
      'ssm:ListTagsForResource',
      'ssm:DeleteParameter',
    ],
    aws_iam_role: [
      'iam:CreateRole',
      'iam:GetRole',
      'iam:TagRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:ListRolePolicies',
      'iam:ListAttachedRolePolicies',
      'iam:ListInstanceProfilesForRole',
      'iam:DeleteRole',
    ],
    aws_lambda_function: [
      'lambda:CreateFunction',
      'lambda:GetFunction',
      'lambda:GetFunctionCodeSigningConfig',
      'lambda:ListVersionsByFunction',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:TagResource',
      'lambda:DeleteFunction',
    ],
    aws_cloudwatch_log_group: [
      'logs:CreateLogGroup',
      'logs:PutRetentionPolicy',
      'logs:TagResource',
      'logs:ListTagsForResource',
      'logs:DeleteLogGroup',
    ],
    aws_scheduler_schedule: [
      'scheduler:CreateSchedule',
      'scheduler:GetSchedule',
      'scheduler:UpdateSchedule',
      'scheduler:DeleteSchedule',
    ],
    aws_cloudwatch_metric_alarm: [
      'cloudwatch:PutMetricAlarm',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:TagResource',
      'cloudwatch:DeleteAlarms',
    ],
    aws_cloudwatch_dashboard: [
      'cloudwatch:PutDashboard',
      'cloudwatch:GetDashboard',
      'cloudwatch:DeleteDashboards',
    ],
    // Create and update call UpdateServiceSetting, read GetServiceSetting, destroy resets it.
    aws_ssm_service_setting: [
      'ssm:UpdateServiceSetting',
      'ssm:GetServiceSetting',
      'ssm:ResetServiceSetting',
    ],
    aws_dynamodb_table: [
      'dynamodb:CreateTable',
      'dynamodb:DescribeTable',
      'dynamodb:UpdateTimeToLive',
      'dynamodb:DescribeTimeToLive',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:TagResource',
      'dynamodb:DeleteTable',
    ],
  };

  it.each(['dev', 'prod'])(
    'in environment %s, for every resource of every .tf file',
    async (environment) => {
      const hcl = examplePlan(config, {
        environment,
        token_store: 'dynamodb',
        ssm_high_throughput_enabled: true,
        app_secret_arn: `arn:aws:secretsmanager:us-west-2:${A}:secret:vwc/${environment}/app-AbCdEf`,
      });
      let checked = 0;
      for (const [type, byName] of Object.entries(config.resources)) {
        for (const name of Object.keys(byName)) {
          if (type === 'aws_iam_role_policy') {
            // An inline policy is managed through its role.
            const roleName = await hcl.string(byName[name]?.role);
            for (const action of [
              'iam:PutRolePolicy',
              'iam:GetRolePolicy',
              'iam:DeleteRolePolicy',
            ]) {
              expect(
                await asUser({ action, resource: role(roleName) }),
                `${action} for ${type}.${name}`,
              ).toBe('Allowed');
            }
            checked += 1;
            continue;
          }
          const actions = lifecycleActions[type];
          if (!actions)
            throw new Error(
              `${type}.${name}: add the actions that manage it to this test and the policy`,
            );
          const arn = await hcl.string(`\${${type}.${name}.arn}`);
          for (const action of actions) {
            expect(
              await asUser({ action, resource: arn }),
              `${action} on ${type}.${name} (${arn})`,
            ).toBe('Allowed');
          }
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(14);
    },
  );

  it('can pass each role to the service that uses it, as the resources require', async () => {
    const hcl = examplePlan(config);
    const passes: Array<[string, string]> = [];
    for (const name of Object.keys(config.resources.aws_lambda_function ?? {})) {
      passes.push([
        await hcl.string(`\${aws_lambda_function.${name}.role}`),
        'lambda.amazonaws.com',
      ]);
    }
    for (const name of Object.keys(config.resources.aws_scheduler_schedule ?? {})) {
      const [target] = (await hcl.evaluate(
        config.resources.aws_scheduler_schedule?.[name]?.target,
      )) as Array<{ role_arn: string }>;
      passes.push([target?.role_arn ?? '', 'scheduler.amazonaws.com']);
    }
    expect(passes.length).toBeGreaterThanOrEqual(3);
    for (const [roleArn, service] of passes) {
      expect(
        await asUser({
          action: 'iam:PassRole',
          resource: roleArn,
          context: { 'iam:PassedToService': service },
        }),
        `${roleArn} to ${service}`,
      ).toBe('Allowed');
    }
  });
});
