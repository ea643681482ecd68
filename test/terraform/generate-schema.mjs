// `npm run terraform-schema`: writes test/fixtures/terraform/google-provider-schema.json, the part of
// the Google provider's schema that the Terraform export can reach, taken from the npm package
// @cdktf/provider-google (generated from the provider's own schema). Run on demand, not on install:
// the package is about 31 MB to download and 300 MB unpacked, and the test needs only this subset.
//
//   npm run terraform-schema                       # npm pack PACKAGE into a temporary folder
//   npm run terraform-schema -- --from DIR|TGZ     # an unpacked package, or its tarball
//
// From the package: the Terraform name of every argument and whether it is a block
// (lib/*/index.js, the `…ToHclTerraform` mappers and `synthesizeHclAttributes`), whether it is
// required and a block's nesting (.jsii, the jsii assembly), and which attributes a reference may
// read (the resource class's getters). Nothing is written by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@cdktf/provider-google@16.12.1';
/** The resource types the export writes or may write (Cloud DNS and Certificate Manager included). */
const TYPES = [
  'google_cloud_run_service',
  'google_cloud_run_service_iam_member',
  'google_cloud_run_v2_service',
  'google_cloud_run_v2_service_iam_member',
  'google_compute_backend_service',
  'google_compute_global_address',
  'google_compute_global_forwarding_rule',
  'google_compute_managed_ssl_certificate',
  'google_compute_region_network_endpoint_group',
  'google_compute_target_http_proxy',
  'google_compute_target_https_proxy',
  'google_compute_url_map',
  'google_certificate_manager_certificate',
  'google_certificate_manager_certificate_map',
  'google_certificate_manager_certificate_map_entry',
  'google_certificate_manager_dns_authorization',
  'google_dns_managed_zone',
  'google_dns_record_set',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'test', 'fixtures', 'terraform', 'google-provider-schema.json');

