/**
 * `docs/operations.md` against the code it documents: a newcomer copies names and commands
 * from it, so every Terraform variable, resource name, environment variable and script it
 * mentions must exist.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplePlan } from './support/example-plan.js';
import type { PolicyJson } from './support/iam-policies.js';
import { loadTerraformConfig, type TerraformConfig } from './support/terraform-config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let doc: string;
let config: TerraformConfig;

beforeAll(async () => {
  doc = await readFile(`${ROOT}/docs/operations.md`, 'utf8');
  config = await loadTerraformConfig(`${ROOT}/infra`);
});

/** Fenced code blocks of one language. */
function codeBlocks(language: string): string[] {
  return [...doc.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (match) => match[1] ?? '',
  );
}

describe('docs/operations.md', () => {
  it('uses only declared variables in its tfvars example, commented-out ones included', async () => {
    const [tfvars] = codeBlocks('hcl');
    expect(tfvars).toBeDefined();
    // Commented-out assignments are suggestions a reader will uncomment: check them too.
    const uncommented = (tfvars ?? '').replace(/^# (?=\w+\s+=)/gm, '');
    const parsed = await parse('terraform.tfvars', uncommented);
    expect(Object.keys(parsed).length).toBeGreaterThanOrEqual(8);
    for (const name of Object.keys(parsed)) expect(config.variables, name).toHaveProperty(name);
  });

  it('names every -var and every `variable` it mentions as declared variables', () => {
    const mentioned = new Set([
      ...[...doc.matchAll(/-var (\w+)=/g)].map((match) => match[1] ?? ''),
      ...[...doc.matchAll(/`([a-z_]+) = /g)].map((match) => match[1] ?? ''),
    ]);
    expect(mentioned).toContain('token_cache_shared');
    for (const name of mentioned) expect(config.variables, name).toHaveProperty(name);
  });

  it('names the resources Terraform creates for dev', async () => {
    const hcl = examplePlan(config);
    const names = [
      await hcl.expression('aws_ssm_parameter.auth0_token_cache.name'),
      await hcl.expression('local.token_cache_lock_parameter_name'),
      await hcl.expression('aws_lambda_function.get_vehicle_overview.function_name'),
      await hcl.expression('aws_lambda_function.token_refresher.function_name'),
      await hcl.expression('aws_iam_role.token_cache_lambda.name'),
      await hcl.expression('aws_cloudwatch_metric_alarm.endpoint_fetches.alarm_name'),
      await hcl.expression('aws_cloudwatch_metric_alarm.store_throttles.alarm_name'),
      await hcl.expression('aws_cloudwatch_dashboard.token_cache.dashboard_name'),
    ];
    for (const name of names) expect(doc).toContain(name);
  });

  it('mentions every environment variable Terraform sets on the functions', async () => {
    const hcl = examplePlan(config, {
      token_cache_kms_key_arn:
        'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    for (const name of ['get_vehicle_overview', 'token_refresher']) {
      const [environment] = (await hcl.evaluate(
        config.resources.aws_lambda_function?.[name]?.environment,
      )) as Array<{
        variables: Record<string, string>;
      }>;
      for (const variable of Object.keys(environment?.variables ?? {}).filter(
        (key) => key !== 'NODE_OPTIONS',
      )) {
        expect(doc, variable).toContain(variable);
      }
    }
  });

  it('runs only npm scripts that exist', async () => {
    const rootPackage = JSON.parse(await readFile(`${ROOT}/package.json`, 'utf8')) as {
      scripts: Record<string, string>;
    };
    const scripts = [...doc.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1] ?? '');
    expect(scripts).toContain('bundle');
    for (const script of scripts.filter((name) => !name.startsWith('bench'))) {
      expect(rootPackage.scripts, script).toHaveProperty(script);
    }
  });

  it('states the real size of the terraform-vwc policy against the IAM limits', async () => {
    const policy = JSON.parse(
      await readFile(`${ROOT}/infra/terraform-vwc-core-policy-updated.json`, 'utf8'),
    ) as PolicyJson;
    // IAM counts policy size without whitespace (IAM quotas: inline user policies 2,048 in
    // total, managed policies 6,144).
    const size = JSON.stringify(policy).replace(/\s/g, '').length;
    expect(size).toBeLessThanOrEqual(6_144);
    expect(size).toBeGreaterThan(2_048);
    const stated = /the updated\s+> document is about ([\d,]+)/.exec(doc)?.[1];
    expect(Math.abs(Number(stated?.replace(',', '')) - size)).toBeLessThan(200);
  });
});
