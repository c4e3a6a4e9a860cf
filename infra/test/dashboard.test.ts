/**
 * `aws_cloudwatch_dashboard.token_cache` (infra/dashboard.tf), checked offline: its body is
 * evaluated from the HCL for the example `dev` deployment and parsed as CloudWatch would, and
 * every widget is checked against what the library really emits (metric names, namespace,
 * dimensions, log fields), so a renamed metric cannot leave an empty graph behind.
 */
import { fileURLToPath } from 'node:url';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_METRICS_NAMESPACE,
  METRIC_NAMES,
  type TokenCacheEvent,
} from '../../packages/token-cache/src/events.js';
import { emfMetricsListener } from '../../packages/token-cache/src/telemetry/emf-metrics.js';
import { structuredLogListener } from '../../packages/token-cache/src/telemetry/structured-logs.js';
import { examplePlan } from './support/example-plan.js';
import { loadTerraformConfig, type TerraformConfig } from './support/terraform-config.js';

const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));

let config: TerraformConfig;
beforeAll(async () => {
  config = await loadTerraformConfig(INFRA_DIR);
});

interface Widget {
  readonly type: string;
  readonly properties: Record<string, unknown> & { readonly title: string };
}

type MetricOptions = { readonly id?: string; readonly expression?: string };

/** A metric array as the dashboard body has it: namespace, name, dimension pairs, options. */
interface MetricRow {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly options: MetricOptions;
}

async function dashboard(overrides: Record<string, unknown> = {}) {
  const hcl = examplePlan(config, overrides);
  const resource = config.resources.aws_cloudwatch_dashboard?.token_cache;
  if (!resource) throw new Error('missing aws_cloudwatch_dashboard.token_cache');
  const body = JSON.parse(await hcl.string(resource.dashboard_body)) as { widgets: Widget[] };
  const [lambda] = (await hcl.evaluate(
    config.resources.aws_lambda_function?.get_vehicle_overview?.environment,
  )) as Array<{ variables: Record<string, string> }>;
  return {
    name: await hcl.string(resource.dashboard_name),
    widgets: body.widgets,
    environment: lambda?.variables ?? {},
    logGroups: [
      await hcl.expression('aws_cloudwatch_log_group.get_vehicle_overview.name'),
      await hcl.expression('aws_cloudwatch_log_group.token_refresher.name'),
    ],
  };
}

/** Splits a widget's `metrics` into metric rows and math expressions. */
function rowsOf(widget: Widget): { metrics: MetricRow[]; expressions: MetricOptions[] } {
  const metrics: MetricRow[] = [];
  const expressions: MetricOptions[] = [];
  for (const entry of widget.properties.metrics as unknown[][]) {
    const last = entry.at(-1);
    const options = (typeof last === 'object' && last !== null ? last : {}) as MetricOptions;
    const fields = entry.filter((part): part is string => typeof part === 'string');
    if (fields.length === 0) {
      expressions.push(options);
      continue;
    }
    const [namespace = '', name = '', ...pairs] = fields;
    expect(pairs.length % 2, `${widget.properties.title}: dimension pairs`).toBe(0);
    const dimensions: Record<string, string> = {};
    for (let index = 0; index < pairs.length; index += 2) {
      dimensions[pairs[index] ?? ''] = pairs[index + 1] ?? '';
    }
    metrics.push({ namespace, name, dimensions, options });
  }
  return { metrics, expressions };
}

/** The metric names the EMF listener records for these events (a stub stands in for Powertools). */
function emittedNames(events: readonly TokenCacheEvent[]): Set<string> {
  const names = new Set<string>();
  const metrics = {
    addMetric: (name: string) => names.add(name),
  } as unknown as Metrics;
  const onEvent = emfMetricsListener({
    metrics,
    namespace: DEFAULT_METRICS_NAMESPACE,
    dimensions: { CacheName: 'auth0', Environment: 'dev' },
  });
  for (const event of events) onEvent(event);
  return names;
}

