/**
 * Turns the module's IAM policies into the JSON AWS would evaluate, with example values for
 * everything Terraform only knows at plan time: `aws_iam_policy_document` data sources
 * (static and `dynamic "statement"` blocks), `jsonencode(...)` policies and attachments of
 * inline policies to roles.
 */
import type { HclEvaluator } from './hcl-expression.js';
import { asBlocks, type HclBlock } from './terraform-config.js';

/** A policy as IAM reads it. */
export interface PolicyJson {
  readonly Version: string;
  readonly Statement: readonly StatementJson[];
}

/** One statement; only the elements this module uses. */
export interface StatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: Record<string, string | string[]> | '*';
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

const KNOWN_STATEMENT_KEYS = new Set([
  'sid',
  'effect',
  'actions',
  'not_actions',
  'resources',
  'not_resources',
  'principals',
  'not_principals',
  'condition',
]);

/**
 * Renders `data "aws_iam_policy_document" "<name>"` like the provider does: every `statement`
 * block, then every `dynamic "statement"` expanded over its `for_each`.
 *
 * @example
 * ```ts
 * const policy = await renderPolicyDocument(hcl, 'token_cache_lambda');
 * policy.Statement.map((s) => s.Sid); // ['ParameterStoreAccess', ...]
 * ```
 */
export async function renderPolicyDocument(hcl: HclEvaluator, name: string): Promise<PolicyJson> {
  const block = hcl.config.data.aws_iam_policy_document?.[name];
  if (!block) throw new Error(`no data "aws_iam_policy_document" "${name}"`);
  for (const key of Object.keys(block)) {
    // source/override documents merge other policies in; not used here, so refuse them
    // rather than silently render half a policy.
    if (!['statement', 'dynamic', 'version'].includes(key)) {
      throw new Error(`aws_iam_policy_document.${name}: unsupported argument "${key}"`);
    }
  }
  const statements: StatementJson[] = [];
  for (const statement of asBlocks(block.statement)) {
    statements.push(await renderStatement(hcl, statement, {}, name));
  }
  const dynamics = (block.dynamic ?? {}) as Record<string, unknown>;
  for (const [blockName, dynamicBlocks] of Object.entries(dynamics)) {
    if (blockName !== 'statement') throw new Error(`${name}: unsupported dynamic "${blockName}"`);
    for (const dynamic of asBlocks(dynamicBlocks)) {
      const iterator = typeof dynamic.iterator === 'string' ? dynamic.iterator : 'statement';
      const items = await hcl.evaluate(dynamic.for_each);
      const entries = Array.isArray(items)
        ? items.map((value, key) => ({ key, value }))
        : Object.entries((items ?? {}) as Record<string, unknown>).map(([key, value]) => ({
            key,
            value,
          }));
      const content = asBlocks(dynamic.content)[0];
      if (!content) throw new Error(`${name}: dynamic "statement" without content`);
      for (const entry of entries) {
        statements.push(await renderStatement(hcl, content, { [iterator]: entry }, name));
      }
    }
  }
  const version = block.version === undefined ? '2012-10-17' : await hcl.string(block.version);
  return { Version: version, Statement: statements };
}

