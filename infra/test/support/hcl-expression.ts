/**
 * A small evaluator for the Terraform expressions this module uses, so policies and
 * environment maps can be checked with concrete values and no `terraform` binary.
 *
 * hcl2json leaves every non-literal expression as a `"${...}"` string. This evaluator handles
 * references (`var.`, `local.`, `data.`, resources, `path.module`, a dynamic block's
 * iterator), string templates, conditionals (`c ? a : b` with `==`/`!=`), and the functions
 * `merge`, `concat`, `tostring`, `jsonencode`,
 * `contains`, `join`, `floor`, `tonumber`, `lookup`, `regex` and `can`, with `||`, `&&`, `!`, comparisons,
 * `+` and `*`. Tuple and object literals are handed back to
 * hcl2json (`locals { v = <literal> }`). Anything else throws, naming the expression: an
 * unsupported construct must fail the test, never evaluate to something plausible.
 */
import { parse } from '@cdktf/hcl2json';
import { asBlocks, type HclBlock, type TerraformConfig } from './terraform-config.js';

/** Concrete values standing in for what AWS would report at plan time. */
export interface ExampleContext {
  readonly accountId: string;
  readonly partition: string;
  /** Variable values (tfvars); unset variables take their `default`. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** Extra names in scope, e.g. `statement` inside a `dynamic "statement"` block. */
export type Scope = Readonly<Record<string, unknown>>;

/**
 * An evaluator bound to one module and one set of example values.
 *
 * @example
 * ```ts
 * const hcl = new HclEvaluator(config, { accountId: '123456789012', partition: 'aws', variables: { environment: 'dev' } });
 * await hcl.evaluate('${aws_ssm_parameter.auth0_token_cache.arn}');
 * // 'arn:aws:ssm:us-west-2:123456789012:parameter/vwc/dev/auth0-token-cache'
 * ```
 */
export class HclEvaluator {
  private readonly localValues = new Map<string, Promise<unknown>>();

  constructor(
    readonly config: TerraformConfig,
    readonly context: ExampleContext,
    /** Renders `data.aws_iam_policy_document.<name>.json`; set by `iam-policies.ts`. */
    private readonly policyDocumentJson?: (name: string) => Promise<string>,
  ) {}

  /** Evaluates a value as hcl2json produced it (strings may hold `${...}`; arrays/objects recurse). */
  async evaluate(value: unknown, scope: Scope = {}): Promise<unknown> {
    if (Array.isArray(value)) return Promise.all(value.map((each) => this.evaluate(each, scope)));
    if (value !== null && typeof value === 'object') {
      const entries = await Promise.all(
        Object.entries(value).map(async ([key, each]) => [key, await this.evaluate(each, scope)]),
      );
      return Object.fromEntries(entries);
    }
    if (typeof value !== 'string' || !value.includes('${')) return value;
    return this.evaluateTemplate(value, scope);
  }

  /** Evaluates and insists on a string. */
  async string(value: unknown, scope: Scope = {}): Promise<string> {
    const result = await this.evaluate(value, scope);
    if (typeof result !== 'string') {
      throw new Error(
        `expected a string from ${JSON.stringify(value)}, got ${JSON.stringify(result)}`,
      );
    }
    return result;
  }

  /** Evaluates one bare expression, e.g. `aws_iam_role.x.name`, as a string. */
  expression(source: string): Promise<string> {
    return this.string(`\${${source}}`);
  }

  /** Evaluates one bare expression, e.g. `local.env`, whatever its type. */
  value(source: string): Promise<unknown> {
    return this.evaluate(`\${${source}}`);
  }

  /** A string with interpolations: `"${x}"` alone keeps x's type, otherwise parts are joined. */
  private async evaluateTemplate(template: string, scope: Scope): Promise<unknown> {
    const parts = splitTemplate(template);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only !== undefined && typeof only !== 'string')
      return this.evaluateExpression(only.expression, scope);
    const rendered = await Promise.all(
      parts.map(async (part) => {
        if (typeof part === 'string') return part;
        const result = await this.evaluateExpression(part.expression, scope);
        if (typeof result === 'object' && result !== null) {
          throw new Error(`cannot interpolate a collection into a string: \${${part.expression}}`);
        }
        return String(result);
      }),
    );
    return rendered.join('');
  }

