// Cloud Armor in a Make-global plan: the choice option's step, how planning judges it, its preview line and both exports.
import assert from 'node:assert/strict';
import { stepForm } from '../../src/core/kinds/registry';
import { buildPlan } from '../../src/core/plan/build';
import { exportGcloud } from '../../src/core/plan/gcloud';
import { CHOICE_OPTIONS } from '../../src/core/plan/options';
import { exportTerraform } from '../../src/core/plan/terraform';
import { planText } from '../../src/core/plan/text';
import { emptyInventory, liveLoadBalancer, P, request, url } from './plan-cases';

const POLICY = 'office-allowlist';
const withPolicy = (extra = {}) => request({ choices: { securityPolicy: POLICY }, ...extra });

describe('Cloud Armor policy in a Make-global plan', () => {
  it('adds one step after the backend service that attaches the policy; none without the choice', () => {
    const plan = buildPlan(withPolicy(), emptyInventory());
    const step = plan.steps.find((s) => s.kind === 'attachSecurityPolicy');
    assert.ok(step);
    assert.equal(step.id, 'security-policy');
    assert.equal(step.name, plan.names.backendService);
    assert.equal(step.collection, 'backendServices');
    assert.deepEqual(step.body, { securityPolicy: `projects/${P}/global/securityPolicies/${POLICY}` });
    assert.deepEqual(step.dependsOn, ['backend']);
    assert.equal(step.action, 'update');
    assert.equal(
      buildPlan(request(), emptyInventory()).steps.some((s) => s.kind === 'attachSecurityPolicy'),
      false,
    );
  });

  it('is adopted where the backend service already uses the policy (by any spelling of the reference), an update otherwise', () => {
    const base = buildPlan(withPolicy({ options: { httpsRedirect: false } }), emptyInventory());
    const inventory = liveLoadBalancer(emptyInventory(), base);
    assert.equal(
      buildPlan(withPolicy({ options: { httpsRedirect: false } }), inventory).steps.find((s) => s.id === 'security-policy')?.action,
      'update',
    );
    inventory.backendServices[0].securityPolicy = url(`global/securityPolicies/${POLICY}`);
    const again = buildPlan(withPolicy({ options: { httpsRedirect: false } }), inventory);
    assert.equal(again.steps.find((s) => s.id === 'security-policy')?.action, 'exists');
    assert.equal(again.steps.find((s) => s.id === 'backend')?.action, 'exists', 'the policy is no difference of the backend service');
  });

  it('shows in the preview, the options line and the gcloud script (backend-services update --security-policy)', () => {
    const plan = buildPlan(withPolicy(), emptyInventory());
    const text = planText(plan);
    assert.match(text, /update {3}Cloud Armor policy {6}web-backend ← office-allowlist {2}\[security-policy\]/);
    assert.match(text, /# options: .*Cloud Armor policy office-allowlist/);
    const script = exportGcloud(plan);
    assert.match(script, /# security-policy: attach Cloud Armor policy office-allowlist to backend service web-backend/);
    assert.match(
      script,
      /gcloud compute backend-services update web-backend \\\n {2}--security-policy=office-allowlist \\\n {2}--global \\\n {2}--project="\$PROJECT"/,
    );
    assert.ok(script.indexOf('backend-services create web-backend') < script.indexOf('--security-policy'), 'after the backend service');
  });

  it('writes security_policy into the backend service resource of the Terraform export, or says where it goes', () => {
    const tf = exportTerraform(buildPlan(withPolicy(), emptyInventory()));
    const backend = /resource "google_compute_backend_service" "backend" \{[^]*?\n\}/.exec(tf)?.[0] ?? '';
    assert.match(backend, /security_policy\s+= "projects\/demo-project\/global\/securityPolicies\/office-allowlist"/);
    assert.match(backend, /backend \{/, 'the NEG backends are there too');
    const existing = buildPlan(
      request({ names: { backendService: 'other-backend' }, choices: { securityPolicy: POLICY } }),
      emptyInventory(),
    );
    existing.steps = existing.steps.filter((s) => s.kind !== 'backendService');
    assert.match(exportTerraform(existing), /# Set on the google_compute_backend_service named "other-backend"/);
  });

  it('offers backend security policies only: an edge policy is refused with the reason', () => {
    const choice = CHOICE_OPTIONS.find((c) => c.key === 'securityPolicy')!;
    assert.equal(choice.fits({ name: 'a', type: 'CLOUD_ARMOR' }), true);
    assert.equal(choice.fits({ name: 'a' }), true, 'type left out: Google’s default, CLOUD_ARMOR');
    assert.match(String(choice.fits({ name: 'e', type: 'CLOUD_ARMOR_EDGE' })), /CLOUD_ARMOR_EDGE.*backend security policy/);
  });

  it('is declared by the securityPolicy kind, as a step that amends the backend service and has an Undo', () => {
    const form = stepForm('attachSecurityPolicy');
    assert.equal(form.amends, true);
    assert.equal(form.changes, 'backendServices');
    assert.equal(typeof form.undo, 'function');
  });
});
