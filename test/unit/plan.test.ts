import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAddRegionPlan, buildPlan } from '../../src/core/plan/build';
import { buildChangeDomainsPlan } from '../../src/core/plan/changeDomains';
import { certificateName, deriveNames, isResourceName } from '../../src/core/plan/names';
import { exportGcloud } from '../../src/core/plan/gcloud';
import { exportTerraform } from '../../src/core/plan/terraform';
import { GlobalizeRequest, Plan } from '../../src/core/plan/types';
import { planText } from '../../src/core/plan/text';
import { validateAddRegionRequest, validateRequest } from '../../src/core/plan/validate';
import { changeRequest, CONFLICTS, emptyInventory, liveForChange, liveLoadBalancer, MANIFEST, P, request, url } from './plan-cases';

const step = (plan: Plan, id: string) => {
  const found = plan.steps.find((s) => s.id === id);
  assert.ok(found, `plan has step ${id} (has ${plan.steps.map((s) => s.id).join(', ')})`);
  return found;
};

describe('plan: names', () => {
  const cases: { service: string; backend: string; neg: string }[] = [
    { service: 'web', backend: 'web-backend', neg: 'web-neg-us-central1' },
    { service: 'My_App.v2', backend: 'my-app-v2-backend', neg: 'my-app-v2-neg-us-central1' },
    { service: '9lives', backend: 'lives-backend', neg: 'lives-neg-us-central1' },
    { service: '--', backend: 'service-backend', neg: 'service-neg-us-central1' },
  ];
  for (const c of cases) {
    it(`derives RFC 1035 names from "${c.service}"`, () => {
      const names = deriveNames(c.service, { regions: ['us-central1'], domains: ['a.example.com'] });
      assert.equal(names.backendService, c.backend);
      assert.equal(names.networkEndpointGroups['us-central1'], c.neg);
      for (const name of [
        ...Object.values(names.networkEndpointGroups),
        ...Object.values(names).filter((v): v is string => typeof v === 'string'),
      ]) {
        assert.ok(isResourceName(name), `${name} is a valid resource name`);
      }
    });
  }

  it('shortens long service names within 63 characters, keeping distinct services distinct', () => {
    const a = 'a'.repeat(40) + '-billing-service-v1';
    const b = 'a'.repeat(40) + '-billing-service-v2';
    const region = 'northamerica-northeast1';
    const na = deriveNames(a, { regions: [region], domains: ['x.example.com'] });
    const nb = deriveNames(b, { regions: [region], domains: ['x.example.com'] });
    const all = (n: typeof na) => [
      ...Object.values(n.networkEndpointGroups),
      ...Object.values(n).filter((v): v is string => typeof v === 'string'),
    ];
    for (const name of [...all(na), ...all(nb)]) {
      assert.ok(name.length <= 63, `${name} is ${name.length} long`);
      assert.ok(isResourceName(name), name);
    }
    assert.ok(na.networkEndpointGroups[region].endsWith(`-neg-${region}`));
    assert.notEqual(na.networkEndpointGroups[region], nb.networkEndpointGroups[region]);
    assert.notEqual(na.backendService, nb.backendService);
    assert.equal(new Set(all(na)).size, all(na).length, 'every resource of one load balancer has its own name');
  });

  it('names the certificate after its domains: other domains, another certificate; order and case do not matter', () => {
    const one = certificateName('web', ['www.example.com', 'example.com']);
    assert.match(one, /^web-cert-[0-9a-f]{6}$/);
    assert.equal(certificateName('web', ['EXAMPLE.com', 'www.example.com.']), one);
    assert.notEqual(certificateName('web', ['www.example.com']), one);
  });
});

