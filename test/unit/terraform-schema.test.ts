// Every exported Terraform file parses with HashiCorp's HCL parser, and every resource type,
// attribute and block in it is in the Google provider's schema, required ones included. The schema
// is test/fixtures/terraform/google-provider-schema.json, generated from @cdktf/provider-google by
// `npm run terraform-schema`; nothing here touches the network.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportTerraform } from '../../src/core/plan/terraform';
import { hclString } from '../../src/core/plan/hcl';
import { exportedPlans } from './plan-cases';
import { checkTerraform, loadSchema, parseHcl } from './terraform-check';

const schema = loadSchema();
const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'terraform');
const plan = (label: string) => {
  const found = exportedPlans.find((c) => c.label === label);
  assert.ok(found, label);
  return found.plan();
};
const fileName = (label: string) =>
  `${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.tf`;

/** The resource types the export writes (TYPE in src/core/plan/terraform.ts). */
const EXPORTED_TYPES = [
  'google_cloud_run_v2_service',
  'google_compute_region_network_endpoint_group',
  'google_compute_backend_service',
  'google_compute_url_map',
  'google_compute_managed_ssl_certificate',
  'google_compute_target_https_proxy',
  'google_compute_target_http_proxy',
  'google_compute_global_address',
  'google_compute_global_forwarding_rule',
  'google_dns_record_set',
  'google_certificate_manager_dns_authorization',
  'google_certificate_manager_certificate',
  'google_certificate_manager_certificate_map',
  'google_certificate_manager_certificate_map_entry',
];

