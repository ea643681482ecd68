// Who may call the Cloud Run services behind a load balancer: the 403 finding, the plan's invoker
// step (and its gcloud and Terraform), and the policy edit the quick fix sends.
import assert from 'node:assert/strict';
import { diagnoseService, invokerFindings } from '../../src/core/findings/service';
import { isPublic, withMember } from '../../src/core/gcp/run';
import type { Inventory, InvokerAccess } from '../../src/core/gcp/types';
import { buildAddRegionPlan, buildPlan } from '../../src/core/plan/build';
import { exportGcloud } from '../../src/core/plan/gcloud';
import { exportTerraform } from '../../src/core/plan/terraform';
import { planText } from '../../src/core/plan/text';
import { sourceAccess } from '../../src/core/plan/build';
import { buildTopology } from '../../src/core/topology/build';
import { frontingLoadBalancers } from '../../src/core/topology/queries';
import { backendService, link, PROJECT, runService, seedInventory, serverlessNeg } from './topology-fixtures';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const resource = (region: string, name = 'hello') => `projects/${PROJECT}/locations/${region}/services/${name}`;
const open: InvokerAccess = { public: true, invokers: ['allUsers'] };
const closed: InvokerAccess = { public: false, invokers: ['user:ops@example.com'] };

/** The seed's load balancer serving hello from us-central1 and europe-west1. */
function twoRegions(): Inventory {
  const inventory = seedInventory();
  inventory.services.push(runService('hello', 'europe-west1'));
  inventory.networkEndpointGroups.push(serverlessNeg('cloudrun-neg-eu', 'europe-west1', 'hello'));
  inventory.backendServices[0].backends!.push({ group: link.regional('europe-west1', 'networkEndpointGroups', 'cloudrun-neg-eu') });
  return inventory;
}

describe('invoker access: the 403 finding', () => {
  it('names the regions that are not public and says requests there get 403, with a quick fix for them', () => {
    const topology = buildTopology(twoRegions());
    const invokers = new Map([
      [resource('us-central1'), open],
      [resource('europe-west1'), closed],
    ]);
    const findings = diagnoseService({ service: { name: 'hello' }, topology, dns: new Map(), invokers, now: NOW }).filter(
      (f) => f.code === 'run-invoker-not-public',
    );
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.regions, ['europe-west1']);
    assert.match(f.message, /does not grant roles\/run\.invoker to allUsers in europe-west1/);
    assert.match(f.message, /get 403/);
    assert.match(
      f.remedy,
      /gcloud run services add-iam-policy-binding hello --region=europe-west1 --member=allUsers --role=roles\/run\.invoker/,
    );
    assert.deepEqual(f.fixes[0], { kind: 'grantInvoker', service: 'hello', regions: ['europe-west1'] });
  });

  it('says nothing when every region is public, when a policy was not read or could not be, or when IAP fronts the backend', () => {
    const inventory = twoRegions();
    const topology = buildTopology(inventory);
    const fronting = frontingLoadBalancers(topology, { name: 'hello' });
    const service = { name: 'hello' };
    assert.deepEqual(
      invokerFindings(
        service,
        fronting,
        new Map([
          [resource('us-central1'), open],
          [resource('europe-west1'), open],
        ]),
      ),
      [],
    );
    assert.deepEqual(invokerFindings(service, fronting, new Map([[resource('us-central1'), open]])), []);
    assert.deepEqual(
      invokerFindings(service, fronting, new Map([[resource('us-central1'), { public: false, invokers: [], error: 'denied' }]])),
      [],
    );
    const withIap = twoRegions();
    withIap.backendServices = [
      backendService(
        'cloudrun-backend',
        withIap.backendServices[0].backends!.map((b) => b.group!),
        { iap: { enabled: true } },
      ),
    ];
    const iapTopology = buildTopology(withIap);
    assert.deepEqual(
      invokerFindings(service, frontingLoadBalancers(iapTopology, service), new Map([[resource('europe-west1'), closed]])),
      [],
    );
  });

  it('reports both regions when neither is public', () => {
    const topology = buildTopology(twoRegions());
    const findings = invokerFindings(
      { name: 'hello' },
      frontingLoadBalancers(topology, { name: 'hello' }),
      new Map([
        [resource('us-central1'), closed],
        [resource('europe-west1'), closed],
      ]),
    );
    assert.deepEqual(findings[0].regions, ['europe-west1', 'us-central1']);
    assert.match(findings[0].message, /europe-west1 and us-central1/);
  });
});

describe('invoker access: the policy edit', () => {
  it('adds allUsers to an existing unconditional invoker binding, or a new binding; keeps the rest', () => {
    const policy = {
      bindings: [
        { role: 'roles/run.invoker', members: ['user:a@example.com'] },
        { role: 'roles/run.admin', members: ['user:b@example.com'] },
      ],
      etag: 'BwX1',
    };
    const next = withMember(policy, 'roles/run.invoker', 'allUsers');
    assert.deepEqual(next.bindings[0].members, ['user:a@example.com', 'allUsers']);
    assert.deepEqual(next.bindings[1], policy.bindings[1]);
    assert.equal(next.etag, 'BwX1');
    assert.deepEqual(policy.bindings[0].members, ['user:a@example.com'], 'the read policy is not changed');
    assert.ok(isPublic(next));
    assert.deepEqual(withMember({ bindings: [] }, 'roles/run.invoker', 'allUsers').bindings, [
      { role: 'roles/run.invoker', members: ['allUsers'] },
    ]);
    assert.ok(
      !isPublic({ bindings: [{ role: 'roles/run.invoker', members: ['allUsers'], condition: { expression: 'false' } }] }),
      'a conditional binding does not count',
    );
  });
});