describe('aws_cloudwatch_dashboard.token_cache', () => {
  it('is named after the deployment', async () => {
    expect((await dashboard()).name).toBe('vwc-dev-token-cache');
    expect((await dashboard({ environment: 'prod' })).name).toBe('vwc-prod-token-cache');
  });

  it("uses only the library's metric names, namespace and the Lambdas' exact dimensions", async () => {
    const { widgets, environment } = await dashboard();
    const known = new Set<string>(Object.values(METRIC_NAMES));
    let checked = 0;
    for (const widget of widgets.filter((each) => each.type === 'metric')) {
      expect(widget.properties.region, widget.properties.title).toBe('us-west-2');
      for (const row of rowsOf(widget).metrics) {
        expect(known, `${widget.properties.title}: ${row.name}`).toContain(row.name);
        expect(row.namespace).toBe(DEFAULT_METRICS_NAMESPACE);
        // CloudWatch matches dimension sets exactly: these two and nothing else.
        expect(row.dimensions).toEqual({
          CacheName: environment.TOKEN_CACHE_NAME,
          Environment: environment.TOKEN_CACHE_ENVIRONMENT,
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('graphs metrics the EMF listener really records for the events behind them', async () => {
    const { widgets } = await dashboard();
    const graphed = new Set(
      widgets
        .filter((each) => each.type === 'metric')
        .flatMap((widget) => rowsOf(widget).metrics.map((row) => row.name)),
    );
    const emitted = emittedNames([
      { type: 'hit', tier: 'memory' },
      { type: 'hit', tier: 'store' },
      { type: 'endpoint-fetch', durationMs: 120, clientId: 'client' },
      { type: 'endpoint-error', durationMs: 80, status: 429, error: 'too_many_requests' },
      { type: 'store-throttle', operation: 'GetParameter', attempt: 1 },
      { type: 'lease-wait', durationMs: 300, outcome: 'token-written' },
      { type: 'lease-acquired', takeover: true },
      { type: 'lease-renewed' },
      { type: 'stale-serve', remainingMs: 60_000, reason: 'endpoint failed' },
    ]);
    // StoreError is written as its own EMF document (per-kind dimension); it is in METRIC_NAMES.
    for (const name of [...graphed].filter((each) => each !== METRIC_NAMES.storeError)) {
      expect(emitted, name).toContain(name);
    }
    for (const required of [
      METRIC_NAMES.endpointFetch,
      METRIC_NAMES.memoryHit,
      METRIC_NAMES.storeHit,
      METRIC_NAMES.leaseWait,
      METRIC_NAMES.storeThrottle,
      METRIC_NAMES.endpointError,
    ]) {
      expect(graphed, required).toContain(required);
    }
  });

  it('refers in each math expression only to metric ids of its own widget', async () => {
    const { widgets } = await dashboard();
    let expressions = 0;
    for (const widget of widgets.filter((each) => each.type === 'metric')) {
      const { metrics, expressions: math } = rowsOf(widget);
      const ids = new Set([
        ...metrics.map((row) => row.options.id),
        ...math.map((each) => each.id),
      ]);
      for (const { expression, id } of math) {
        expect(id, widget.properties.title).toMatch(/^[a-z][A-Za-z0-9_]*$/);
        const references = (expression ?? '').match(/\b[a-z][a-z0-9_]*\b(?!\s*\()/g) ?? [];
        expect(references.length, expression).toBeGreaterThan(0);
        for (const reference of references)
          expect(ids, `${expression}: ${reference}`).toContain(reference);
        expressions += 1;
      }
    }
    expect(expressions).toBeGreaterThanOrEqual(4);
  });

  it("draws the Auth0 plan's monthly quota over the running total of tokens issued", async () => {
    for (const [overrides, quota] of [
      [{}, 1000],
      [{ auth0_monthly_token_quota: 25_000 }, 25_000],
    ] as const) {
      const { widgets } = await dashboard(overrides);
      const tokens = widgets
        .filter((widget) => widget.type === 'metric')
        .find((widget) =>
          rowsOf(widget).metrics.some(
            (row) => row.name === METRIC_NAMES.endpointFetch && row.options.id === 'issued',
          ),
        );
      expect(tokens?.properties).toMatchObject({
        period: 86400,
        stat: 'Sum',
        start: '-P30D',
        annotations: { horizontal: [{ label: 'Auth0 monthly quota', value: quota }] },
      });
      const { expressions } = rowsOf(tokens as Widget);
      expect(expressions.map((each) => each.expression)).toContain('RUNNING_SUM(FILL(issued, 0))');
    }
  });

  it('rejects a quota that is not a whole positive number', async () => {
    const validations = [config.variables.auth0_monthly_token_quota?.validation].flat() as Array<{
      condition: unknown;
    }>;
    for (const [value, accepted] of [
      [1000, true],
      [0, false],
      [12.5, false],
    ] as const) {
      const hcl = examplePlan(config, { auth0_monthly_token_quota: value });
      const results = await Promise.all(validations.map((each) => hcl.evaluate(each.condition)));
      expect(
        results.every((result) => result === true),
        String(value),
      ).toBe(accepted);
    }
  });

  it("breaks endpoint errors down by the fields the library's log line really carries", async () => {
    const { widgets, logGroups } = await dashboard();
    const logs = widgets.filter((widget) => widget.type === 'log');
    expect(logs).toHaveLength(1);
    const query = String(logs[0]?.properties.query);
    // Both functions' log groups, exactly.
    expect([...query.matchAll(/SOURCE '([^']+)'/g)].map((match) => match[1])).toEqual(logGroups);
    const filtered = /filter tokenCacheEvent = '([a-z-]+)'/.exec(query)?.[1];
    const groupedBy = /stats count\(\*\) as \w+ by ([\w, ]+?) \|/
      .exec(query)?.[1]
      ?.split(',')
      .map((field) => field.trim());
    expect(filtered).toBe('endpoint-error');
    expect(groupedBy).toEqual(['status', 'error']);

    // The line the library writes for that event, through its real listener.
    const lines: Array<Record<string, unknown>> = [];
    const capture = (_message: string, attributes?: unknown) => {
      lines.push(attributes as Record<string, unknown>);
    };
    structuredLogListener({ debug: capture, info: capture, warn: capture, error: capture })({
      type: 'endpoint-error',
      durationMs: 80,
      status: 403,
      error: 'access_denied',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      tokenCacheEvent: filtered,
      status: 403,
      error: 'access_denied',
    });
    for (const field of groupedBy ?? []) expect(lines[0], field).toHaveProperty(field);
  });
});
