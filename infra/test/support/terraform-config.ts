/**
 * Loads every `.tf` file of a Terraform module into one JSON document, the way Terraform
 * itself merges all files of a directory into one module. `@cdktf/hcl2json` converts HCL to
 * JSON; expressions stay as `"${...}"` strings, evaluated later by `hcl-expression.ts`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** A block as hcl2json renders it: attributes, and nested blocks as arrays of blocks. */
export type HclBlock = Record<string, unknown>;

/** `resource`/`data` blocks keyed by type, then by name. */
export type HclBlocksByType = Record<string, Record<string, HclBlock>>;

/** A whole module: every file merged. */
export interface TerraformConfig {
  /** The `.tf` files read, in name order. */
  readonly files: readonly string[];
  readonly resources: HclBlocksByType;
  readonly data: HclBlocksByType;
  readonly variables: Record<string, HclBlock>;
  readonly outputs: Record<string, HclBlock>;
  /** Every `locals` block merged (Terraform forbids duplicate local names across files). */
  readonly locals: Record<string, unknown>;
  /** The `terraform {}` blocks and `provider` blocks as parsed. */
  readonly terraform: readonly HclBlock[];
  readonly providers: Record<string, HclBlock>;
}

/**
 * Parses every `*.tf` file in `directory` (a module's files, e.g. `infra/`).
 *
 * Duplicate resource, data, variable, output or local names are an error, as in Terraform,
 * so a file added later (e.g. `dynamodb.tf`) cannot silently shadow another one.
 *
 * @example
 * ```ts
 * const config = await loadTerraformConfig('infra');
 * config.resources.aws_ssm_parameter?.auth0_token_cache?.tier; // "${var.token_cache_parameter_tier}"
 * ```
 */
export async function loadTerraformConfig(directory: string): Promise<TerraformConfig> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.tf')).sort();
  const config: TerraformConfig = {
    files,
    resources: {},
    data: {},
    variables: {},
    outputs: {},
    locals: {},
    terraform: [],
    providers: {},
  };
  for (const file of files) {
    const parsed = await parse(file, await readFile(join(directory, file), 'utf8'));
    mergeTyped(config.resources, parsed.resource, `${file}: resource`);
    mergeTyped(config.data, parsed.data, `${file}: data`);
    mergeNamed(config.variables, parsed.variable, `${file}: variable`);
    mergeNamed(config.outputs, parsed.output, `${file}: output`);
    mergeNamed(config.providers, parsed.provider, `${file}: provider`);
    for (const block of asBlocks(parsed.locals)) {
      for (const [name, value] of Object.entries(block)) {
        if (name in config.locals) throw new Error(`${file}: duplicate local "${name}"`);
        config.locals[name] = value;
      }
    }
    (config.terraform as HclBlock[]).push(...asBlocks(parsed.terraform));
  }
  return config;
}

/** hcl2json renders every block as an array (a block may repeat); most appear once. */
export function asBlocks(value: unknown): HclBlock[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as HclBlock[]) : [value as HclBlock];
}

/** The single block a labelled block must be, e.g. `resource "t" "n" {}` appears once. */
function single(blocks: unknown, where: string): HclBlock {
  const list = asBlocks(blocks);
  if (list.length !== 1 || list[0] === undefined) throw new Error(`${where}: expected one block`);
  return list[0];
}

function mergeNamed(into: Record<string, HclBlock>, parsed: unknown, where: string): void {
  for (const [name, blocks] of Object.entries((parsed ?? {}) as Record<string, unknown>)) {
    if (name in into) throw new Error(`${where} "${name}" is declared twice`);
    into[name] = single(blocks, `${where} "${name}"`);
  }
}

function mergeTyped(into: HclBlocksByType, parsed: unknown, where: string): void {
  for (const [type, byName] of Object.entries((parsed ?? {}) as Record<string, unknown>)) {
    into[type] ??= {};
    mergeNamed(into[type], byName, `${where} ${type}`);
  }
}