describe('invoker access: the plan', () => {
  const MANIFEST = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'hello' },
    spec: { template: { spec: { containers: [{ image: 'gcr.io/x/hello' }] } } },
  };
  const withAccess = (access: InvokerAccess) => ({ ...seedInventory(), invokers: new Map([[resource('us-central1'), access]]) });

  it('a deployed region gets the public access of the source region: a step after the deploy, with gcloud and Terraform', () => {
    const plan = buildAddRegionPlan(
      { project: PROJECT, service: 'hello', backendService: 'cloudrun-backend', region: 'europe-west1', deploy: { manifest: MANIFEST } },
      withAccess(open),
    );
    const invoker = plan.steps.find((s) => s.kind === 'invokerBinding');
    assert.ok(invoker);
    assert.equal(invoker.id, 'invoker:europe-west1');
    assert.deepEqual(invoker.dependsOn, ['deploy:europe-west1']);
    assert.equal(invoker.action, 'create');
    assert.deepEqual(invoker.body, { role: 'roles/run.invoker', member: 'allUsers' });
    assert.match(invoker.note ?? '', /same public access as hello in us-central1/);
    const text = planText(plan);
    assert.match(text, /create\s+invoker binding\s+hello \(europe-west1\)\s+\[invoker:europe-west1\]/);
    assert.match(
      text,
      /\$ gcloud run services add-iam-policy-binding hello \\\n\s+--region=europe-west1 \\\n\s+--member=allUsers \\\n\s+--role=roles\/run\.invoker/,
    );
    const script = exportGcloud(plan);
    assert.match(script, /gcloud run services add-iam-policy-binding hello \\\n\s+--region=europe-west1/);
    const tf = exportTerraform(plan);
    assert.match(
      tf,
      /resource "google_cloud_run_service_iam_member" "invoker_europe_west1" \{\n\s+location = "europe-west1"\n\s+service {2}= google_cloud_run_v2_service\.deploy_europe_west1\.name\n\s+role\s+= "roles\/run\.invoker"\n\s+member\s+= "allUsers"/,
    );
    assert.match(tf, /resource "google_cloud_run_v2_service" "deploy_europe_west1"/, 'the deploy keeps its own block');
  });

  it('a private source stays private: no step, a warning that names 403 and IAP', () => {
    const plan = buildAddRegionPlan(
      { project: PROJECT, service: 'hello', backendService: 'cloudrun-backend', region: 'europe-west1', deploy: { manifest: MANIFEST } },
      withAccess(closed),
    );
    assert.ok(!plan.steps.some((s) => s.kind === 'invokerBinding'));
    assert.ok(
      plan.warnings.some((w) => /not public in us-central1/.test(w) && /403/.test(w) && /IAP/.test(w)),
      plan.warnings.join('\n'),
    );
  });

  it('no deploy, no step; a region that already runs and is public is adopted, one that is private is updated', () => {
    assert.ok(
      !buildPlan({ project: PROJECT, service: 'hello', regions: ['us-central1'], domains: ['a.example.com'] }, withAccess(open)).steps.some(
        (s) => s.kind === 'invokerBinding',
      ),
    );
    const inventory = { ...withAccess(open), services: [...seedInventory().services, runService('hello', 'europe-west1')] };
    const request = {
      project: PROJECT,
      service: 'hello',
      regions: ['us-central1', 'europe-west1'],
      domains: ['a.example.com'],
      deploy: { regions: ['europe-west1'], manifest: MANIFEST },
    };
    const invokers = new Map([
      [resource('us-central1'), open],
      [resource('europe-west1'), open],
    ]);
    assert.equal(buildPlan(request, { ...inventory, invokers }).steps.find((s) => s.kind === 'invokerBinding')?.action, 'exists');
    invokers.set(resource('europe-west1'), { public: false, invokers: [] });
    assert.equal(buildPlan(request, { ...inventory, invokers }).steps.find((s) => s.kind === 'invokerBinding')?.action, 'update');
  });

  it('what the source is: public where it runs, nowhere yet, or unread', () => {
    const services = [runService('hello', 'us-central1')];
    assert.equal(sourceAccess({ services: [] }, 'hello', ['us-east1']).grant, true);
    assert.equal(sourceAccess({ services, invokers: new Map([[resource('us-central1'), open]]) }, 'hello', ['us-east1']).grant, true);
    assert.equal(sourceAccess({ services, invokers: new Map([[resource('us-central1'), closed]]) }, 'hello', ['us-east1']).grant, false);
    assert.match(sourceAccess({ services }, 'hello', ['us-east1']).reason, /could not be read/);
  });

  it('the plan is plain data: it survives JSON', () => {
    const plan = buildAddRegionPlan(
      { project: PROJECT, service: 'hello', backendService: 'cloudrun-backend', region: 'europe-west1', deploy: { manifest: MANIFEST } },
      withAccess(open),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  });
});
