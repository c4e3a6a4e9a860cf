/**
 * The offline evaluator the infrastructure tests rely on. If it evaluated an expression
 * wrongly, a policy test could pass for the wrong reason, so its behaviour is pinned here on a
 * small synthetic module, including the constructs it must refuse.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HclEvaluator } from './support/hcl-expression.js';
import { policyFromExpression, renderPolicyDocument } from './support/iam-policies.js';
import { loadTerraformConfig, type TerraformConfig } from './support/terraform-config.js';

const MODULE = `
variable "environment" {
  type    = string
  default = "dev"
}
variable "key_arns" {
  type    = list(string)
  default = null
}
variable "enabled" {
  type    = bool
  default = true
}
locals {
  prefix = "vwc-\${var.environment}"
  env = merge(
    {
      # A comment, with a comma, and "quotes" inside a merge.
      NAME = local.prefix
    },
    var.key_arns == null ? {} : { KEYS = join(",", var.key_arns) },
    { SWITCH = var.enabled ? "on" : "off" },
  )
  literal = "$\${not.interpolated}"
}
resource "aws_iam_role" "example" {
  name = "\${local.prefix}-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}
data "aws_caller_identity" "current" {}
data "aws_iam_policy_document" "keys" {
  statement {
    sid       = "Static"
    actions   = ["sts:GetCallerIdentity"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = var.key_arns == null ? [] : var.key_arns
    content {
      sid       = "Key\${statement.key}"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.us-west-2.amazonaws.com"]
      }
    }
  }
}
locals {
  unsupported = [for arn in var.key_arns : upper(arn)]
}
`;

let directory: string;
let config: TerraformConfig;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hcl-expression-'));
  await writeFile(join(directory, 'main.tf'), MODULE);
  config = await loadTerraformConfig(directory);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function evaluator(variables: Record<string, unknown> = {}): HclEvaluator {
  const hcl: HclEvaluator = new HclEvaluator(
    config,
    { accountId: '123456789012', partition: 'aws', variables },
    async (name) => JSON.stringify(await renderPolicyDocument(hcl, name)),
  );
  return hcl;
}

describe('HclEvaluator', () => {
  it('evaluates merge(), conditionals, join() and templates, ignoring comments', async () => {
    expect(await evaluator().value('local.env')).toEqual({ NAME: 'vwc-dev', SWITCH: 'on' });
    expect(
      await evaluator({ environment: 'prod', enabled: false, key_arns: ['a', 'b'] }).value(
        'local.env',
      ),
    ).toEqual({ NAME: 'vwc-prod', KEYS: 'a,b', SWITCH: 'off' });
  });

  it('keeps an escaped $${ literal', async () => {
    expect(await evaluator().value('local.literal')).toBe(`\${not.interpolated}`);
  });

  it('renders a jsonencode() policy with its references resolved', async () => {
    const policy = await policyFromExpression(
      evaluator(),
      config.resources.aws_iam_role?.example?.assume_role_policy,
    );
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'lambda.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
  });

  it('expands a dynamic statement once per for_each element, and not at all for an empty list', async () => {
    const none = await renderPolicyDocument(evaluator(), 'keys');
    expect(none.Statement.map((statement) => statement.Sid)).toEqual(['Static']);

    const two = await renderPolicyDocument(evaluator({ key_arns: ['arn:1', 'arn:2'] }), 'keys');
    expect(two.Statement.slice(1)).toEqual([
      {
        Effect: 'Allow',
        Sid: 'Key0',
        Action: ['kms:Decrypt'],
        Resource: ['arn:1'],
        Condition: { StringEquals: { 'kms:ViaService': ['ssm.us-west-2.amazonaws.com'] } },
      },
      expect.objectContaining({ Sid: 'Key1', Resource: ['arn:2'] }),
    ]);
  });

  it('refuses what it cannot evaluate instead of guessing', async () => {
    await expect(evaluator({ key_arns: ['a'] }).value('local.unsupported')).rejects.toThrow(
      /unsupported/,
    );
    await expect(evaluator().value('var.undeclared')).rejects.toThrow(/undeclared variable/);
    await expect(evaluator().value('aws_s3_bucket.missing.arn')).rejects.toThrow(
      /undeclared resource/,
    );
  });
});