  private async evaluateExpression(source: string, scope: Scope): Promise<unknown> {
    // hcl2json keeps an expression's source text, comments included.
    const expression = stripComments(source).trim();
    const conditional = splitConditional(expression);
    if (conditional) {
      const condition = await this.evaluateExpression(conditional.condition, scope);
      if (typeof condition !== 'boolean')
        throw new Error(`condition is not a bool: ${conditional.condition}`);
      return this.evaluateExpression(
        condition ? conditional.whenTrue : conditional.whenFalse,
        scope,
      );
    }
    // Operators from the lowest precedence up (HCL spec, "Operations").
    for (const operator of ['||', '&&'] as const) {
      const operands = splitTopLevel(expression, operator);
      if (operands.length > 1) {
        const values = await Promise.all(
          operands.map((operand) => this.evaluateExpression(operand, scope)),
        );
        return operator === '||'
          ? values.some((value) => value === true)
          : values.every((value) => value === true);
      }
    }
    const comparison = splitComparison(expression);
    if (comparison) {
      const [left, right] = await Promise.all([
        this.evaluateExpression(comparison.left, scope),
        this.evaluateExpression(comparison.right, scope),
      ]);
      return compare(left, comparison.operator, right);
    }
    for (const operator of ['+', '*'] as const) {
      const operands = splitTopLevel(expression, operator);
      if (operands.length > 1) {
        const values = await Promise.all(
          operands.map((operand) => this.evaluateExpression(operand, scope)),
        );
        if (!values.every((value) => typeof value === 'number'))
          throw new Error(`not numbers: ${expression}`);
        return (values as number[]).reduce((a, b) => (operator === '+' ? a + b : a * b));
      }
    }
    if (expression.startsWith('!'))
      return !(await this.evaluateExpression(expression.slice(1), scope));
    if (expression.startsWith('(') && closesAtEnd(expression, 0)) {
      return this.evaluateExpression(expression.slice(1, -1), scope);
    }
    const indexed = /^([a-z_]+)(\([\s\S]*\))\[([0-9]+)\]$/.exec(expression);
    if (indexed?.[1] && indexed[2] && closesAtEnd(indexed[1] + indexed[2], indexed[1].length)) {
      const list = await this.evaluateExpression(indexed[1] + indexed[2], scope);
      if (!Array.isArray(list)) throw new Error(`cannot index a non-list: ${expression}`);
      return list[Number(indexed[3])];
    }
    const call = /^([a-z_]+)\(([\s\S]*)\)$/.exec(expression);
    if (call?.[1] && call[2] !== undefined && closesAtEnd(expression, call[1].length)) {
      const argSources = splitTopLevel(call[2], ',');
      if (call[1] === 'can') {
        // can(x) is true when x evaluates without an error, as in Terraform.
        return this.evaluateExpression(argSources[0] ?? '', scope).then(
          () => true,
          () => false,
        );
      }
      const args = await Promise.all(argSources.map((arg) => this.evaluateExpression(arg, scope)));
      return callFunction(call[1], args, expression);
    }
    if (expression === 'null') return null;
    if (expression === 'true' || expression === 'false') return expression === 'true';
    if (/^-?[0-9]+(\.[0-9]+)?$/.test(expression)) return Number(expression);
    if (/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[[0-9]+\])*$/.test(expression)) {
      return this.resolveReference(expression, scope);
    }
    return this.evaluateLiteral(expression, scope);
  }

  /** Tuples, objects and quoted strings: hcl2json parses them, leaving inner expressions. */
  private async evaluateLiteral(source: string, scope: Scope): Promise<unknown> {
    const parsed = await parse('expression.tf', `locals {\n  v = ${source}\n}\n`);
    const value = asBlocks(parsed.locals)[0]?.v;
    if (value === `\${${source}}`) throw new Error(`unsupported Terraform expression: ${source}`);
    return this.evaluate(value, scope);
  }

  private async resolveReference(reference: string, scope: Scope): Promise<unknown> {
    const path = reference
      .split(/\.|(?=\[)/)
      .map((part) => (part.startsWith('[') ? Number(part.slice(1, -1)) : part));
    const [root, ...rest] = path;
    if (typeof root !== 'string') throw new Error(`bad reference ${reference}`);
    if (root in scope) return pick(scope[root], rest, reference);
    switch (root) {
      case 'var':
        return pick(await this.variable(String(rest[0])), rest.slice(1), reference);
      case 'local':
        return pick(await this.local(String(rest[0])), rest.slice(1), reference);
      case 'path':
        if (rest[0] === 'module') return '.';
        throw new Error(`unsupported reference ${reference}`);
      case 'data':
        return this.dataAttribute(String(rest[0]), String(rest[1]), rest.slice(2), reference);
      default:
        return this.resourceAttribute(root, String(rest[0]), rest.slice(1), reference);
    }
  }

  private async variable(name: string): Promise<unknown> {
    const declared = this.config.variables[name];
    if (!declared) throw new Error(`undeclared variable var.${name}`);
    if (name in this.context.variables) return this.context.variables[name];
    if ('default' in declared) return declared.default;
    throw new Error(`variable var.${name} has no default: give it a value in the test context`);
  }

  private local(name: string): Promise<unknown> {
    if (!(name in this.config.locals)) throw new Error(`undeclared local.${name}`);
    let value = this.localValues.get(name);
    if (!value) {
      value = this.evaluate(this.config.locals[name]);
      this.localValues.set(name, value);
    }
    return value;
  }

  private async dataAttribute(
    type: string,
    name: string,
    rest: unknown[],
    reference: string,
  ): Promise<unknown> {
    if (!this.config.data[type]?.[name]) throw new Error(`undeclared data source ${reference}`);
    const attribute = stripIndex(rest)[0];
    if (type === 'aws_partition' && attribute === 'partition') return this.context.partition;
    if (type === 'aws_region' && attribute === 'region') return this.string(REGION_EXPRESSION);
    if (type === 'aws_caller_identity' && attribute === 'account_id') return this.context.accountId;
    if (type === 'aws_iam_policy_document' && attribute === 'json' && this.policyDocumentJson) {
      return this.policyDocumentJson(name);
    }
    if (type === 'archive_file' && attribute === 'output_base64sha256') return 'ZXhhbXBsZQ==';
    const block = this.config.data[type]?.[name] ?? {};
    if (typeof attribute === 'string' && attribute in block) return this.evaluate(block[attribute]);
    throw new Error(`no example value for ${reference}`);
  }

  private async resourceAttribute(
    type: string,
    name: string,
    rest: unknown[],
    reference: string,
  ): Promise<unknown> {
    const block = this.config.resources[type]?.[name];
    if (!block) throw new Error(`undeclared resource ${reference}`);
    const attribute = stripIndex(rest)[0];
    const attr = (key: string) => this.string(block[key]);
    const region = () => this.string(REGION_EXPRESSION);
    const { partition, accountId } = this.context;
    if (attribute === 'arn') {
      switch (type) {
        case 'aws_ssm_parameter':
          return `arn:${partition}:ssm:${await region()}:${accountId}:parameter${await attr('name')}`;
        case 'aws_cloudwatch_log_group':
          return `arn:${partition}:logs:${await region()}:${accountId}:log-group:${await attr('name')}`;
        case 'aws_lambda_function':
          return `arn:${partition}:lambda:${await region()}:${accountId}:function:${await attr('function_name')}`;
        case 'aws_iam_role':
          return `arn:${partition}:iam::${accountId}:role/${await attr('name')}`;
        case 'aws_dynamodb_table':
          return `arn:${partition}:dynamodb:${await region()}:${accountId}:table/${await attr('name')}`;
        case 'aws_scheduler_schedule':
          return `arn:${partition}:scheduler:${await region()}:${accountId}:schedule/${block.group_name ? await attr('group_name') : 'default'}/${await attr('name')}`;
        case 'aws_cloudwatch_metric_alarm':
          return `arn:${partition}:cloudwatch:${await region()}:${accountId}:alarm:${await attr('alarm_name')}`;
        case 'aws_cloudwatch_dashboard':
          // Dashboards are global: their ARN has no region.
          return `arn:${partition}:cloudwatch::${accountId}:dashboard/${await attr('dashboard_name')}`;
        case 'aws_ssm_service_setting':
          // The provider's arn is the setting's ARN, which setting_id already is.
          return attr('setting_id');
        default:
          throw new Error(
            `no example ARN for ${type}: add one to infra/test/support/hcl-expression.ts`,
          );
      }
    }
    // The provider's `id` of these resources is their name.
    if (attribute === 'id' && ['aws_iam_role', 'aws_ssm_parameter'].includes(type))
      return attr('name');
    if (attribute === 'id' && type === 'aws_lambda_function') return attr('function_name');
    if (typeof attribute === 'string' && attribute in block) return this.evaluate(block[attribute]);
    throw new Error(`no example value for ${reference}`);
  }
}

