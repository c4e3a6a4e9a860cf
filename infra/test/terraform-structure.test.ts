/**
 * The Terraform module's structure, checked offline: every `.tf` file in `infra/` is parsed
 * with hcl2json and its expressions evaluated for an example `dev` deployment
 * (account 123456789012, us-west-2). No terraform binary, no AWS account.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_NAMESPACE, METRIC_NAMES } from '../../packages/token-cache/src/events.js';
import { examplePlan } from './support/example-plan.js';
import {
  asBlocks,
  type HclBlock,
  loadTerraformConfig,
  type TerraformConfig,
} from './support/terraform-config.js';

const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));

let config: TerraformConfig;
beforeAll(async () => {
  config = await loadTerraformConfig(INFRA_DIR);
});

function resource(type: string, name: string): HclBlock {
  const block = config.resources[type]?.[name];
  if (!block) throw new Error(`missing resource ${type}.${name}`);
  return block;
}

/** A resource's arguments, evaluated; meta-arguments (`lifecycle`, `depends_on`) hold no values. */
function argumentsOf(block: HclBlock): HclBlock {
  const { lifecycle: _lifecycle, depends_on: _dependsOn, ...rest } = block;
  return rest;
}

async function environmentOf(functionName: string, overrides: Record<string, unknown> = {}) {
  const hcl = examplePlan(config, overrides);
  const [environment] = (await hcl.evaluate(
    resource('aws_lambda_function', functionName).environment,
  )) as Array<{
    variables: Record<string, string>;
  }>;
  return environment?.variables ?? {};
}

describe('module layout', () => {
  it('splits the module into the standard files', () => {
    for (const file of [
      'versions.tf',
      'variables.tf',
      'main.tf',
      'outputs.tf',
      'iam.tf',
      'lambda.tf',
      'scheduler.tf',
      'alarms.tf',
      'dashboard.tf',
      'ssm-throughput.tf',
    ]) {
      expect(config.files).toContain(file);
    }
  });

  it('pins Terraform and the aws and archive providers', () => {
    const [terraform] = config.terraform;
    // 1.11 is the first Terraform with write-only arguments (the parameter's value_wo).
    expect(terraform?.required_version).toBe('~> 1.11');
    const [providers] = asBlocks(terraform?.required_providers);
    expect(providers?.aws).toEqual({
      source: 'hashicorp/aws',
      version: expect.stringMatching(/^~> 6\.\d+$/),
    });
    expect(providers?.archive).toEqual({
      source: 'hashicorp/archive',
      version: expect.stringMatching(/^~> 2\.\d+$/),
    });
  });

  it('gives every variable a description and a type, and every output a description', () => {
    for (const [name, variable] of Object.entries(config.variables)) {
      expect(typeof variable.description, `variable ${name}`).toBe('string');
      expect(String(variable.description).length, `variable ${name}`).toBeGreaterThan(20);
      expect(variable.type, `variable ${name}`).toMatch(/^\$\{.+\}$/);
    }
    for (const [name, output] of Object.entries(config.outputs)) {
      expect(output.description, `output ${name}`).toEqual(expect.any(String));
    }
  });
});

