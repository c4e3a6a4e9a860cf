/**
 * infra/dynamodb.tf: the table the DynamoDB store expects, gated by `token_store`, and a
 * least-privilege policy that IAM (simulated) allows for the cache's own two items only.
 */
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../packages/token-cache/src/config/variables.js';
import {
  DEFAULT_DYNAMODB_ITEM_KEY,
  DYNAMODB_ITEM_ATTRIBUTES,
} from '../../packages/token-cache/src/stores/dynamodb-store.js';
import { type ExampleContext, HclEvaluator } from './support/hcl-expression.js';
import {
  collectRolePolicies,
  type PolicyJson,
  renderPolicyDocument,
} from './support/iam-policies.js';
import { asBlocks, loadTerraformConfig, type TerraformConfig } from './support/terraform-config.js';

const ACCOUNT = '123456789012';
const BASE_VARIABLES = {
  environment: 'dev',
  app_secret_arn: `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:vwc/dev/app-AbCdEf`,
  vehicle_api_url: 'https://api.example.com',
};
const TABLE_ARN = `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/vwc-dev-auth0-token-cache`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/vwc-dev-token-cache-lambda`;

let config: TerraformConfig;

/** `${ref}` as hcl2json renders a bare reference. */
const hclReference = (ref: string) => `\${${ref}}`;

function evaluator(variables: Record<string, unknown> = {}): HclEvaluator {
  const context: ExampleContext = {
    accountId: ACCOUNT,
    partition: 'aws',
    variables: { ...BASE_VARIABLES, ...variables },
  };
  const hcl: HclEvaluator = new HclEvaluator(config, context, async (name) =>
    JSON.stringify(await renderPolicyDocument(hcl, name)),
  );
  return hcl;
}

/** Policies attached to the Lambdas' role for a given configuration. */
async function lambdaRolePolicies(variables: Record<string, unknown>): Promise<PolicyJson[]> {
  const roles = await collectRolePolicies(evaluator(variables));
  const role = roles.find((each) => each.resourceName === 'token_cache_lambda');
  if (!role) throw new Error('aws_iam_role.token_cache_lambda not found');
  return role.inlinePolicies.map(({ policy }) => policy);
}

async function decision(
  policies: PolicyJson[],
  action: string,
  resource: string,
  leadingKeys?: string[],
): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: ROLE_ARN,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: leadingKeys ? { 'dynamodb:LeadingKeys': leadingKeys } : {},
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

describe('infra/dynamodb.tf table', () => {
  const table = () => config.resources.aws_dynamodb_table?.token_cache ?? {};

  it.each([
    ['ssm', 0],
    ['dynamodb', 1],
  ])('creates the table only when token_store = %s → count %i', async (tokenStore, count) => {
    expect(await evaluator({ token_store: tokenStore }).evaluate(table().count)).toBe(count);
  });

  it('leaves the SSM default unchanged: token_store defaults to "ssm"', async () => {
    expect(await evaluator().evaluate(table().count)).toBe(0);
  });

  it('is on-demand, keyed and expired the way the DynamoDB store writes its items', async () => {
    const hcl = evaluator({ token_store: 'dynamodb' });
    expect(table().billing_mode).toBe('PAY_PER_REQUEST');
    expect(table().hash_key).toBe(DYNAMODB_ITEM_ATTRIBUTES.partitionKey);
    expect(asBlocks(table().attribute)).toEqual([
      { name: DYNAMODB_ITEM_ATTRIBUTES.partitionKey, type: 'S' },
    ]);
    expect(asBlocks(table().ttl)).toEqual([
      { attribute_name: DYNAMODB_ITEM_ATTRIBUTES.ttl, enabled: true },
    ]);
    expect(asBlocks(table().server_side_encryption)[0]?.enabled).toBe(true);
    expect(await hcl.string(table().name)).toBe('vwc-dev-auth0-token-cache');
  });

  it('defaults the item key to the library default', () => {
    expect(config.variables.token_cache_table_item_key?.default).toBe(DEFAULT_DYNAMODB_ITEM_KEY);
  });

  it('hands the Lambdas the store selection through the environment only when enabled', async () => {
    expect(
      await evaluator({ token_store: 'dynamodb' }).evaluate(
        hclReference('local.token_cache_table_environment'),
      ),
    ).toEqual({
      // The names the library's config reads (packages/token-cache/src/config/variables.ts).
      [ENV.store]: 'dynamodb',
      [ENV.dynamoDbTable]: 'vwc-dev-auth0-token-cache',
      [ENV.dynamoDbItemKey]: DEFAULT_DYNAMODB_ITEM_KEY,
    });
    expect(await evaluator().evaluate(hclReference('local.token_cache_table_environment'))).toEqual(
      {},
    );
  });

  it.each([
    'token_store',
    'token_cache_table_name',
    'token_cache_table_item_key',
    'token_cache_table_kms_key_arn',
  ])('declares variable %s with a description, a type and a validation', (name) => {
    const variable = config.variables[name];
    expect(variable?.description).toEqual(expect.any(String));
    expect(variable?.type).toEqual(expect.any(String));
    expect(asBlocks(variable?.validation).length).toBeGreaterThan(0);
  });
});

describe('infra/dynamodb.tf IAM (simulated)', () => {
  const token = `${DEFAULT_DYNAMODB_ITEM_KEY}#token`;
  const lease = `${DEFAULT_DYNAMODB_ITEM_KEY}#lease`;
  let policies: PolicyJson[];

  beforeAll(async () => {
    policies = await lambdaRolePolicies({ token_store: 'dynamodb' });
  });

  it.each([
    ['dynamodb:GetItem', token],
    ['dynamodb:GetItem', lease],
    ['dynamodb:UpdateItem', token],
    ['dynamodb:UpdateItem', lease],
  ])('allows %s on %s', async (action, key) => {
    expect(await decision(policies, action, TABLE_ARN, [key])).toBe('Allowed');
  });

  it.each([
    ['dynamodb:GetItem', TABLE_ARN, ['another-cache#token']],
    ['dynamodb:UpdateItem', TABLE_ARN, ['users#1']],
    ['dynamodb:DeleteItem', TABLE_ARN, [token]],
    ['dynamodb:PutItem', TABLE_ARN, [token]],
    ['dynamodb:Scan', TABLE_ARN, undefined],
    ['dynamodb:DeleteTable', TABLE_ARN, undefined],
    ['dynamodb:GetItem', `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/other-table`, [token]],
  ])('denies %s on %s for keys %j', async (action, resource, keys) => {
    expect(await decision(policies, action, resource, keys)).not.toBe('Allowed');
  });

  it('attaches nothing for DynamoDB when the fleet shares through SSM', async () => {
    const ssmPolicies = await lambdaRolePolicies({ token_store: 'ssm' });
    expect(await decision(ssmPolicies, 'dynamodb:GetItem', TABLE_ARN, [token])).not.toBe('Allowed');
  });

  it('grants a customer-managed key only through DynamoDB', async () => {
    const key = `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const document = await renderPolicyDocument(
      evaluator({ token_store: 'dynamodb', token_cache_table_kms_key_arn: key }),
      'token_cache_table',
    );
    const kms = document.Statement.find((statement) => statement.Sid === 'TokenCacheTableKmsKey');
    expect(kms?.Resource).toEqual([key]);
    expect(kms?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': ['dynamodb.us-west-2.amazonaws.com'] },
    });
    const withoutKey = await renderPolicyDocument(
      evaluator({ token_store: 'dynamodb' }),
      'token_cache_table',
    );
    expect(withoutKey.Statement.map((statement) => statement.Sid)).toEqual([
      'TokenCacheTableItems',
    ]);
  });
});
