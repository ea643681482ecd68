// Checks a Terraform configuration against the Google provider's schema without Terraform or the
// provider binary: HashiCorp's HCL parser (@cdktf/hcl2json, WebAssembly) reads the file, and the
// schema comes from test/fixtures/terraform/google-provider-schema.json (`npm run terraform-schema`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SchemaAttribute {
  type: string;
  required: boolean;
}
export interface SchemaBlock {
  nesting: 'single' | 'list' | 'set';
  required: boolean;
  block: SchemaNode;
}
export interface SchemaNode {
  attributes: Record<string, SchemaAttribute>;
  blocks?: Record<string, SchemaBlock>;
  readable?: string[];
}
export interface ProviderSchema {
  package: string;
  packageVersion: string;
  provider: string;
  providerVersion: string;
  resourceTypes: string[];
  providerSchema: SchemaNode;
  resourceSchemas: Record<string, SchemaNode>;
}

export const SCHEMA_PATH = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'terraform', 'google-provider-schema.json');

let cached: ProviderSchema | undefined;
export function loadSchema(): ProviderSchema {
  cached ??= JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as ProviderSchema;
  return cached;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Body = Record<string, Json>;

/** HCL → JSON as hcl2json writes it: blocks are arrays of bodies, expressions are "${…}" strings. */
export async function parseHcl(filename: string, text: string): Promise<Body> {
  // Required here, not imported: the package's typings pull the DOM library into the whole program.
  const { parse } = require('@cdktf/hcl2json') as { parse: (filename: string, contents: string) => Promise<Body> };
  return parse(filename, text);
}

const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);
const TOP_LEVEL = new Set(['terraform', 'variable', 'provider', 'resource', 'import', 'output', 'locals', 'moved', 'removed']);
const isBody = (v: Json): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBlockList = (v: Json): v is Body[] => Array.isArray(v) && v.every(isBody);

/** The `${…}` and `%{…}` templates in a string, `$${` and `%%{` escapes left out. */
function templates(value: string): { kind: '$' | '%'; expression: string }[] {
  const found: { kind: '$' | '%'; expression: string }[] = [];
  for (let i = 0; i < value.length - 1; i++) {
    const c = value[i];
    if ((c === '$' || c === '%') && value[i + 1] === c && value[i + 2] === '{') {
      i += 2;
      continue;
    }
    if ((c === '$' || c === '%') && value[i + 1] === '{') {
      let depth = 0,
        j = i + 1;
      for (; j < value.length; j++) {
        if (value[j] === '{') depth++;
        else if (value[j] === '}' && --depth === 0) break;
      }
      found.push({ kind: c, expression: value.slice(i + 2, j) });
      i = j;
    }
  }
  return found;
}

const onlyExpression = (v: Json) => typeof v === 'string' && /^\$\{[^}]*\}$/.test(v);

export class TerraformChecker {
  readonly problems: string[] = [];
  private readonly resources = new Map<string, string>(); // "type.name" → type
  private readonly variables = new Set<string>();

  constructor(private readonly schema: ProviderSchema) {}

  private problem(where: string, message: string) {
    this.problems.push(`${where}: ${message}`);
  }