/** The region every example ARN uses: the module's own `aws_region` variable. */
const REGION_EXPRESSION = `\${var.aws_region}`;

/** Drops `[n]` indexes of counted resources: every instance has the same example values. */
function stripIndex(path: unknown[]): unknown[] {
  return path.filter((part) => typeof part !== 'number');
}

function pick(value: unknown, path: unknown[], reference: string): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(String(key) in current)) {
      throw new Error(`cannot resolve ${reference}`);
    }
    current = (current as Record<string, unknown>)[String(key)];
  }
  return current;
}

function callFunction(name: string, args: unknown[], expression: string): unknown {
  switch (name) {
    case 'merge':
      return Object.assign({}, ...args.filter((arg) => arg !== null));
    case 'concat':
      return args.flatMap((arg) => arg as unknown[]);
    case 'tostring':
      return args[0] === null ? null : String(args[0]);
    case 'jsonencode':
      return JSON.stringify(args[0]);
    case 'contains':
      return (args[0] as unknown[]).some(
        (item) => JSON.stringify(item) === JSON.stringify(args[1]),
      );
    case 'join':
      return (args[1] as unknown[]).map(String).join(String(args[0]));
    case 'tonumber':
      return args[0] === null ? null : Number(args[0]);
    case 'lookup': {
      const map = args[0] as Record<string, unknown>;
      if (!(String(args[1]) in map)) throw new Error(`lookup(): no key ${String(args[1])}`);
      return map[String(args[1])];
    }
    case 'floor':
      return Math.floor(Number(args[0]));
    case 'regex': {
      // Terraform's regex() fails when nothing matches; RE2 and JavaScript agree on the
      // patterns used here (anchors, classes, alternation, counted repetition).
      if (typeof args[1] !== 'string')
        throw new Error(`regex() needs a string, got ${JSON.stringify(args[1])}`);
      const match = new RegExp(String(args[0])).exec(args[1]);
      if (!match) throw new Error(`regex ${String(args[0])} does not match ${args[1]}`);
      return match.length > 1 ? match.slice(1) : match[0];
    }
    default:
      throw new Error(`unsupported function ${name}() in ${expression}`);
  }
}