describe(`Terraform export against the Google provider's schema (${schema.provider} ${schema.providerVersion}, from ${schema.package} ${schema.packageVersion})`, () => {
  it('the schema fixture says which package and provider it was generated from, and has every type the export writes', () => {
    assert.equal(schema.package, '@cdktf/provider-google');
    assert.match(schema.packageVersion, /^\d+\.\d+\.\d+$/);
    assert.equal(schema.provider, 'registry.terraform.io/hashicorp/google');
    assert.match(schema.providerVersion, /^\d+\.\d+\.\d+$/);
    for (const type of EXPORTED_TYPES) assert.ok(schema.resourceSchemas[type], type);
    assert.ok(schema.resourceTypes.length > 500, 'the list of all resource types, to tell a missing one from a misspelt one');
  });

  const seen = new Set<string>();
  for (const c of exportedPlans) {
    it(`${c.label}: parses, and every resource, attribute and block is in the schema`, async () => {
      const tf = exportTerraform(c.plan());
      for (const m of tf.matchAll(/^resource "([a-z0-9_]+)"/gm)) seen.add(m[1]);
      assert.deepEqual(await checkTerraform(fileName(c.label), tf), []);
    });
  }

  it(`covers at least 10 plans and every resource type the export writes`, () => {
    assert.ok(exportedPlans.length >= 10, `${exportedPlans.length} plans`);
    assert.deepEqual(
      EXPORTED_TYPES.filter((t) => !seen.has(t)),
      [],
    );
  });

  it('writes strings that the parser reads back unchanged, templates kept literal', async () => {
    const values = ['plain', 'Hello ${name}', '100%{ok}', 'quote " and backslash \\', 'tab\tnewline\n', 'unicode é ✓', '$${already}'];
    const text = values.map((v, i) => `v${i} = ${hclString(v)}`).join('\n') + '\n';
    const parsed = await parseHcl('strings.tf', text);
    // hcl2json keeps the template escapes, as Terraform's JSON syntax does.
    assert.deepEqual(
      values.map((_, i) => parsed[`v${i}`]),
      values.map((v) => v.replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{')),
    );
  });
});

describe('the Terraform schema check itself (a wrong file fails)', () => {
  const base = exportTerraform(plan('deploy where missing'));
  const gpu = exportTerraform(plan('a GPU service deployed to two regions (nvidia.com/gpu limits, annotations with dots and slashes)'));
  const cases: { label: string; text: string; from: string | RegExp; to: string; problem: RegExp }[] = [
    {
      label: 'an unknown attribute',
      text: base,
      from: 'ip_version = "IPV4"',
      to: 'ip_versoin = "IPV4"',
      problem: /"google_compute_global_address" "address": unknown attribute or block "ip_versoin"/,
    },
    {
      label: 'a missing required attribute',
      text: base,
      from: '  name            = "web-url-map"\n',
      to: '',
      problem: /"google_compute_url_map" "url_map": missing required attribute "name"/,
    },
    {
      label: 'an unknown attribute in a nested block',
      text: base,
      from: 'https_redirect         = true',
      to: 'https_redirct = true',
      problem: /\.default_url_redirect: unknown attribute or block "https_redirct"/,
    },
    {
      label: 'a missing required attribute in a nested block',
      text: base,
      from: '    strip_query            = false\n',
      to: '',
      problem: /\.default_url_redirect: missing required attribute "strip_query"/,
    },
    {
      label: 'a missing required attribute three blocks deep',
      text: base,
      from: '      image = "us-docker.pkg.dev/cloudrun/container/hello"\n',
      to: '',
      problem: /\.template\.containers: missing required attribute "image"/,
    },
    {
      label: 'a missing required block',
      text: base,
      from: / {2}template \{\n[\s\S]*?\n {2}\}\n/,
      to: '',
      problem: /"google_cloud_run_v2_service" "deploy_europe_west1": missing required block "template"/,
    },
    {
      label: 'a block written as an attribute',
      text: base,
      from: '  cloud_run {\n    service = "web"',
      to: '  cloud_run = {\n    service = "web"',
      problem: /\.cloud_run: is a block, written as an attribute/,
    },
    {
      label: 'an attribute written as a block',
      text: base,
      from: '  enable_cdn            = true\n',
      to: '  enable_cdn {\n  }\n',
      problem: /\.enable_cdn: is an attribute \(bool\), written as a block/,
    },
    {
      label: 'two blocks where one is allowed',
      text: base,
      from: '  default_url_redirect {',
      to: '  default_url_redirect {\n    strip_query = true\n  }\n  default_url_redirect {',
      problem: /at most one "default_url_redirect" block/,
    },
    {
      label: 'an unknown resource type',
      text: base,
      from: 'resource "google_compute_managed_ssl_certificate"',
      to: 'resource "google_compute_managed_certificate"',
      problem: /unknown resource type google_compute_managed_certificate/,
    },
    {
      label: 'a reference to an attribute the resource has not',
      text: base,
      from: 'google_compute_global_address.address.address\n  ip_protocol',
      to: 'google_compute_global_address.address.ip\n  ip_protocol',
      problem: /google_compute_global_address has no attribute "ip"/,
    },
    {
      label: 'a reference to a resource the file has not',
      text: base,
      from: 'google_compute_backend_service.backend.id',
      to: 'google_compute_backend_service.backend_2.id',
      problem: /no resource google_compute_backend_service\.backend_2 in this file/,
    },
    {
      label: 'an unquoted map key with dots and a slash',
      text: gpu,
      from: '"nvidia.com/gpu" =',
      to: 'nvidia.com/gpu =',
      problem: /map key \$\{nvidia\.com\/gpu\} is an expression/,
    },
    {
      label: 'a template in a string',
      text: base,
      from: 'value = "global"',
      to: 'value = "${name}"',
      problem: /expression \$\{name\} is not a reference/,
    },
    {
      label: 'a value of the wrong type',
      text: base,
      from: 'enable_cdn            = true',
      to: 'enable_cdn            = "maybe"',
      problem: /\.enable_cdn: is a bool, given "maybe"/,
    },
    {
      label: 'an unparseable file',
      text: base,
      from: /\n\}\n\nresource "google_compute_global_address"[\s\S]*$/,
      to: '\n',
      problem: /does not parse: .*Unclosed configuration block|does not parse/,
    },
  ];
  for (const c of cases) {
    it(`fails on ${c.label}`, async () => {
      const text = c.text.replace(c.from, c.to);
      assert.notEqual(text, c.text, 'the change applies');
      const problems = await checkTerraform(fileName(c.label), text);
      assert.ok(
        problems.some((p) => c.problem.test(p)),
        `expected ${c.problem}, got:\n${problems.join('\n')}`,
      );
    });
  }

  const later = readFileSync(join(fixtures, 'later-plans.tf'), 'utf8');
  it('passes the committed fixture of the types later plans will write (Cloud Run v1, IAM, path matchers, Certificate Manager, Cloud DNS)', async () => {
    assert.deepEqual(await checkTerraform('later-plans.tf', later), []);
  });
  const deep: { label: string; from: string; to: string; problem: RegExp }[] = [
    {
      label: 'in metadata/template/spec/containers',
      from: 'image = "us-docker.pkg.dev/cloudrun/container/hello"',
      to: 'imagee = "us-docker.pkg.dev/cloudrun/container/hello"',
      problem: /"google_cloud_run_service" "web"\.template\.spec\.containers: unknown attribute or block "imagee"/,
    },
    {
      label: 'a required one in path_matcher/path_rule',
      from: '      paths   = ["/api/*"]\n',
      to: '',
      problem: /\.path_matcher\.path_rule: missing required attribute "paths"/,
    },
    {
      label: 'an unquoted annotation key',
      from: '"autoscaling.knative.dev/maxScale" = "3"',
      to: 'autoscaling.knative.dev/maxScale = "3"',
      problem: /template\.metadata\.annotations: map key \$\{autoscaling\.knative\.dev\/maxScale\} is an expression/,
    },
    {
      label: 'a required one of a DNS record set',
      from: '  type         = "A"\n',
      to: '',
      problem: /"google_dns_record_set" "www": missing required attribute "type"/,
    },
  ];
  for (const c of deep) {
    it(`fails on that fixture with a wrong attribute: ${c.label}`, async () => {
      const text = later.replace(c.from, c.to);
      assert.notEqual(text, later, 'the change applies');
      const problems = await checkTerraform('later-plans.tf', text);
      assert.ok(
        problems.some((p) => c.problem.test(p)),
        `expected ${c.problem}, got:\n${problems.join('\n')}`,
      );
    });
  }

  it('fails on the committed fixture with a misspelt attribute, and reports only that', async () => {
    const problems = await checkTerraform('wrong-attribute.tf', readFileSync(join(fixtures, 'wrong-attribute.tf'), 'utf8'));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(
      problems[0],
      /resource "google_compute_backend_service" "backend": unknown attribute or block "enable_cnd" \(the schema has: .*enable_cdn/,
    );
  });
});