  check(config: Body): string[] {
    for (const key of Object.keys(config))
      if (!TOP_LEVEL.has(key)) this.problem(key, `"${key}" blocks are not expected in the export (not checked against the schema)`);
    // Declarations first: references may point forwards.
    for (const [type, byName] of Object.entries(asBody(config.resource))) {
      for (const [name, bodies] of Object.entries(asBody(byName))) {
        if (Array.isArray(bodies) && bodies.length > 1) this.problem(`resource "${type}" "${name}"`, 'declared more than once');
        this.resources.set(`${type}.${name}`, type);
      }
    }
    for (const name of Object.keys(asBody(config.variable))) this.variables.add(name);

    for (const body of blocks(config.terraform)) this.checkTerraformBlock(body);
    for (const [name, bodies] of Object.entries(asBody(config.variable))) {
      for (const body of blocks(bodies))
        this.checkFixed(
          `variable "${name}"`,
          body,
          ['type', 'default', 'description', 'sensitive', 'nullable', 'validation', 'ephemeral'],
          [],
          { type: true },
        );
    }
    for (const [name, bodies] of Object.entries(asBody(config.provider))) {
      if (name !== 'google') {
        this.problem(`provider "${name}"`, 'only the google provider is in the schema');
        continue;
      }
      for (const body of blocks(bodies))
        this.checkBody(`provider "google"`, body, this.schema.providerSchema, new Set(['alias', 'version']));
    }
    for (const [type, byName] of Object.entries(asBody(config.resource))) {
      const where = `resource "${type}"`;
      const node = this.schema.resourceSchemas[type];
      if (!node) {
        this.problem(
          where,
          this.schema.resourceTypes.includes(type)
            ? `${type} is a resource type of the provider but not in the schema fixture: add it to TYPES in test/terraform/generate-schema.mjs and run npm run terraform-schema`
            : `unknown resource type ${type} (not in ${this.schema.provider} ${this.schema.providerVersion})`,
        );
        continue;
      }
      for (const [name, bodies] of Object.entries(asBody(byName))) {
        for (const body of blocks(bodies)) this.checkBody(`${where} "${name}"`, body, node, META_ARGUMENTS);
      }
    }
    for (const body of blocks(config.import)) {
      this.checkFixed('import', body, ['to', 'id', 'provider', 'for_each'], ['to', 'id'], { to: true });
      const to = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\}$/.exec(String(body.to ?? ''));
      if (!to || !this.resources.has(to[1])) this.problem('import', `"to" names no resource of this file: ${JSON.stringify(body.to)}`);
    }
    for (const [name, bodies] of Object.entries(asBody(config.output))) {
      for (const body of blocks(bodies))
        this.checkFixed(
          `output "${name}"`,
          body,
          ['value', 'description', 'sensitive', 'depends_on', 'precondition', 'ephemeral'],
          ['value'],
        );
    }
    return this.problems;
  }

  private checkTerraformBlock(body: Body) {
    this.checkFixed('terraform', body, ['required_version', 'required_providers', 'backend', 'cloud', 'experiments', 'provider_meta'], [], {
      required_providers: true,
      backend: true,
      cloud: true,
      provider_meta: true,
    });
    for (const providers of blocks(body.required_providers)) {
      const google = providers.google;
      if (google === undefined) continue;
      if (!isBody(google)) {
        this.problem('terraform.required_providers.google', 'is not an object');
        continue;
      }
      const source = String(google.source ?? '');
      if (!/^(registry\.terraform\.io\/)?hashicorp\/google$/.test(source))
        this.problem('terraform.required_providers.google.source', `${JSON.stringify(source)} is not hashicorp/google`);
      const minimum = /^>=\s*(\d+(?:\.\d+)*)$/.exec(String(google.version ?? '').trim());
      if (minimum && compareVersions(this.schema.providerVersion, minimum[1]) < 0) {
        this.problem(
          'terraform.required_providers.google.version',
          `${google.version} excludes the schema's provider version ${this.schema.providerVersion}`,
        );
      }
    }
  }

  /** A Terraform language block (not the provider's): allowed keys, required keys, and template references. */
  private checkFixed(where: string, body: Body, allowed: string[], required: string[], unchecked: Record<string, boolean> = {}) {
    for (const [key, value] of Object.entries(body)) {
      if (!allowed.includes(key)) this.problem(where, `unknown argument "${key}"`);
      else if (!unchecked[key]) this.checkTemplates(`${where}.${key}`, value);
    }
    for (const key of required) if (!(key in body)) this.problem(where, `missing required argument "${key}"`);
  }

  /** One body against its schema node: every argument known, of the right kind, required ones present, nested blocks too. */
  private checkBody(where: string, body: Body, node: SchemaNode, extra: Set<string> = new Set()) {
    for (const [key, value] of Object.entries(body)) {
      const path = `${where}.${key}`;
      const attribute = node.attributes[key];
      const block = node.blocks?.[key];
      if (attribute) {
        if (isBlockList(value) && value.length && !attribute.type.includes('object'))
          this.problem(path, `is an attribute (${attribute.type}), written as a block`);
        else this.checkValue(path, value, attribute.type);
      } else if (block) {
        if (!isBlockList(value)) {
          this.problem(path, `is a block, written as an attribute (${JSON.stringify(value)})`);
          continue;
        }
        if (block.nesting === 'single' && value.length > 1)
          this.problem(path, `at most one "${key}" block is allowed, found ${value.length}`);
        value.forEach((b, i) => this.checkBody(value.length > 1 ? `${path}[${i}]` : path, b, block.block));
      } else if (extra.has(key)) {
        this.checkTemplates(path, value);
      } else {
        const known = [...Object.keys(node.attributes), ...Object.keys(node.blocks ?? {})];
        this.problem(where, `unknown attribute or block "${key}" (the schema has: ${known.join(', ')})`);
      }
    }
    for (const [key, a] of Object.entries(node.attributes))
      if (a.required && !(key in body)) this.problem(where, `missing required attribute "${key}"`);
    for (const [key, b] of Object.entries(node.blocks ?? {}))
      if (b.required && !(key in body)) this.problem(where, `missing required block "${key}"`);
  }

  private checkValue(path: string, value: Json, type: string) {
    this.checkTemplates(path, value);
    if (onlyExpression(value)) return; // a reference: its type is the provider's business
    const scalar = (v: Json, t: string): boolean => {
      if (t === 'string') return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
      if (t === 'number') return typeof v === 'number' || (typeof v === 'string' && (onlyExpression(v) || /^-?\d+(\.\d+)?$/.test(v)));
      if (t === 'bool') return typeof v === 'boolean' || (typeof v === 'string' && (onlyExpression(v) || v === 'true' || v === 'false'));
      return true;
    };
    const collection = /^(list|set|map)\((\w+)\)$/.exec(type);
    if (!collection) {
      if (type === 'object') {
        if (!isBody(value)) this.problem(path, `is an object attribute, given ${JSON.stringify(value)}`);
        return;
      }
      if (!scalar(value, type)) this.problem(path, `is a ${type}, given ${JSON.stringify(value)}`);
      return;
    }
    const [, kind, element] = collection;
    if (kind === 'map') {
      if (!isBody(value)) {
        this.problem(path, `is a map of ${element}, given ${JSON.stringify(value)}`);
        return;
      }
      for (const [key, v] of Object.entries(value)) {
        if (templates(key).length) this.problem(path, `map key ${key} is an expression, not a string: quote it`);
        if (element !== 'object' && !scalar(v, element)) this.problem(`${path}.${key}`, `is a ${element}, given ${JSON.stringify(v)}`);
      }
      return;
    }
    if (!Array.isArray(value)) {
      this.problem(path, `is a ${kind} of ${element}, given ${JSON.stringify(value)}`);
      return;
    }
    value.forEach((v, i) => {
      if (element !== 'object' && !scalar(v, element)) this.problem(`${path}[${i}]`, `is a ${element}, given ${JSON.stringify(v)}`);
    });
  }

  /** Every template in strings and keys is a reference to something declared: a variable, or a readable attribute of a resource here (what follows that attribute is not checked). */
  private checkTemplates(path: string, value: Json) {
    const strings: string[] = [];
    const walk = (v: Json) => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (isBody(v))
        for (const [k, x] of Object.entries(v)) {
          strings.push(k);
          walk(x);
        }
    };
    walk(value);
    for (const s of strings) {
      for (const t of templates(s)) {
        if (t.kind === '%') {
          this.problem(path, `template directive %{${t.expression}} in ${JSON.stringify(s)}`);
          continue;
        }
        const ref = /^([a-z_][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\.([a-z_][a-z0-9_]*)(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*)?$/.exec(
          t.expression.trim(),
        );
        if (!ref) {
          this.problem(path, `expression \${${t.expression}} is not a reference to a variable or a resource attribute`);
          continue;
        }
        const [, first, second, attribute] = ref;
        if (first === 'var') {
          if (!this.variables.has(second) || attribute) this.problem(path, `\${${t.expression}}: no variable "${second}"`);
          continue;
        }
        const type = this.resources.get(`${first}.${second}`);
        if (!type) {
          this.problem(path, `\${${t.expression}}: no resource ${first}.${second} in this file`);
          continue;
        }
        const readable = this.schema.resourceSchemas[type]?.readable ?? [];
        if (!attribute || !readable.includes(attribute))
          this.problem(path, `\${${t.expression}}: ${type} has no attribute "${attribute ?? ''}"`);
      }
    }
  }
}

function asBody(v: Json | undefined): Body {
  return v !== undefined && isBody(v) ? v : {};
}
function blocks(v: Json | undefined): Body[] {
  return v !== undefined && isBlockList(v) ? v : [];
}
function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number),
    y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Every problem of one .tf file: a parse error, or each mismatch with the schema. */
export async function checkTerraform(filename: string, text: string, schema = loadSchema()): Promise<string[]> {
  let config: Body;
  try {
    config = await parseHcl(filename, text);
  } catch (error) {
    return [`${filename} does not parse: ${(error as Error).message}`];
  }
  return new TerraformChecker(schema).check(config);
}