describe('variable validation', () => {
  // [variable, value, accepted]: values that would otherwise fail late (at apply or at run time).
  const cases: Array<[string, unknown, boolean]> = [
    ['environment', 'dev', true],
    ['environment', 'prod-eu', true],
    ['environment', 'Prod', false],
    ['environment', 'dev/x', false],
    ['environment', '', false],
    ['token_cache_parameter_type', 'SecureString', true],
    ['token_cache_parameter_type', 'String', true],
    ['token_cache_parameter_type', 'StringList', false],
    ['token_cache_parameter_tier', 'Standard', true],
    ['token_cache_parameter_tier', 'Advanced', true],
    ['token_cache_parameter_tier', 'Premium', false],
    ['token_cache_kms_key_arn', null, true],
    [
      'token_cache_kms_key_arn',
      'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      true,
    ],
    ['token_cache_kms_key_arn', 'arn:aws:kms:us-west-2:123456789012:alias/vwc', false],
    ['token_cache_kms_key_arn', '1234abcd-12ab-34cd-56ef-1234567890ab', false],
    [
      'app_secret_arn',
      'arn:aws:secretsmanager:us-west-2:123456789012:secret:vwc/dev/app-AbCdEf',
      true,
    ],
    ['app_secret_arn', 'vwc/dev/app', false],
    ['app_secret_arn', 'arn:aws:secretsmanager:us-west-2:123456789012:secret:vwc/dev/app', false],
    ['refresh_schedule_expression', 'rate(1 hour)', true],
    ['refresh_schedule_expression', 'rate(30 minutes)', true],
    ['refresh_schedule_expression', 'rate(1 hours)', false],
    ['refresh_schedule_expression', 'cron(0 * * * ? *)', false],
    ['refresh_schedule_expression', 'rate(0 minutes)', false],
    ['refresh_threshold_minutes', 120, true],
    ['refresh_threshold_minutes', 5, false],
    ['refresh_threshold_minutes', 1440, false],
    ['refresh_threshold_minutes', 90.5, false],
    ['vehicle_api_url', 'https://api.example.com/v1', true],
    ['vehicle_api_url', 'http://api.example.com', false],
    ['vehicle_api_url', 'https://api.example.com/?x=1', false],
    ['log_retention_days', 30, true],
    ['log_retention_days', 31, false],
    ['endpoint_fetch_daily_threshold', 10, true],
    ['endpoint_fetch_daily_threshold', 0, false],
    ['store_throttle_threshold', 0, false],
    ['mongodb_database', 'vehicle_wellness_center', true],
    ['mongodb_database', 'bad.name', false],
    ['aws_region', 'us-west-2', true],
    ['aws_region', 'oregon', false],
    ['token_cache_placeholder_version', 1, true],
    ['token_cache_placeholder_version', 7, true],
    ['token_cache_placeholder_version', 0, false],
    ['token_cache_placeholder_version', 1.5, false],
  ];

  it.each(cases)('%s = %j is %s', async (name, value, accepted) => {
    const variable = config.variables[name];
    const validations = asBlocks(variable?.validation);
    expect(validations.length, `${name} has a validation`).toBeGreaterThan(0);
    const hcl = examplePlan(config, { [name]: value });
    const results = await Promise.all(
      validations.map((validation) => hcl.evaluate(validation.condition)),
    );
    expect(results.every((result) => result === true)).toBe(accepted);
    for (const validation of validations) {
      expect(validation.error_message, `${name} explains what it expects`).toContain(name);
    }
  });

  it('refuses a customer-managed key on a plain String parameter', async () => {
    const hcl = examplePlan(config, {
      token_cache_parameter_type: 'String',
      token_cache_kms_key_arn:
        'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const results = await Promise.all(
      asBlocks(config.variables.token_cache_kms_key_arn?.validation).map((validation) =>
        hcl.evaluate(validation.condition),
      ),
    );
    expect(results).toContain(false);
  });
});

describe('aws_ssm_parameter.auth0_token_cache', () => {
  it('is /vwc/<env>/auth0-token-cache, a SecureString on the Standard tier holding the placeholder', async () => {
    const hcl = examplePlan(config);
    const parameter = (await hcl.evaluate(
      argumentsOf(resource('aws_ssm_parameter', 'auth0_token_cache')),
    )) as HclBlock;
    expect(parameter).toMatchObject({
      name: '/vwc/dev/auth0-token-cache',
      type: 'SecureString',
      tier: 'Standard',
      value_wo: 'not-initialized',
      value_wo_version: 1,
      key_id: null,
      tags: { Project: 'VehicleWellnessCenter', Environment: 'dev', ManagedBy: 'Terraform' },
    });
    expect(parameter.description).toEqual(expect.any(String));
  });

  it('takes the type, tier and customer-managed key from variables', async () => {
    const key = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const hcl = examplePlan(config, {
      token_cache_parameter_tier: 'Advanced',
      token_cache_kms_key_arn: key,
    });
    expect(
      await hcl.evaluate(argumentsOf(resource('aws_ssm_parameter', 'auth0_token_cache'))),
    ).toMatchObject({
      type: 'SecureString',
      tier: 'Advanced',
      key_id: key,
    });
  });

  it('writes the placeholder only through the write-only value_wo, never value or insecure_value', () => {
    const parameter = resource('aws_ssm_parameter', 'auth0_token_cache');
    // With value or insecure_value in the configuration the provider stores whatever it reads
    // back (the live token) in state; with value_wo it stores neither (docs/operations.md).
    expect(parameter).not.toHaveProperty('value');
    expect(parameter).not.toHaveProperty('insecure_value');
    expect(parameter).toHaveProperty('value_wo');
    expect(parameter).toHaveProperty('value_wo_version');
  });

  it('rewrites the placeholder only when token_cache_placeholder_version changes', async () => {
    const parameter = resource('aws_ssm_parameter', 'auth0_token_cache');
    expect(
      await examplePlan(config, { token_cache_placeholder_version: 2 }).evaluate(
        parameter.value_wo_version,
      ),
    ).toBe(2);
    const [lifecycle] = asBlocks(parameter.lifecycle);
    // hcl2json renders the bare attribute names as interpolations. value_wo_version must not be
    // ignored, or bumping it would never reach the provider.
    expect(lifecycle?.ignore_changes).toEqual([`\${description}`]);
  });
});

describe('tags', () => {
  it('tags every taggable resource with Project, Environment and ManagedBy', async () => {
    const hcl = examplePlan(config);
    const taggable = [
      'aws_ssm_parameter',
      'aws_iam_role',
      'aws_lambda_function',
      'aws_cloudwatch_log_group',
      'aws_cloudwatch_metric_alarm',
      'aws_dynamodb_table',
    ];
    let checked = 0;
    for (const type of taggable) {
      for (const [name, block] of Object.entries(config.resources[type] ?? {})) {
        expect(await hcl.evaluate(block.tags), `${type}.${name}`).toEqual({
          Project: 'VehicleWellnessCenter',
          Environment: 'dev',
          ManagedBy: 'Terraform',
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });
});

describe('Lambda functions', () => {
  it('run on nodejs22.x from the bundle directories that npm run bundle writes', async () => {
    const hcl = examplePlan(config);
    for (const [name, directory] of [
      ['get_vehicle_overview', 'get-vehicle-overview'],
      ['token_refresher', 'token-refresher'],
    ] as const) {
      const fn = resource('aws_lambda_function', name);
      expect(fn.runtime).toBe('nodejs22.x');
      expect(fn.handler).toBe('index.handler');
      expect(fn.filename).toBe(`\${data.archive_file.${name}.output_path}`);
      expect(fn.source_code_hash).toBe(`\${data.archive_file.${name}.output_base64sha256}`);
      expect(await hcl.string(fn.role)).toBe(
        'arn:aws:iam::123456789012:role/vwc-dev-token-cache-lambda',
      );
      const archive = config.data.archive_file?.[name];
      expect(await hcl.evaluate(archive)).toMatchObject({
        type: 'zip',
        source_dir: `./../backend/.build/${directory}`,
      });
    }
  });

  it('gives get_vehicle_overview the seed environment: MONGODB_DATABASE, AWS_SECRET_ID, AUTH0_TOKEN_PARAMETER_NAME', async () => {
    const environment = await environmentOf('get_vehicle_overview');
    expect(environment).toMatchObject({
      MONGODB_DATABASE: 'vehicle_wellness_center',
      AWS_SECRET_ID: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:vwc/dev/app-AbCdEf',
      AUTH0_TOKEN_PARAMETER_NAME: '/vwc/dev/auth0-token-cache',
      VEHICLE_API_URL: 'https://api.vwc.example.com',
      TOKEN_CACHE_SHARED: 'on',
      TOKEN_CACHE_PARAMETER_TYPE: 'SecureString',
      TOKEN_CACHE_PARAMETER_TIER: 'Standard',
      TOKEN_CACHE_ENVIRONMENT: 'dev',
    });
    expect(environment).not.toHaveProperty('TOKEN_CACHE_KMS_KEY_ID');
  });

  it('gives the refresher the same token-cache environment plus its threshold', async () => {
    const overview = await environmentOf('get_vehicle_overview');
    const refresher = await environmentOf('token_refresher');
    for (const key of Object.keys(overview).filter(
      (key) =>
        key.startsWith('TOKEN_CACHE_') || key.startsWith('AUTH0_') || key === 'AWS_SECRET_ID',
    )) {
      expect(refresher[key], key).toBe(overview[key]);
    }
    expect(refresher.TOKEN_REFRESH_THRESHOLD_MINUTES).toBe('120');
  });

  it('passes the customer-managed key and the rollback switch through', async () => {
    const key = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    for (const name of ['get_vehicle_overview', 'token_refresher']) {
      const environment = await environmentOf(name, {
        token_cache_kms_key_arn: key,
        token_cache_shared: false,
      });
      expect(environment.TOKEN_CACHE_KMS_KEY_ID).toBe(key);
      expect(environment.TOKEN_CACHE_SHARED).toBe('off');
    }
  });

  it('names the primary and the replica regions when the token is replicated', async () => {
    for (const name of ['get_vehicle_overview', 'token_refresher']) {
      const single = await environmentOf(name);
      expect(single).not.toHaveProperty('TOKEN_CACHE_REPLICA_REGIONS');
      const replicated = await environmentOf(name, {
        token_cache_replica_regions: ['eu-west-1', 'ap-southeast-2'],
      });
      expect(replicated).toMatchObject({
        TOKEN_CACHE_PRIMARY_REGION: 'us-west-2',
        TOKEN_CACHE_REPLICA_REGIONS: 'eu-west-1,ap-southeast-2',
      });
    }
  });

  it('never sets a variable Lambda reserves', async () => {
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
    const reserved = [
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_LAMBDA_FUNCTION_NAME',
      '_HANDLER',
      'LAMBDA_TASK_ROOT',
    ];
    for (const name of ['get_vehicle_overview', 'token_refresher']) {
      const environment = await environmentOf(name, { token_store: 'dynamodb' });
      for (const key of reserved)
        expect(environment, `${name} sets ${key}`).not.toHaveProperty(key);
    }
  });

  it('creates each log group with retention, under the name Lambda writes to', async () => {
    const hcl = examplePlan(config);
    for (const name of ['get_vehicle_overview', 'token_refresher']) {
      const functionName = await hcl.string(resource('aws_lambda_function', name).function_name);
      const logGroup = (await hcl.evaluate(resource('aws_cloudwatch_log_group', name))) as HclBlock;
      expect(logGroup.name).toBe(`/aws/lambda/${functionName}`);
      expect(logGroup.retention_in_days).toBe(30);
    }
  });
});

describe('aws_scheduler_schedule.token_refresher', () => {
  it('invokes the refresher at the configured rate through its own role', async () => {
    const hcl = examplePlan(config, { refresh_schedule_expression: 'rate(30 minutes)' });
    const schedule = (await hcl.evaluate(
      argumentsOf(resource('aws_scheduler_schedule', 'token_refresher')),
    )) as HclBlock;
    expect(schedule.schedule_expression).toBe('rate(30 minutes)');
    expect(schedule.flexible_time_window).toEqual([{ mode: 'OFF' }]);
    expect(schedule.target).toMatchObject([
      {
        arn: 'arn:aws:lambda:us-west-2:123456789012:function:vwc-dev-token-refresher',
        role_arn: 'arn:aws:iam::123456789012:role/vwc-dev-token-refresher-scheduler',
      },
    ]);
  });

  it.each([
    ['rate(1 hour)', 120, true],
    ['rate(1 hour)', 69, false],
    ['rate(1 hour)', 70, true],
    ['rate(2 hours)', 120, false],
    ['rate(30 minutes)', 40, true],
  ])('with %s, a threshold of %i minutes is %s', async (rate, threshold, accepted) => {
    const hcl = examplePlan(config, {
      refresh_schedule_expression: rate,
      refresh_threshold_minutes: threshold,
    });
    const [lifecycle] = asBlocks(resource('aws_scheduler_schedule', 'token_refresher').lifecycle);
    const [precondition] = asBlocks(lifecycle?.precondition);
    expect(await hcl.evaluate(precondition?.condition)).toBe(accepted);
  });
});

describe('aws_ssm_service_setting.high_throughput', () => {
  const setting = () => resource('aws_ssm_service_setting', 'high_throughput');

  it('is not managed by default: the account-wide setting is left as it is', async () => {
    expect(config.variables.ssm_high_throughput_enabled?.default).toBe(false);
    expect(await examplePlan(config).evaluate(setting().count)).toBe(0);
  });

  it("turns on Parameter Store's higher throughput in the deployment's region when asked", async () => {
    for (const aws_region of ['us-west-2', 'eu-west-1']) {
      const hcl = examplePlan(config, { ssm_high_throughput_enabled: true, aws_region });
      expect(await hcl.evaluate(setting().count)).toBe(1);
      // The ARN form of the setting id, in this deployment's account and region.
      expect(await hcl.evaluate(setting())).toMatchObject({
        setting_id: `arn:aws:ssm:${aws_region}:123456789012:servicesetting/ssm/parameter-store/high-throughput-enabled`,
        setting_value: 'true',
      });
    }
  });
});

describe('alarms', () => {
  it('watch the metrics the library emits, under the dimensions the Lambdas report', async () => {
    const hcl = examplePlan(config);
    const environment = await environmentOf('get_vehicle_overview');
    const expectedDimensions = {
      CacheName: environment.TOKEN_CACHE_NAME,
      Environment: environment.TOKEN_CACHE_ENVIRONMENT,
    };
    const fetches = (await hcl.evaluate(
      resource('aws_cloudwatch_metric_alarm', 'endpoint_fetches'),
    )) as HclBlock;
    expect(fetches).toMatchObject({
      namespace: DEFAULT_METRICS_NAMESPACE,
      metric_name: METRIC_NAMES.endpointFetch,
      dimensions: expectedDimensions,
      statistic: 'Sum',
      period: 86400,
      evaluation_periods: 1,
      threshold: 10,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
    });
    const throttles = (await hcl.evaluate(
      resource('aws_cloudwatch_metric_alarm', 'store_throttles'),
    )) as HclBlock;
    expect(throttles).toMatchObject({
      namespace: DEFAULT_METRICS_NAMESPACE,
      metric_name: METRIC_NAMES.storeThrottle,
      dimensions: expectedDimensions,
      statistic: 'Sum',
      threshold: 10,
    });
  });

  it('notify the configured topics', async () => {
    const topic = 'arn:aws:sns:us-west-2:123456789012:alerts';
    const hcl = examplePlan(config, { alarm_actions: [topic], endpoint_fetch_daily_threshold: 3 });
    const fetches = (await hcl.evaluate(
      resource('aws_cloudwatch_metric_alarm', 'endpoint_fetches'),
    )) as HclBlock;
    expect(fetches).toMatchObject({ alarm_actions: [topic], ok_actions: [topic], threshold: 3 });
  });
});
