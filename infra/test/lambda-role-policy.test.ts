/**
 * The Lambdas' execution role and the scheduler's role, evaluated by an IAM policy simulator
 * (`@cloud-copilot/iam-simulate`) after rendering the HCL policy documents with the example
 * deployment's values: each role is allowed exactly what it needs on exactly its ARNs, and
 * implicitly denied the near misses.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_ACCOUNT_ID,
  EXAMPLE_APP_SECRET_ARN,
  EXAMPLE_KMS_KEY_ARN,
  examplePlan,
} from './support/example-plan.js';
import {
  collectRolePolicies,
  type PolicyJson,
  policyFromExpression,
  type RolePolicies,
  renderPolicyDocument,
} from './support/iam-policies.js';
import { type Decision, decide, type SimulatedRequest } from './support/simulate.js';
import { loadTerraformConfig, type TerraformConfig } from './support/terraform-config.js';

const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));
const ARN = {
  cache: `arn:aws:ssm:us-west-2:${EXAMPLE_ACCOUNT_ID}:parameter/vwc/dev/auth0-token-cache`,
  lock: `arn:aws:ssm:us-west-2:${EXAMPLE_ACCOUNT_ID}:parameter/vwc/dev/auth0-token-cache-lock`,
  parameter: (name: string, region = 'us-west-2', account = EXAMPLE_ACCOUNT_ID) =>
    `arn:aws:ssm:${region}:${account}:parameter${name}`,
  logStream: (functionName: string) =>
    `arn:aws:logs:us-west-2:${EXAMPLE_ACCOUNT_ID}:log-group:/aws/lambda/${functionName}:log-stream:2026/11/29/[$LATEST]0123456789abcdef`,
  function: (name: string) => `arn:aws:lambda:us-west-2:${EXAMPLE_ACCOUNT_ID}:function:${name}`,
  otherKey: `arn:aws:kms:us-west-2:${EXAMPLE_ACCOUNT_ID}:key/99999999-12ab-34cd-56ef-1234567890ab`,
};
const LAMBDA_ROLE = `arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:role/vwc-dev-token-cache-lambda`;
const SCHEDULER_ROLE = `arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:role/vwc-dev-token-refresher-scheduler`;
const VIA_SSM = { 'kms:ViaService': 'ssm.us-west-2.amazonaws.com' };

let config: TerraformConfig;
beforeAll(async () => {
  config = await loadTerraformConfig(INFRA_DIR);
});

async function rolesFor(overrides: Record<string, unknown> = {}): Promise<RolePolicies[]> {
  return collectRolePolicies(examplePlan(config, overrides));
}

async function policiesOf(
  resourceName: string,
  overrides: Record<string, unknown> = {},
): Promise<PolicyJson[]> {
  const role = (await rolesFor(overrides)).find((each) => each.resourceName === resourceName);
  if (!role) throw new Error(`no aws_iam_role.${resourceName}`);
  return role.inlinePolicies.map((each) => each.policy);
}

type Case = [string, SimulatedRequest, Decision];

const allowedWithoutKey: Case[] = [
  ['reads the cache parameter', { action: 'ssm:GetParameter', resource: ARN.cache }, 'Allowed'],
  ['writes the cache parameter', { action: 'ssm:PutParameter', resource: ARN.cache }, 'Allowed'],
  ['reads the lease', { action: 'ssm:GetParameter', resource: ARN.lock }, 'Allowed'],
  ['creates the lease', { action: 'ssm:PutParameter', resource: ARN.lock }, 'Allowed'],
  ['releases the lease', { action: 'ssm:DeleteParameter', resource: ARN.lock }, 'Allowed'],
  [
    'reads the app secret',
    { action: 'secretsmanager:GetSecretValue', resource: EXAMPLE_APP_SECRET_ARN },
    'Allowed',
  ],
  [
    'logs from get_vehicle_overview',
    { action: 'logs:PutLogEvents', resource: ARN.logStream('vwc-dev-get-vehicle-overview') },
    'Allowed',
  ],
  [
    'opens a log stream of the refresher',
    { action: 'logs:CreateLogStream', resource: ARN.logStream('vwc-dev-token-refresher') },
    'Allowed',
  ],
];

const nearMisses: Case[] = [
  [
    'another parameter in the same path',
    { action: 'ssm:GetParameter', resource: ARN.parameter('/vwc/dev/mongodb-uri') },
    'ImplicitlyDenied',
  ],
  [
    'the prod cache from dev',
    { action: 'ssm:GetParameter', resource: ARN.parameter('/vwc/prod/auth0-token-cache') },
    'ImplicitlyDenied',
  ],
  [
    'writing the prod cache from dev',
    { action: 'ssm:PutParameter', resource: ARN.parameter('/vwc/prod/auth0-token-cache') },
    'ImplicitlyDenied',
  ],
  [
    'the prod lease from dev',
    { action: 'ssm:DeleteParameter', resource: ARN.parameter('/vwc/prod/auth0-token-cache-lock') },
    'ImplicitlyDenied',
  ],
  [
    'deleting the cache parameter',
    { action: 'ssm:DeleteParameter', resource: ARN.cache },
    'ImplicitlyDenied',
  ],
  [
    'a name that extends the lock name',
    { action: 'ssm:PutParameter', resource: ARN.parameter('/vwc/dev/auth0-token-cache-lock2') },
    'ImplicitlyDenied',
  ],
  [
    'a child of the cache parameter',
    { action: 'ssm:GetParameter', resource: ARN.parameter('/vwc/dev/auth0-token-cache/x') },
    'ImplicitlyDenied',
  ],
  [
    'GetParametersByPath on /vwc/',
    { action: 'ssm:GetParametersByPath', resource: ARN.parameter('/vwc') },
    'ImplicitlyDenied',
  ],
  [
    'GetParametersByPath on /vwc/dev/',
    { action: 'ssm:GetParametersByPath', resource: ARN.parameter('/vwc/dev') },
    'ImplicitlyDenied',
  ],
  [
    'batch GetParameters on the cache',
    { action: 'ssm:GetParameters', resource: ARN.cache },
    'ImplicitlyDenied',
  ],
  [
    'reading the cache history',
    { action: 'ssm:GetParameterHistory', resource: ARN.cache },
    'ImplicitlyDenied',
  ],
  [
    'labelling a cache version',
    { action: 'ssm:LabelParameterVersion', resource: ARN.cache },
    'ImplicitlyDenied',
  ],
  [
    'tagging the cache parameter',
    { action: 'ssm:AddTagsToResource', resource: ARN.cache },
    'ImplicitlyDenied',
  ],
  ['DescribeParameters', { action: 'ssm:DescribeParameters', resource: '*' }, 'ImplicitlyDenied'],
  [
    'the same name in another region',
    {
      action: 'ssm:GetParameter',
      resource: ARN.parameter('/vwc/dev/auth0-token-cache', 'us-east-1'),
    },
    'ImplicitlyDenied',
  ],
  [
    'the same name in another account',
    {
      action: 'ssm:GetParameter',
      resource: ARN.parameter('/vwc/dev/auth0-token-cache', 'us-west-2', '210987654321'),
    },
    'ImplicitlyDenied',
  ],
  [
    'another secret',
    {
      action: 'secretsmanager:GetSecretValue',
      resource: `arn:aws:secretsmanager:us-west-2:${EXAMPLE_ACCOUNT_ID}:secret:vwc/dev/other-XyZabc`,
    },
    'ImplicitlyDenied',
  ],
  [
    'a recreated secret of the same name',
    {
      action: 'secretsmanager:GetSecretValue',
      resource: `arn:aws:secretsmanager:us-west-2:${EXAMPLE_ACCOUNT_ID}:secret:vwc/dev/app-ZzZzZz`,
    },
    'ImplicitlyDenied',
  ],
  [
    'writing the app secret',
    { action: 'secretsmanager:PutSecretValue', resource: EXAMPLE_APP_SECRET_ARN },
    'ImplicitlyDenied',
  ],
  [
    'KMS when no customer-managed key is set',
    { action: 'kms:Decrypt', resource: EXAMPLE_KMS_KEY_ARN, context: VIA_SSM },
    'ImplicitlyDenied',
  ],
  [
    'creating log groups',
    {
      action: 'logs:CreateLogGroup',
      resource: `arn:aws:logs:us-west-2:${EXAMPLE_ACCOUNT_ID}:log-group:/aws/lambda/vwc-dev-token-refresher`,
    },
    'ImplicitlyDenied',
  ],
  [
    "another function's log group",
    { action: 'logs:PutLogEvents', resource: ARN.logStream('vwc-dev-other') },
    'ImplicitlyDenied',
  ],
  [
    'invoking Lambdas',
    { action: 'lambda:InvokeFunction', resource: ARN.function('vwc-dev-token-refresher') },
    'ImplicitlyDenied',
  ],
  [
    'the DynamoDB table while the store is SSM',
    {
      action: 'dynamodb:GetItem',
      resource: `arn:aws:dynamodb:us-west-2:${EXAMPLE_ACCOUNT_ID}:table/vwc-dev-auth0-token-cache`,
    },
    'ImplicitlyDenied',
  ],
];

describe('aws_iam_role.token_cache_lambda (no customer-managed key)', () => {
  it.each([...allowedWithoutKey, ...nearMisses])(
    '%s: %j is %s',
    async (_name, request, expected) => {
      expect(await decide(await policiesOf('token_cache_lambda'), LAMBDA_ROLE, request)).toBe(
        expected,
      );
    },
  );

  it('grants exactly these actions, each on named resources, never a wildcard', async () => {
    const statements = (await policiesOf('token_cache_lambda')).flatMap(
      (policy) => policy.Statement,
    );
    const actions = new Set(statements.flatMap((statement) => [statement.Action ?? []].flat()));
    expect([...actions].sort()).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'ssm:DeleteParameter',
        'ssm:GetParameter',
        'ssm:PutParameter',
      ].sort(),
    );
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
      for (const resource of [statement.Resource ?? []].flat()) {
        // Only log streams carry a wildcard: their names are chosen by Lambda at run time.
        if (resource.includes('*'))
          expect(resource).toMatch(/:log-group:\/aws\/lambda\/vwc-dev-[a-z-]+:log-stream:\*$/);
      }
    }
  });

  it('keeps the seed statement ParameterStoreAccess on the cache parameter alone', async () => {
    const statements = (await policiesOf('token_cache_lambda')).flatMap(
      (policy) => policy.Statement,
    );
    expect(statements.find((statement) => statement.Sid === 'ParameterStoreAccess')).toMatchObject({
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:PutParameter'],
      Resource: [ARN.cache],
    });
  });

  it('is assumable by Lambda alone, for this account only', async () => {
    const role = (await rolesFor()).find((each) => each.resourceName === 'token_cache_lambda');
    expect(role?.trustPolicy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Principal: { Service: ['lambda.amazonaws.com'] },
        Condition: { StringEquals: { 'aws:SourceAccount': [EXAMPLE_ACCOUNT_ID] } },
      }),
    ]);
  });
});

describe('aws_iam_role.token_cache_lambda with a customer-managed key', () => {
  const withKey = { token_cache_kms_key_arn: EXAMPLE_KMS_KEY_ARN };
  const cases: Case[] = [
    [
      'decrypts through SSM',
      { action: 'kms:Decrypt', resource: EXAMPLE_KMS_KEY_ARN, context: VIA_SSM },
      'Allowed',
    ],
    [
      'encrypts through SSM',
      { action: 'kms:Encrypt', resource: EXAMPLE_KMS_KEY_ARN, context: VIA_SSM },
      'Allowed',
    ],
    [
      'uses the key directly, not through SSM',
      { action: 'kms:Decrypt', resource: EXAMPLE_KMS_KEY_ARN },
      'ImplicitlyDenied',
    ],
    [
      'uses the key through another service',
      {
        action: 'kms:Decrypt',
        resource: EXAMPLE_KMS_KEY_ARN,
        context: { 'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com' },
      },
      'ImplicitlyDenied',
    ],
    [
      'uses another key',
      { action: 'kms:Decrypt', resource: ARN.otherKey, context: VIA_SSM },
      'ImplicitlyDenied',
    ],
    [
      'manages the key',
      { action: 'kms:ScheduleKeyDeletion', resource: EXAMPLE_KMS_KEY_ARN },
      'ImplicitlyDenied',
    ],
    [
      'still reads the cache parameter',
      { action: 'ssm:GetParameter', resource: ARN.cache },
      'Allowed',
    ],
  ];
  it.each(cases)('%s: %j is %s', async (_name, request, expected) => {
    expect(
      await decide(await policiesOf('token_cache_lambda', withKey), LAMBDA_ROLE, request),
    ).toBe(expected);
  });
});

describe('aws_iam_role.token_refresher_scheduler', () => {
  const cases: Case[] = [
    [
      'invokes the refresher',
      { action: 'lambda:InvokeFunction', resource: ARN.function('vwc-dev-token-refresher') },
      'Allowed',
    ],
    [
      'invokes get_vehicle_overview',
      { action: 'lambda:InvokeFunction', resource: ARN.function('vwc-dev-get-vehicle-overview') },
      'ImplicitlyDenied',
    ],
    [
      "invokes prod's refresher",
      { action: 'lambda:InvokeFunction', resource: ARN.function('vwc-prod-token-refresher') },
      'ImplicitlyDenied',
    ],
    [
      'changes the refresher',
      { action: 'lambda:UpdateFunctionCode', resource: ARN.function('vwc-dev-token-refresher') },
      'ImplicitlyDenied',
    ],
    ['reads the token', { action: 'ssm:GetParameter', resource: ARN.cache }, 'ImplicitlyDenied'],
  ];
  it.each(cases)('%s: %j is %s', async (_name, request, expected) => {
    expect(
      await decide(await policiesOf('token_refresher_scheduler'), SCHEDULER_ROLE, request),
    ).toBe(expected);
  });

  it('is assumable by EventBridge Scheduler alone', async () => {
    const role = (await rolesFor()).find(
      (each) => each.resourceName === 'token_refresher_scheduler',
    );
    expect(role?.trustPolicy.Statement.map((statement) => statement.Principal)).toEqual([
      { Service: ['scheduler.amazonaws.com'] },
    ]);
  });
});

describe('every policy in the module', () => {
  const scenarios: Array<Record<string, unknown>> = [
    {},
    {
      token_cache_kms_key_arn: EXAMPLE_KMS_KEY_ARN,
      token_store: 'dynamodb',
      token_cache_table_kms_key_arn: EXAMPLE_KMS_KEY_ARN,
      token_cache_replica_regions: ['eu-west-1'],
    },
  ];

  it.each(scenarios)(
    'renders every policy document and policy argument of every .tf file (%j)',
    async (overrides) => {
      const hcl = examplePlan(config, overrides);
      const policies: Array<{ where: string; policy: PolicyJson; trust: boolean }> = [];
      for (const name of Object.keys(config.data.aws_iam_policy_document ?? {})) {
        const policy = await renderPolicyDocument(hcl, name);
        // A document with principals is a trust (or other resource) policy.
        const trust = policy.Statement.some((statement) => statement.Principal !== undefined);
        policies.push({ where: `data.aws_iam_policy_document.${name}`, policy, trust });
      }
      for (const [type, byName] of Object.entries(config.resources)) {
        for (const [name, block] of Object.entries(byName)) {
          if (block.count !== undefined && Number(await hcl.evaluate(block.count)) === 0) continue;
          // Policy arguments: `policy`, `assume_role_policy`, ... (HCL documents or jsonencode).
          for (const key of Object.keys(block).filter((each) => /(^|_)policy$/.test(each))) {
            policies.push({
              where: `${type}.${name}.${key}`,
              policy: await policyFromExpression(hcl, block[key]),
              trust: key === 'assume_role_policy',
            });
          }
        }
      }
      expect(policies.length).toBeGreaterThanOrEqual(8);

      for (const { where, policy, trust } of policies) {
        expect(policy.Version, where).toBe('2012-10-17');
        for (const statement of policy.Statement) {
          if (policy.Statement.length > 0 && statement.Sid !== undefined)
            expect(statement.Sid, where).toMatch(/^[A-Za-z0-9]+$/);
          if (trust) {
            expect(statement.Principal, where).toEqual({
              Service: [expect.stringMatching(/\.amazonaws\.com$/)],
            });
            continue;
          }
          const [action] = [statement.Action ?? []].flat();
          const [resource] = [statement.Resource ?? []].flat();
          if (!action || !resource)
            throw new Error(`${where}: a statement without an action or a resource`);
          // Each statement allows its own first action on its first resource (conditions met);
          // a misspelt action or an ARN of the wrong type throws or denies here.
          const context: Record<string, string | string[]> = {};
          for (const operands of Object.values(statement.Condition ?? {})) {
            for (const [key, values] of Object.entries(operands)) context[key] = values;
          }
          const decision = await decide([policy], LAMBDA_ROLE, {
            action,
            resource: resource.replace(/\*$/, 'x'),
            context,
          });
          expect(decision, `${where} ${statement.Sid ?? ''}`).toBe('Allowed');
        }
      }
    },
  );
});