function packageDir() {
  const i = process.argv.indexOf('--from');
  const from = i > 0 ? process.argv[i + 1] : undefined;
  const work = mkdtempSync(join(tmpdir(), 'provider-google-'));
  let tgz = from;
  if (from && statSync(from).isDirectory()) return { dir: from, cleanup: () => rmSync(work, { recursive: true, force: true }) };
  if (!tgz) {
    console.log(`npm pack ${PACKAGE} …`);
    const packed = JSON.parse(execFileSync('npm', ['pack', PACKAGE, '--json', '--pack-destination', work], { encoding: 'utf8' }));
    tgz = join(work, packed[0].filename);
  }
  execFileSync('tar', ['xzf', tgz, '-C', work]);
  return { dir: join(work, 'package'), cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

const camel = (snake) => snake.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (s) => s[0].toUpperCase() + s.slice(1);

/** `tf_name: { value: …(struct.prop | this._prop…), isBlock, type, storageClassType }` entries of one attrs literal. */
function attrEntries(text) {
  const entries = [];
  const re = /^\s+([a-z0-9_]+): \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\}/gm;
  for (const m of text.matchAll(re)) {
    const prop = /(?:struct|this)\.(?:_)?(\w+)/.exec(m[2]);
    if (!prop) throw new Error(`no property in ${m[0]}`);
    entries.push({ tf: m[1], prop: prop[1], isBlock: m[3] === 'true', type: m[4], storageClassType: m[5] });
  }
  return entries;
}

/** The attrs literal that starts at `start` (up to the `};` that closes it). */
function attrsAt(js, start) {
  const open = js.indexOf('const attrs = {', start);
  const close = js.indexOf('\n    };', open);
  const close2 = js.indexOf('\n        };', open);
  const end = [close, close2].filter((x) => x > 0).sort((a, b) => a - b)[0];
  return js.slice(open, end);
}

function elementFqn(type) {
  if (type.fqn && !type.fqn.startsWith('cdktf.')) return { fqn: type.fqn, collection: undefined };
  if (type.collection) {
    const inner = elementFqn(type.collection.elementtype);
    return inner.fqn ? { fqn: inner.fqn, collection: type.collection.kind } : { fqn: undefined, collection: type.collection.kind };
  }
  if (type.union) {
    for (const t of type.union.types) {
      const inner = elementFqn(t);
      if (inner.fqn || inner.collection) return inner;
    }
  }
  return { fqn: undefined, collection: undefined };
}

function valueType(entry, jsiiType) {
  const simple = { string: 'string', number: 'number', boolean: 'bool' };
  if (entry.type === 'simple') return simple[entry.storageClassType] ?? entry.storageClassType;
  const m = /^(string|number|boolean)(List|Map)$/.exec(entry.storageClassType);
  if (m) return `${entry.type === 'set' ? 'set' : m[2].toLowerCase()}(${simple[m[1]]})`;
  const { collection } = elementFqn(jsiiType);
  return collection ? `${collection === 'map' ? 'map' : entry.type}(object)` : 'object';
}

function generate(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  console.log(`reading ${pkg.name}@${pkg.version} (.jsii) …`);
  const jsii = JSON.parse(readFileSync(join(dir, '.jsii'), 'utf8'));
  const allTypes = new Set();
  for (const sub of readdirSync(join(dir, 'lib'))) {
    const index = join(dir, 'lib', sub, 'index.js');
    if (!existsSync(index)) continue;
    const m = /\.tfResourceType = "([a-z0-9_]+)";/.exec(readFileSync(index, 'utf8'));
    if (m && !sub.startsWith('data-') && m[1] !== 'google') allTypes.add(m[1]);
  }

  /** The schema of one struct (or a resource's config), found by the function that maps it to HCL. */
  function structSchema(js, ns, fqn, attrsText) {
    const iface = jsii.types[fqn];
    if (!iface) throw new Error(`no jsii type ${fqn}`);
    const props = new Map(iface.properties.map((p) => [p.name, p]));
    const attributes = {},
      blocks = {};
    for (const e of attrEntries(attrsText)) {
      const p = props.get(e.prop);
      if (!p) throw new Error(`${fqn}: no property ${e.prop} for ${e.tf}`);
      const required = !p.optional;
      if (e.isBlock) {
        const { fqn: inner, collection } = elementFqn(p.type);
        if (!inner) throw new Error(`${fqn}.${e.prop}: block without a struct type`);
        const fn = inner.split('.').pop();
        const fnName = fn[0].toLowerCase() + fn.slice(1) + 'ToHclTerraform';
        const start = js.indexOf(`function ${fnName}(struct) {`);
        if (start < 0) throw new Error(`no ${fnName}`);
        blocks[e.tf] = {
          nesting: collection ? (e.type === 'set' ? 'set' : 'list') : 'single',
          required,
          block: structSchema(js, ns, inner, attrsAt(js, start)),
        };
      } else {
        attributes[e.tf] = { type: valueType(e, p.type), required };
      }
    }
    const mapped = Object.keys(attributes).length + Object.keys(blocks).length;
    if (mapped !== props.size) throw new Error(`${fqn}: ${mapped} arguments read from the JavaScript, ${props.size} properties in .jsii`);
    const sort = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
    const node = { attributes: sort(attributes) };
    if (Object.keys(blocks).length) node.blocks = sort(blocks);
    return node;
  }

  function classSchema(type, sub, className) {
    const js = readFileSync(join(dir, 'lib', sub, 'index.js'), 'utf8');
    if (!js.includes(`${className}.tfResourceType = "${type}";`)) throw new Error(`${sub}: ${className} is not ${type}`);
    const ns = jsii.types[`${pkg.name}.${camel(sub.replace(/-/g, '_'))}.${className}`]?.namespace ?? camel(sub.replace(/-/g, '_'));
    const classStart = js.indexOf(`class ${className} extends cdktf.Terraform`);
    const classEnd = js.indexOf(`exports.${className} = ${className};`, classStart);
    const body = js.slice(classStart, classEnd);
    const node = structSchema(
      js,
      ns,
      `${pkg.name}.${ns}.${className}Config`,
      attrsAt(js, js.indexOf('synthesizeHclAttributes() {', classStart)),
    );
    const readable = new Set(Object.keys(node.attributes));
    for (const m of body.matchAll(/this\.(?:get\w*Attribute|interpolationForAttribute)\('([a-z0-9_]+)'\)/g)) readable.add(m[1]);
    for (const m of body.matchAll(/ = new [\w.]+\(this, "([a-z0-9_]+)"/g)) readable.add(m[1]); // lists, maps and blocks
    return { ...node, readable: [...readable].sort() };
  }

  const resources = {};
  for (const type of TYPES) {
    if (!allTypes.has(type)) throw new Error(`${pkg.name}@${pkg.version} has no resource type ${type}`);
    const sub = type.replace(/^google_/, '').replace(/_/g, '-');
    resources[type] = classSchema(type, sub, pascal(camel(type.replace(/^google_/, ''))));
  }
  const provider = classSchema('google', 'provider', 'GoogleProvider');
  delete provider.readable;
  return {
    comment: 'Generated by `npm run terraform-schema` (test/terraform/generate-schema.mjs) from the npm package named below; do not edit.',
    package: pkg.name,
    packageVersion: pkg.version,
    provider: pkg.cdktf?.provider?.name,
    providerVersion: pkg.cdktf?.provider?.version,
    resourceTypes: [...allTypes].sort(),
    providerSchema: provider,
    resourceSchemas: resources,
  };
}

const { dir, cleanup } = packageDir();
try {
  const schema = generate(dir);
  writeFileSync(out, JSON.stringify(schema, null, 1) + '\n');
  console.log(
    `wrote ${out.replace(root + '/', '')}: ${schema.package}@${schema.packageVersion} (${schema.provider} ${schema.providerVersion}), ${Object.keys(schema.resourceSchemas).length} resource types`,
  );
} finally {
  cleanup();
}