type TemplatePart = string | { readonly expression: string };

/** Splits `"a${x}b"` into `['a', {expression: 'x'}, 'b']`, honouring nested braces and strings. */
function splitTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let index = 0;
  while (index < template.length) {
    if (template.startsWith('$${', index)) {
      text += '${';
      index += 3;
    } else if (template.startsWith('${', index)) {
      const end = matchingBrace(template, index + 1);
      if (text) parts.push(text);
      text = '';
      parts.push({ expression: template.slice(index + 2, end) });
      index = end + 1;
    } else {
      text += template[index];
      index += 1;
    }
  }
  if (text) parts.push(text);
  return parts;
}

/** Removes `#`, `//` and `/* *\/` comments outside string literals. */
function stripComments(source: string): string {
  let result = '';
  let inString = false;
  let index = 0;
  while (index < source.length) {
    const char = source[index] ?? '';
    if (inString) {
      if (char === '\\') {
        result += source.slice(index, index + 2);
        index += 2;
        continue;
      }
      if (char === '"') inString = false;
      result += char;
      index += 1;
      continue;
    }
    if (char === '"') {
      inString = true;
    } else if (char === '#' || source.startsWith('//', index)) {
      const end = source.indexOf('\n', index);
      index = end === -1 ? source.length : end;
      continue;
    } else if (source.startsWith('/*', index)) {
      const end = source.indexOf('*/', index + 2);
      index = end === -1 ? source.length : end + 2;
      continue;
    }
    result += char;
    index += 1;
  }
  return result;
}