describe('plan: validation', () => {
  const cases: { label: string; change: Partial<GlobalizeRequest>; field: string; message: RegExp }[] = [
    { label: 'project name with spaces', change: { project: 'My Project' }, field: 'project', message: /not a project ID.*Use the ID/ },
    { label: 'project number', change: { project: '123456789012' }, field: 'project', message: /project number; use the project ID/ },
    { label: 'service name', change: { service: 'Web_App' }, field: 'service', message: /not a Cloud Run service name/ },
    { label: 'no region', change: { regions: [] }, field: 'regions', message: /at least one region/ },
    {
      label: 'a zone for a region',
      change: { regions: ['us-central1-a'] },
      field: 'regions[0]',
      message: /is a zone; use its region, us-central1/,
    },
    { label: 'a region twice', change: { regions: ['us-central1', 'us-central1'] }, field: 'regions[1]', message: /listed twice/ },
    { label: 'no domain', change: { domains: [] }, field: 'domains', message: /at least one domain/ },
    {
      label: 'a scheme',
      change: { domains: ['https://www.example.com/'] },
      field: 'domains[0]',
      message: /Remove the scheme: enter www\.example\.com/,
    },
    {
      label: 'a wildcard',
      change: { domains: ['*.example.com'] },
      field: 'domains[0]',
      message: /do not cover wildcard domains.*www\.example\.com/,
    },
    { label: 'a path', change: { domains: ['example.com/shop'] }, field: 'domains[0]', message: /without a path: example\.com/ },
    { label: 'a port', change: { domains: ['example.com:8443'] }, field: 'domains[0]', message: /Remove the port/ },
    { label: 'an IP', change: { domains: ['34.1.2.3'] }, field: 'domains[0]', message: /IP address/ },
    { label: 'a single label', change: { domains: ['localhost'] }, field: 'domains[0]', message: /not a fully qualified domain name/ },
    { label: 'a bad label', change: { domains: ['-bad.example.com'] }, field: 'domains[0]', message: /"-bad" is not a valid DNS label/ },
    { label: 'a domain twice', change: { domains: ['a.example.com', 'A.example.com'] }, field: 'domains[1]', message: /listed twice/ },
    {
      label: '101 domains',
      change: { domains: Array.from({ length: 101 }, (_, i) => `d${i}.example.com`) },
      field: 'domains',
      message: /at most 100 domains/,
    },
    { label: 'an invalid name', change: { names: { urlMap: 'Map!' } }, field: 'names.urlMap', message: /not a valid resource name/ },
    {
      label: 'a name too long',
      change: { names: { backendService: 'b'.repeat(64) } },
      field: 'names.backendService',
      message: /at most 63/,
    },
    {
      label: 'two URL maps with one name',
      change: { names: { urlMap: 'm', redirectUrlMap: 'm' } },
      field: 'names.redirectUrlMap',
      message: /already the name of urlMap/,
    },
    {
      label: 'deploy outside the regions',
      change: { deploy: { regions: ['asia-east1'], manifest: MANIFEST } },
      field: 'deploy.regions[0]',
      message: /not one of the load balancer's regions/,
    },
    {
      label: 'the YAML of another service',
      change: { deploy: { regions: ['us-central1'], manifest: { ...MANIFEST, metadata: { name: 'other' } } } },
      field: 'deploy.manifest',
      message: /describes service "other", not "web"/,
    },
  ];
  it('accepts a valid request', () => {
    assert.deepEqual(
      validateRequest(request({ domains: ['www.example.com', 'Example.com.'], deploy: { regions: ['us-central1'], manifest: MANIFEST } })),
      [],
    );
  });
  for (const c of cases) {
    it(`reports ${c.label}`, () => {
      const issues = validateRequest(request(c.change));
      const issue = issues.find((i) => i.field === c.field);
      assert.ok(issue, `an issue on ${c.field}: ${JSON.stringify(issues)}`);
      assert.match(issue.message, c.message);
    });
  }
  it('checks an add-region request', () => {
    const issues = validateAddRegionRequest({ project: P, service: 'web', backendService: 'Bad', region: 'mars' });
    assert.deepEqual(
      issues.map((i) => i.field),
      ['region', 'backendService'],
    );
  });
});