async function renderStatement(
  hcl: HclEvaluator,
  block: HclBlock,
  scope: Record<string, unknown>,
  documentName: string,
): Promise<StatementJson> {
  for (const key of Object.keys(block)) {
    if (!KNOWN_STATEMENT_KEYS.has(key)) {
      throw new Error(
        `aws_iam_policy_document.${documentName}: unsupported statement key "${key}"`,
      );
    }
  }
  const list = async (value: unknown) =>
    value === undefined ? undefined : ((await hcl.evaluate(value, scope)) as string[]);
  const statement: Record<string, unknown> = {
    Effect: block.effect === undefined ? 'Allow' : await hcl.string(block.effect, scope),
  };
  if (block.sid !== undefined) statement.Sid = await hcl.string(block.sid, scope);
  const elements: Array<[string, string]> = [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ];
  for (const [hclKey, jsonKey] of elements) {
    const value = await list(block[hclKey]);
    if (value !== undefined) statement[jsonKey] = value;
  }
  for (const [hclKey, jsonKey] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const principals = asBlocks(block[hclKey]);
    if (principals.length === 0) continue;
    const rendered: Record<string, string[]> = {};
    for (const principal of principals) {
      const type = await hcl.string(principal.type, scope);
      rendered[type] = [...(rendered[type] ?? []), ...((await list(principal.identifiers)) ?? [])];
    }
    statement[jsonKey] = rendered;
  }
  const conditions = asBlocks(block.condition);
  if (conditions.length > 0) {
    const rendered: Record<string, Record<string, string[]>> = {};
    for (const condition of conditions) {
      const test = await hcl.string(condition.test, scope);
      const variable = await hcl.string(condition.variable, scope);
      rendered[test] = { ...rendered[test], [variable]: (await list(condition.values)) ?? [] };
    }
    statement.Condition = rendered;
  }
  return statement as unknown as StatementJson;
}

/** A role with its trust policy and the inline policies attached to it. */
export interface RolePolicies {
  readonly resourceName: string;
  readonly roleName: string;
  readonly trustPolicy: PolicyJson;
  readonly inlinePolicies: ReadonlyArray<{
    readonly resourceName: string;
    readonly policy: PolicyJson;
  }>;
}

/**
 * Every `aws_iam_role` this plan creates (`count = 0` roles excluded: e.g. with
 * `existing_lambda_role_arn`) with its trust policy and every `aws_iam_role_policy` attached
 * to it (`count = 0` instances excluded). Managed-policy attachments are refused: their content is
 * not in this module, so nothing could vouch for least privilege.
 *
 * @example
 * ```ts
 * const roles = await collectRolePolicies(hcl);
 * roles.find((r) => r.resourceName === 'token_cache_lambda')?.inlinePolicies.length; // 1
 * ```
 */
export async function collectRolePolicies(hcl: HclEvaluator): Promise<RolePolicies[]> {
  const attachments = Object.keys(hcl.config.resources.aws_iam_role_policy_attachment ?? {});
  if (attachments.length > 0) {
    throw new Error(
      `managed policy attachments cannot be verified offline: ${attachments.join(', ')}`,
    );
  }
  const roles: RolePolicies[] = [];
  for (const [resourceName, role] of Object.entries(hcl.config.resources.aws_iam_role ?? {})) {
    if (role.inline_policy !== undefined || role.managed_policy_arns !== undefined) {
      throw new Error(
        `aws_iam_role.${resourceName}: use aws_iam_role_policy, not inline_policy/managed_policy_arns`,
      );
    }
    if (!(await isCreated(hcl, role))) continue;
    const roleName = await hcl.string(role.name);
    const inlinePolicies = [];
    for (const [policyName, attachment] of Object.entries(
      hcl.config.resources.aws_iam_role_policy ?? {},
    )) {
      if (!(await isCreated(hcl, attachment))) continue;
      if ((await hcl.string(attachment.role)) !== roleName) continue;
      inlinePolicies.push({
        resourceName: policyName,
        policy: await policyFromExpression(hcl, attachment.policy),
      });
    }
    roles.push({
      resourceName,
      roleName,
      trustPolicy: await policyFromExpression(hcl, role.assume_role_policy),
      inlinePolicies,
    });
  }
  return roles;
}

/**
 * Whether a resource exists in this plan: no `count`, or a `count` above 0.
 *
 * @example
 * ```ts
 * await isCreated(hcl, hcl.config.resources.aws_iam_role?.token_cache_lambda ?? {}); // true by default
 * ```
 */
export async function isCreated(hcl: HclEvaluator, block: HclBlock): Promise<boolean> {
  return block.count === undefined || Number(await hcl.evaluate(block.count)) > 0;
}

/** A `policy` argument: `data.aws_iam_policy_document.x.json` or `jsonencode({...})`. */
export async function policyFromExpression(
  hcl: HclEvaluator,
  expression: unknown,
): Promise<PolicyJson> {
  const text = await hcl.string(expression);
  return JSON.parse(text) as PolicyJson;
}