/** Index of the `}` closing the `{` at `open`, skipping strings and nested brackets. */
function matchingBrace(source: string, open: number): number {
  let depth = 0;
  for (const { index, char } of topLevelScan(source, open)) {
    if (char === '{') depth += 1;
    if (char === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  throw new Error(`unbalanced braces in ${source}`);
}

/** Yields the characters outside string literals, from `start`. */
function* topLevelScan(source: string, start = 0): Generator<{ index: number; char: string }> {
  let inString = false;
  let interpolationDepth = 0;
  for (let index = start; index < source.length; index += 1) {
    const char = source[index] ?? '';
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
      else if (source.startsWith('${', index)) {
        // An interpolation inside a string: skip to its end as one unit.
        interpolationDepth = 1;
        index += 2;
        while (index < source.length && interpolationDepth > 0) {
          if (source[index] === '{') interpolationDepth += 1;
          if (source[index] === '}') interpolationDepth -= 1;
          index += 1;
        }
        index -= 1;
      }
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    yield { index, char };
  }
}

/** Splits at `separator` where no bracket is open and not inside a string. */
function splitTopLevel(source: string, separator: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let from = 0;
  for (const { index, char } of topLevelScan(source)) {
    if ('([{'.includes(char)) depth += 1;
    else if (')]}'.includes(char)) depth -= 1;
    else if (depth === 0 && source.startsWith(separator, index)) {
      pieces.push(source.slice(from, index));
      from = index + separator.length;
    }
  }
  pieces.push(source.slice(from));
  return pieces.map((piece) => piece.trim()).filter((piece) => piece.length > 0);
}

/** Top-level positions of one character (outside brackets and strings). */
function topLevelIndexes(source: string, wanted: string): number[] {
  const found: number[] = [];
  let depth = 0;
  for (const { index, char } of topLevelScan(source)) {
    if ('([{'.includes(char)) depth += 1;
    else if (')]}'.includes(char)) depth -= 1;
    else if (depth === 0 && char === wanted) found.push(index);
  }
  return found;
}

function splitConditional(
  source: string,
): { condition: string; whenTrue: string; whenFalse: string } | undefined {
  const question = topLevelIndexes(source, '?')[0];
  if (question === undefined) return undefined;
  const colon = topLevelIndexes(source, ':').find((index) => index > question);
  if (colon === undefined) throw new Error(`malformed conditional: ${source}`);
  return {
    condition: source.slice(0, question),
    whenTrue: source.slice(question + 1, colon),
    whenFalse: source.slice(colon + 1),
  };
}

type ComparisonOperator = '==' | '!=' | '>=' | '<=' | '>' | '<';

function splitComparison(
  source: string,
): { left: string; operator: ComparisonOperator; right: string } | undefined {
  for (const { index, char } of topLevelScan(source)) {
    if (!'=!<>'.includes(char) || depthAt(source, index) !== 0) continue;
    const two = source.slice(index, index + 2);
    if (two === '==' || two === '!=' || two === '>=' || two === '<=') {
      return { left: source.slice(0, index), operator: two, right: source.slice(index + 2) };
    }
    if (char === '>' || char === '<') {
      return { left: source.slice(0, index), operator: char, right: source.slice(index + 1) };
    }
  }
  return undefined;
}

function compare(left: unknown, operator: ComparisonOperator, right: unknown): boolean {
  if (operator === '==' || operator === '!=') {
    const equal = JSON.stringify(left ?? null) === JSON.stringify(right ?? null);
    return operator === '==' ? equal : !equal;
  }
  if (typeof left !== 'number' || typeof right !== 'number') {
    throw new Error(`cannot compare ${JSON.stringify(left)} ${operator} ${JSON.stringify(right)}`);
  }
  if (operator === '>=') return left >= right;
  if (operator === '<=') return left <= right;
  return operator === '>' ? left > right : left < right;
}

function depthAt(source: string, position: number): number {
  let depth = 0;
  for (const { index, char } of topLevelScan(source)) {
    if (index >= position) break;
    if ('([{'.includes(char)) depth += 1;
    else if (')]}'.includes(char)) depth -= 1;
  }
  return depth;
}

/** Whether the `(` right after the function name closes at the very end of the expression. */
function closesAtEnd(source: string, nameLength: number): boolean {
  let depth = 0;
  for (const { index, char } of topLevelScan(source, nameLength)) {
    if ('([{'.includes(char)) depth += 1;
    else if (')]}'.includes(char)) {
      depth -= 1;
      if (depth === 0) return index === source.length - 1;
    }
  }
  return false;
}

/** The blocks of a nested block name, including `dynamic` ones, for callers that need both. */
export function nestedBlocks(block: HclBlock, name: string): HclBlock[] {
  return asBlocks(block[name]);
}