describe('plan: an empty project', () => {
  const plan = buildPlan(
    request({ regions: ['us-central1', 'europe-west1'] }),
    emptyInventory([
      { name: 'web', region: 'us-central1' },
      { name: 'web', region: 'europe-west1' },
    ]),
  );

  it('creates everything, in dependency order', () => {
    assert.ok(plan.applicable);
    assert.deepEqual(
      plan.steps.map((s) => s.id),
      [
        'neg:us-central1',
        'neg:europe-west1',
        'backend',
        'add-backend:us-central1',
        'add-backend:europe-west1',
        'url-map',
        'cert',
        'https-proxy',
        'address',
        'https-rule',
        'redirect-url-map',
        'http-proxy',
        'http-rule',
      ],
    );
    assert.ok(plan.steps.every((s) => s.action === 'create'));
    plan.steps.forEach((s, i) => {
      for (const d of s.dependsOn) assert.ok(plan.steps.findIndex((x) => x.id === d) < i, `${s.id} comes after ${d}`);
    });
  });

  const deps: [string, string[]][] = [
    ['neg:us-central1', []],
    ['backend', []],
    ['cert', []],
    ['address', []],
    ['redirect-url-map', []],
    ['add-backend:europe-west1', ['neg:europe-west1', 'backend']],
    ['url-map', ['backend']],
    ['https-proxy', ['url-map', 'cert']],
    ['https-rule', ['https-proxy', 'address']],
    ['http-proxy', ['redirect-url-map']],
    ['http-rule', ['http-proxy', 'address']],
  ];
  for (const [id, dependsOn] of deps) {
    it(`${id} depends on ${dependsOn.join(' and ') || 'nothing'}`, () => assert.deepEqual(step(plan, id).dependsOn, dependsOn));
  }

  it('has the critical path backend → URL map → proxy → rule', () => {
    assert.deepEqual(plan.criticalPath, ['backend', 'url-map', 'https-proxy', 'https-rule']);
  });

  it('sends EXTERNAL_MANAGED everywhere, and serverless bodies without health checks, timeouts, port names or balancing modes', () => {
    assert.equal(step(plan, 'backend').body.loadBalancingScheme, 'EXTERNAL_MANAGED');
    for (const rule of plan.steps.filter((s) => s.kind === 'forwardingRule'))
      assert.equal(rule.body.loadBalancingScheme, 'EXTERNAL_MANAGED', rule.id);
    const forbidden = ['healthChecks', 'timeoutSec', 'portName', 'balancingMode', 'capacityScaler', 'port'];
    for (const s of plan.steps.filter((x) => ['backendService', 'addBackend', 'networkEndpointGroup'].includes(x.kind))) {
      for (const key of forbidden) assert.ok(!JSON.stringify(s.body).includes(`"${key}"`), `${s.id} has no ${key}`);
    }
    assert.deepEqual(step(plan, 'neg:europe-west1').body, {
      name: 'web-neg-europe-west1',
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 'web' },
    });
    assert.deepEqual(step(plan, 'add-backend:europe-west1').body, {
      group: `projects/${P}/regions/europe-west1/networkEndpointGroups/web-neg-europe-west1`,
    });
    assert.deepEqual(step(plan, 'https-rule').body, {
      name: 'web-https-rule',
      IPAddress: `projects/${P}/global/addresses/web-ip`,
      IPProtocol: 'TCP',
      portRange: '443-443',
      target: `projects/${P}/global/targetHttpsProxies/web-https-proxy`,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });
    assert.deepEqual(step(plan, 'redirect-url-map').body.defaultUrlRedirect, {
      httpsRedirect: true,
      redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT',
      stripQuery: false,
    });
  });

  it('serialises the add-backends of one backend service (each is a read-modify-write)', () => {
    assert.equal(step(plan, 'add-backend:us-central1').serializeWith, 'backendServices/web-backend');
    assert.equal(step(plan, 'add-backend:europe-west1').serializeWith, 'backendServices/web-backend');
  });
});

describe('plan: options', () => {
  const table: { label: string; options: GlobalizeRequest['options']; has: string[]; hasNot: string[] }[] = [
    {
      label: 'defaults (redirect on, IPv6 and CDN off)',
      options: undefined,
      has: ['redirect-url-map', 'http-proxy', 'http-rule'],
      hasNot: ['ipv6-address'],
    },
    {
      label: 'no redirect',
      options: { httpsRedirect: false },
      has: ['https-rule'],
      hasNot: ['redirect-url-map', 'http-proxy', 'http-rule'],
    },
    { label: 'IPv6', options: { ipv6: true }, has: ['ipv6-address', 'ipv6-https-rule', 'ipv6-http-rule'], hasNot: [] },
    {
      label: 'IPv6 without redirect',
      options: { ipv6: true, httpsRedirect: false },
      has: ['ipv6-address', 'ipv6-https-rule'],
      hasNot: ['ipv6-http-rule', 'http-rule'],
    },
  ];
  for (const c of table) {
    it(c.label, () => {
      const plan = buildPlan(request({ options: c.options }), emptyInventory());
      const ids = plan.steps.map((s) => s.id);
      for (const id of c.has) assert.ok(ids.includes(id), `has ${id}`);
      for (const id of c.hasNot) assert.ok(!ids.includes(id), `has no ${id}`);
    });
  }
  it('IPv6: its own address and rules on the same proxies', () => {
    const plan = buildPlan(request({ options: { ipv6: true } }), emptyInventory());
    assert.deepEqual(step(plan, 'ipv6-address').body, { name: 'web-ipv6', ipVersion: 'IPV6' });
    assert.deepEqual(step(plan, 'ipv6-https-rule').dependsOn, ['https-proxy', 'ipv6-address']);
    assert.deepEqual(step(plan, 'ipv6-http-rule').dependsOn, ['http-proxy', 'ipv6-address']);
  });
  it('CDN: on by default, as in the tutorial: enableCDN on the backend service and --enable-cdn in the command; off when asked', () => {
    const plan = buildPlan(request(), emptyInventory());
    assert.equal(step(plan, 'backend').body.enableCDN, true);
    assert.match(planText(plan), /--enable-cdn/);
    const off = buildPlan(request({ options: { cdn: false } }), emptyInventory());
    assert.equal(off.steps.find((s) => s.id === 'backend')?.body.enableCDN, false);
    assert.doesNotMatch(planText(off), /--enable-cdn/);
  });
});

describe('plan: against live state', () => {
  const base = buildPlan(request({ regions: ['us-central1'], options: { httpsRedirect: false } }), emptyInventory());

  it('adopts what exists with the planned settings, and attaches a second region (update)', () => {
    const inventory = liveLoadBalancer(
      emptyInventory([
        { name: 'web', region: 'us-central1' },
        { name: 'web', region: 'europe-west1' },
      ]),
      base,
    );
    const plan = buildPlan(request({ regions: ['us-central1', 'europe-west1'], options: { httpsRedirect: false } }), inventory);
    const actions = Object.fromEntries(plan.steps.map((s) => [s.id, s.action]));
    assert.deepEqual(actions, {
      'neg:us-central1': 'exists',
      'neg:europe-west1': 'create',
      backend: 'exists',
      'add-backend:us-central1': 'exists',
      'add-backend:europe-west1': 'update',
      'url-map': 'exists',
      cert: 'exists',
      'https-proxy': 'exists',
      address: 'exists',
      'https-rule': 'exists',
    });
    assert.ok(plan.applicable);
    assert.equal(plan.knownIp, '34.117.0.9');
    assert.deepEqual(plan.criticalPath, ['neg:europe-west1', 'add-backend:europe-west1']);
  });

  for (const c of CONFLICTS) {
    it(`reports a conflict: ${c.label}`, () => {
      const inventory = liveLoadBalancer(emptyInventory(), base);
      c.change(inventory);
      const plan = buildPlan(request({ options: { httpsRedirect: false } }), inventory);
      const s = step(plan, c.id);
      assert.equal(s.action, 'conflict');
      assert.ok(
        s.differences?.some((d) => c.difference.test(d)),
        JSON.stringify(s.differences),
      );
      assert.ok(s.note && s.note.length > 20, 'the conflict says what to do');
      assert.equal(plan.applicable, false);
      assert.equal(plan.steps.filter((x) => x.action === 'conflict').length, 1, 'only that step conflicts');
      const text = planText(plan);
      assert.match(text, new RegExp(`^conflict .*\\[${c.id}\\]$`, 'm'));
      assert.match(text, /^ {4}! /m);
      assert.match(text, /^# conflict: {2}this plan cannot be applied/m);
    });
  }

  it('warns about regions where the service does not run, internal ingress, and another load balancer', () => {
    const inventory = liveLoadBalancer(emptyInventory([{ name: 'web', region: 'us-central1', ingress: 'internal' }]), base);
    const plan = buildPlan(request({ regions: ['us-central1', 'asia-east1'], names: { backendService: 'web-backend-2' } }), inventory);
    assert.ok(
      plan.warnings.some((w) => /web does not run in asia-east1/.test(w)),
      plan.warnings.join('\n'),
    );
    assert.ok(plan.warnings.some((w) => /ingress "internal", which blocks the load balancer/.test(w)));
    assert.ok(
      plan.warnings.some((w) => /already served by load balancer web-url-map/.test(w)),
      plan.warnings.join('\n'),
    );
  });
});

describe('plan: deploy where missing', () => {
  const plan = buildPlan(
    request({ regions: ['us-central1', 'europe-west1'], deploy: { regions: ['europe-west1'], manifest: MANIFEST } }),
    emptyInventory(),
  );

  it("deploys the YAML as it is, with the project and region, before that region's NEG", () => {
    const deploy = step(plan, 'deploy:europe-west1');
    assert.equal(deploy.kind, 'deployService');
    assert.equal(deploy.action, 'create');
    assert.deepEqual(deploy.body.spec, MANIFEST.spec);
    assert.deepEqual(deploy.body.metadata, { name: 'web', namespace: P, labels: { 'cloud.googleapis.com/location': 'europe-west1' } });
    assert.deepEqual(step(plan, 'neg:europe-west1').dependsOn, ['deploy:europe-west1']);
    assert.deepEqual(step(plan, 'neg:us-central1').dependsOn, []);
    assert.equal(plan.steps[0].id, 'deploy:europe-west1');
    assert.ok(!plan.warnings.some((w) => /does not run in europe-west1/.test(w)));
  });

  it('does not redeploy where the service runs', () => {
    const again = buildPlan(
      request({ regions: ['us-central1'], deploy: { regions: ['us-central1'], manifest: MANIFEST } }),
      emptyInventory(),
    );
    assert.equal(step(again, 'deploy:us-central1').action, 'exists');
  });
});

describe('plan: add a region', () => {
  const base = buildPlan(request({ options: { httpsRedirect: false } }), emptyInventory());
  const inventory = liveLoadBalancer(emptyInventory(), base);

  it('creates a NEG and adds it to the existing backend service', () => {
    const plan = buildAddRegionPlan(
      { project: P, service: 'web', backendService: 'web-backend', region: 'europe-west1', deploy: { manifest: MANIFEST } },
      inventory,
    );
    assert.equal(plan.purpose, 'addRegion');
    assert.deepEqual(
      plan.steps.map((s) => [s.id, s.action, s.dependsOn]),
      [
        ['deploy:europe-west1', 'create', []],
        ['neg:europe-west1', 'create', ['deploy:europe-west1']],
        ['add-backend:europe-west1', 'update', ['neg:europe-west1']],
        // The deployed region gets the access web has where it runs (its policy was not read: public, as a load balancer needs).
        ['invoker:europe-west1', 'create', ['deploy:europe-west1']],
      ],
    );
    assert.deepEqual(plan.domains, ['www.example.com']);
    assert.equal(plan.knownIp, '34.117.0.9');
    assert.match(planText(plan), /^# Add region europe-west1 to the load balancer of web$/m);
  });

  it('stops when the backend service does not exist', () => {
    const plan = buildAddRegionPlan({ project: P, service: 'web', backendService: 'nope', region: 'europe-west1' }, inventory);
    assert.equal(plan.applicable, false);
    assert.match(step(plan, 'add-backend:europe-west1').differences?.[0] ?? '', /backend service nope does not exist/);
  });
});

/** vscode-textmate and vscode-oniguruma from the VS Code runtime the UI tests install, when present. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function loadTextMate(): { textmate: any; oniguruma: any; wasm: string } | undefined {
  const base = join(__dirname, '..', '..', '..', '.vscode-runtime', 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  const wasm = join(base, 'vscode-oniguruma', 'release', 'onig.wasm');
  if (!existsSync(wasm)) return undefined;
  return { textmate: require(join(base, 'vscode-textmate')), oniguruma: require(join(base, 'vscode-oniguruma')), wasm };
}

describe('plan: preview text and grammar', () => {
  const inventory = liveLoadBalancer(emptyInventory(), buildPlan(request({ options: { httpsRedirect: false } }), emptyInventory()));
  const plan = buildPlan(
    request({ regions: ['us-central1', 'europe-west1'], deploy: { regions: ['europe-west1'], manifest: MANIFEST } }),
    inventory,
  );
  const text = planText(plan);
  const grammarPath = join(__dirname, '..', '..', '..', 'syntaxes', 'cloudrun-plan.tmLanguage.json');

  it('starts with a header: service, project, regions, domains, options', () => {
    assert.deepEqual(text.split('\n').slice(0, 6), [
      '# Make web global',
      `# project:  ${P}`,
      '# service:  web',
      '# regions:  us-central1, europe-west1',
      '# domains:  www.example.com',
      '# options:  HTTP → HTTPS redirect on, Cloud CDN on, IPv6 address off, Cloud DNS records on, Issue the certificate before DNS moves off, Cloud Armor policy none',
    ]);
    assert.match(text, /^# steps: {4}6 create, 8 exists, 1 update, 0 conflict$/m);
  });

  it('lists every step with its action, resource and gcloud command', () => {
    for (const s of plan.steps) assert.match(text, new RegExp(`^${s.action} .* ${s.name}.*\\[${s.id}\\]$`, 'm'), s.id);
    assert.match(text, /^update {3}add backend {13}web-backend \+ web-neg-europe-west1 \(europe-west1\) {2}\[add-backend:europe-west1\]$/m);
    assert.match(text, /^ {4}\$ gcloud run services replace service\.yaml \\\n {8}--region=europe-west1/m);
    assert.match(text, /--address=34\.117\.0\.9/, 'the known IP instead of a lookup');
    assert.equal((text.match(/^ {4}\$ gcloud /gm) ?? []).length, plan.steps.length);
  });

  it('is valid for the grammar: scope name, and every regular expression compiles', () => {
    const grammar = JSON.parse(readFileSync(grammarPath, 'utf8'));
    assert.equal(grammar.scopeName, 'source.cloudrun-plan');
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (['match', 'begin', 'end'].includes(key) && typeof value === 'string') assert.doesNotThrow(() => new RegExp(value), value);
        else walk(value);
      }
    };
    walk(grammar);
  });

  it('colours actions, resource names, regions, conflicts, comments and gcloud commands (vscode-textmate)', async function () {
    const tm = loadTextMate();
    if (!tm) {
      console.log('    (skipped: the VS Code runtime with vscode-textmate is not installed here)');
      return this.skip();
    }
    const wasm = readFileSync(tm.wasm);
    await tm.oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new tm.textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (p: string[]) => new tm.oniguruma.OnigScanner(p),
        createOnigString: (s: string) => new tm.oniguruma.OnigString(s),
      }),
      loadGrammar: async (scope: string) =>
        scope === 'source.cloudrun-plan' ? tm.textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    const grammar = await registry.loadGrammar('source.cloudrun-plan');
    assert.ok(grammar);
    const conflicting = liveLoadBalancer(emptyInventory(), buildPlan(request({ options: { httpsRedirect: false } }), emptyInventory()));
    conflicting.backendServices[0].loadBalancingScheme = 'EXTERNAL';
    const sample =
      text +
      planText(buildPlan(request({ options: { httpsRedirect: false } }), conflicting)) +
      planText(buildChangeDomainsPlan(changeRequest(), liveForChange()));
    const scopesOf = new Map<string, Set<string>>();
    let state = tm.textmate.INITIAL;
    for (const line of sample.split('\n')) {
      const result = grammar.tokenizeLine(line, state);
      for (const token of result.tokens as { startIndex: number; endIndex: number; scopes: string[] }[]) {
        const piece = line.slice(token.startIndex, token.endIndex).trim();
        if (!piece) continue;
        const set = scopesOf.get(piece) ?? new Set<string>();
        token.scopes.forEach((s: string) => set.add(s));
        scopesOf.set(piece, set);
      }
      state = result.ruleStack;
    }
    const has = (piece: string, scope: string) =>
      assert.ok(
        [...(scopesOf.get(piece) ?? [])].some((s) => s.startsWith(scope)),
        `${piece} → ${scope} (got ${[...(scopesOf.get(piece) ?? [])].join(' ')})`,
      );
    has('create', 'markup.inserted');
    has('exists', 'comment');
    has('update', 'markup.changed');
    has('conflict', 'markup.deleted');
    has('web-backend', 'entity.name.tag.resource');
    has('backend service', 'storage.type.resource-kind');
    has('europe-west1', 'constant.other.region');
    has('gcloud', 'support.function.gcloud');
    has('--global', 'variable.parameter.flag');
    has('--load-balancing-scheme', 'variable.parameter.flag');
    has('after', 'keyword.other.after');
    has('#', 'comment.line');
    has('loadBalancingScheme is "EXTERNAL", wanted "EXTERNAL_MANAGED"', 'markup.deleted.difference');
    // Change Domains: the attach step and the finish step that follows it.
    has('attach certificate', 'storage.type.resource-kind');
    has('then', 'keyword.control.then');
    has('finish domain change', 'storage.type.resource-kind');
    has('update', 'keyword.other.gcloud-verb');
  });
});

describe('plan: exports', () => {
  const inventory = liveLoadBalancer(
    emptyInventory(),
    buildPlan(request({ options: { httpsRedirect: false, cdn: false } }), emptyInventory()),
  );
  const plan = buildPlan(
    request({
      regions: ['us-central1', 'europe-west1'],
      options: { cdn: false, ipv6: true },
      deploy: { regions: ['europe-west1'], manifest: MANIFEST },
    }),
    inventory,
  );
  const fresh = buildPlan(request({ regions: ['us-central1', 'europe-west1'], options: { cdn: true, ipv6: true } }), emptyInventory());

  describe('gcloud', () => {
    const script = exportGcloud(fresh);
    const commands = script.split('\n').filter((l) => /^(\w+=\$\()?gcloud /.test(l));

    it("has every step, in dependency order, in the seed's style", () => {
      assert.deepEqual(
        commands.map((c) => c.replace(/ \\$/, '').replace(/"\$PROJECT"/g, 'P')),
        [
          'gcloud compute network-endpoint-groups create web-neg-us-central1',
          'gcloud compute network-endpoint-groups create web-neg-europe-west1',
          'gcloud compute backend-services create web-backend',
          'gcloud compute backend-services add-backend web-backend',
          'gcloud compute backend-services add-backend web-backend',
          'gcloud compute url-maps create web-url-map',
          `gcloud compute ssl-certificates create ${fresh.names.certificate}`,
          'gcloud compute target-https-proxies create web-https-proxy',
          'gcloud compute addresses create web-ip',
          "IP_ADDRESS=$(gcloud compute addresses describe web-ip --global --project=P --format='value(address)')",
          'gcloud compute forwarding-rules create web-https-rule',
          "gcloud compute url-maps import web-redirect <<'EOF'".replace(" <<'EOF'", ''),
          'gcloud compute target-http-proxies create web-http-proxy',
          'gcloud compute forwarding-rules create web-http-rule',
          'gcloud compute addresses create web-ipv6',
          "IPV6_ADDRESS=$(gcloud compute addresses describe web-ipv6 --global --project=P --format='value(address)')",
          'gcloud compute forwarding-rules create web-ipv6-https-rule',
          'gcloud compute forwarding-rules create web-ipv6-http-rule',
        ],
      );
      assert.match(script, /^#!\/usr\/bin\/env bash\nset -euo pipefail|^set -euo pipefail$/m);
      assert.match(script, /--enable-cdn/);
      assert.match(script, /--network-endpoint-group=web-neg-europe-west1 \\\n {2}--network-endpoint-group-region=europe-west1/);
    });

    it('puts --load-balancing-scheme=EXTERNAL_MANAGED on every forwarding rule (the seed forgets it)', () => {
      const rules = script.split(/\n(?=gcloud |# )/).filter((block) => block.startsWith('gcloud compute forwarding-rules create'));
      assert.equal(rules.length, 4);
      for (const rule of rules) {
        assert.match(rule, /--load-balancing-scheme=EXTERNAL_MANAGED/);
        assert.match(rule, /--address="\$IPV?6?_?ADDRESS"/);
      }
    });

    it('leaves out what exists and includes the deploy', () => {
      const partial = exportGcloud(plan);
      assert.ok(!/backend-services create/.test(partial), 'the backend service exists');
      assert.ok(!/url-maps create web-url-map/.test(partial));
      assert.match(
        partial,
        /backend-services add-backend web-backend \\\n {2}--global \\\n {2}--network-endpoint-group=web-neg-europe-west1/,
      );
      assert.ok(!/--network-endpoint-group=web-neg-us-central1/.test(partial));
      assert.match(
        partial,
        /SERVICE_YAML_EUROPE_WEST1=\$\(mktemp\)\ncat > "\$SERVICE_YAML_EUROPE_WEST1" <<'EOF'\napiVersion: serving.knative.dev\/v1\nkind: Service/,
      );
      assert.match(partial, /gcloud run services replace "\$SERVICE_YAML_EUROPE_WEST1" \\\n {2}--region=europe-west1/);
      assert.ok(partial.indexOf('run services replace') < partial.indexOf('network-endpoint-groups create web-neg-europe-west1'));
      assert.match(
        exportGcloud(plan, { manifestFile: 'service.yaml' }),
        /gcloud run services replace service\.yaml \\\n {2}--region=europe-west1/,
      );
      // The address exists, but the new port-80 rule still looks its IP up, as the seed does.
      assert.ok(partial.indexOf('IP_ADDRESS=$(') < partial.indexOf('forwarding-rules create web-http-rule'));
      assert.ok(!/forwarding-rules create web-https-rule/.test(partial), 'the 443 rule exists');
    });

    it('comments out conflicting steps', () => {
      const conflicting = liveLoadBalancer(emptyInventory(), buildPlan(request({ options: { httpsRedirect: false } }), emptyInventory()));
      conflicting.urlMaps[0].defaultService = url('global/backendServices/other');
      const out = exportGcloud(buildPlan(request({ options: { httpsRedirect: false } }), conflicting));
      assert.match(out, /# This plan has conflicts; resolve them first/);
      assert.match(out, /^# gcloud compute url-maps create web-url-map/m);
    });

    it('is valid bash', function () {
      const check = spawnSync('bash', ['-n'], { input: exportGcloud(plan), encoding: 'utf8' });
      if (check.error) return this.skip();
      assert.equal(check.status, 0, check.stderr);
      assert.equal(spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' }).status, 0);
    });
  });

  describe('Terraform', () => {
    const tf = exportTerraform(fresh);
    it('declares every resource with the google provider', () => {
      for (const [type, count] of Object.entries({
        google_compute_region_network_endpoint_group: 2,
        google_compute_backend_service: 1,
        google_compute_url_map: 2,
        google_compute_managed_ssl_certificate: 1,
        google_compute_target_https_proxy: 1,
        google_compute_target_http_proxy: 1,
        google_compute_global_address: 2,
        google_compute_global_forwarding_rule: 4,
      })) {
        assert.equal((tf.match(new RegExp(`^resource "${type}" `, 'gm')) ?? []).length, count, type);
      }
      assert.match(tf, /source {2}= "hashicorp\/google"/);
      assert.equal((tf.match(/\{/g) ?? []).length, (tf.match(/\}/g) ?? []).length, 'balanced braces');
    });

    it('wires resources by reference, not literals', () => {
      assert.match(tf, /group = google_compute_region_network_endpoint_group\.neg_us_central1\.id/);
      assert.match(tf, /group = google_compute_region_network_endpoint_group\.neg_europe_west1\.id/);
      assert.match(tf, /default_service = google_compute_backend_service\.backend\.id/);
      assert.match(tf, /url_map {10}= google_compute_url_map\.url_map\.id/);
      assert.match(tf, /ssl_certificates = \[google_compute_managed_ssl_certificate\.cert\.id\]/);
      assert.match(tf, /ip_address {12}= google_compute_global_address\.address\.address/);
      assert.match(tf, /ip_address {12}= google_compute_global_address\.ipv6_address\.address/);
      assert.match(tf, /target {16}= google_compute_target_http_proxy\.http_proxy\.id/);
      assert.match(tf, /url_map = google_compute_url_map\.redirect_url_map\.id/);
      assert.ok(!/projects\/demo-project\/(global|regions)\//.test(tf), 'no literal Compute paths');
      assert.equal((tf.match(/load_balancing_scheme = "EXTERNAL_MANAGED"/g) ?? []).length, 5, 'backend and four rules');
      assert.match(tf, /enable_cdn {12}= true/);
      assert.match(tf, /default_url_redirect \{\n {4}https_redirect {9}= true/);
      assert.match(tf, /output "address" \{/);
    });

    it('imports what exists, and turns the deploy into a Cloud Run service the NEG references', () => {
      const partial = exportTerraform(plan);
      assert.match(
        partial,
        /import \{\n {2}to = google_compute_backend_service\.backend\n {2}id = "projects\/demo-project\/global\/backendServices\/web-backend"\n\}/,
      );
      assert.match(
        partial,
        /resource "google_cloud_run_v2_service" "deploy_europe_west1" \{[\s\S]*location = "europe-west1"[\s\S]*image = "us-docker\.pkg\.dev\/cloudrun\/container\/hello"[\s\S]*name {2}= "MODE"/,
      );
      assert.match(partial, /cloud_run \{\n {4}service = google_cloud_run_v2_service\.deploy_europe_west1\.name\n/);
      assert.match(partial, /cloud_run \{\n {4}service = "web"\n/, 'the region where the service runs names it');
    });
  });
});
