// What each plan purpose decides, from its module in the table: titles, the document's name, the
// conflict notice and its Change Domains offer, and the announcement after Apply with its buttons.
import assert from 'node:assert/strict';
import type { ApplyResult } from '../../src/core/apply/applyTypes';
import { failureNotice } from '../../src/core/flows/applyPlanFlow';
import { buildAddRegionPlan, buildPlan } from '../../src/core/plan/build';
import { buildChangeDomainsPlan } from '../../src/core/plan/changeDomains';
import { exportGcloud } from '../../src/core/plan/gcloud';
import { exportTerraform } from '../../src/core/plan/terraform';
import { planText } from '../../src/core/plan/text';
import type { Plan } from '../../src/core/plan/types';
import type { Notice } from '../../src/core/purposes/purpose';
import { PURPOSES, purposeOf } from '../../src/core/purposes/table';
import { changeRequest, emptyInventory, liveForChange, liveLoadBalancer, P, request } from './plan-cases';

const makeGlobal = () => buildPlan(request(), emptyInventory());
const addRegion = () => {
  const inventory = emptyInventory([
    { name: 'web', region: 'us-central1' },
    { name: 'web', region: 'europe-west1' },
  ]);
  return buildAddRegionPlan(
    { project: P, service: 'web', backendService: 'web-backend', region: 'europe-west1' },
    liveLoadBalancer(inventory, buildPlan(request(), emptyInventory()), ['us-central1']),
  );
};
const changeDomains = () => buildChangeDomainsPlan(changeRequest(), liveForChange());

function ran(plan: Plan, extra: Partial<ApplyResult> = {}): ApplyResult {
  const steps = plan.steps.map((s) => ({ stepId: s.id, kind: s.kind, name: s.name, outcome: 'created' as const, message: '' }));
  return { ok: true, cancelled: false, steps, created: [], attached: [], uncertain: [], uncertainAttached: [], durationMs: 1, ...extra };
}

const labels = (notice: Notice) => notice.offers.map((o) => o.label);

describe('plan purposes', () => {
  it('one module per purpose, each plan finds its own', () => {
    assert.deepEqual(Object.keys(PURPOSES).sort(), ['addRegion', 'changeDomains', 'globalize']);
    assert.equal(purposeOf(makeGlobal()), PURPOSES.globalize);
    assert.equal(purposeOf(addRegion()), PURPOSES.addRegion);
    assert.equal(purposeOf(changeDomains()), PURPOSES.changeDomains);
    assert.deepEqual(
      Object.values(PURPOSES).map((p) => [p.documentPrefix, p.wizardTitle]),
      [
        ['make-global', 'Make global'],
        ['add-region', 'Add region'],
        ['change-domains', 'Change domains'],
      ],
    );
  });

  it('the preview, the script and the Terraform open with the purpose’s title; only a domain change leaves out the options', () => {
    const cases: [Plan, string, string, string, string][] = [
      [
        makeGlobal(),
        '# Make web global',
        '# Put Cloud Run service web behind a global external Application Load Balancer.',
        '# Cloud Run service web behind a global external Application Load Balancer.',
        'Making web global',
      ],
      [
        addRegion(),
        '# Add region europe-west1 to the load balancer of web',
        '# Serve Cloud Run service web from europe-west1 too.',
        '# Cloud Run service web: one more region (europe-west1).',
        'Adding europe-west1 to web',
      ],
      [
        changeDomains(),
        '# Change the domains of the load balancer of web',
        '# Change the domains of the load balancer of web: a new managed certificate beside the old one on web-https-proxy.',
        '# Cloud Run service web: new domains, a new managed certificate beside the old on web-https-proxy.',
        'Changing the domains of web-https-proxy',
      ],
    ];
    for (const [plan, preview, script, terraform, progress] of cases) {
      const text = planText(plan).split('\n');
      assert.equal(text[0], preview);
      assert.equal(
        text.some((l) => l.startsWith('# options:')),
        plan.purpose !== 'changeDomains',
        `${plan.purpose}: options line`,
      );
      assert.equal(exportGcloud(plan).split('\n')[1], script);
      assert.equal(exportTerraform(plan).split('\n')[0], terraform);
      assert.equal(purposeOf(plan).progressTitle(plan), progress);
    }
  });

  it('Make global over a proxy that serves other domains offers Change Domains…; other conflicts offer nothing', () => {
    const plan = buildPlan(request({ domains: ['shop.example.com'], options: { httpsRedirect: false } }), liveForChange());
    assert.equal(plan.applicable, false);
    const notice = purposeOf(plan).conflictNotice(plan);
    assert.equal(notice.severity, 'error');
    assert.match(notice.message, /^The plan conflicts with what exists in demo-project: web-https-proxy: sslCertificates is /);
    assert.match(
      notice.message,
      /Nothing was changed; the preview shows what to resolve\. The load balancer serves other domains: use Change Domains to move it to shop\.example\.com\.$/,
    );
    assert.deepEqual(notice.offers, [
      {
        label: 'Change Domains…',
        followUp: { kind: 'changeDomains', project: P, httpsProxy: 'web-https-proxy', domains: ['shop.example.com'] },
      },
    ]);
    // The same conflict in another purpose's plan is only reported.
    const other = { ...plan, purpose: 'addRegion' as const };
    assert.deepEqual(purposeOf(other).conflictNotice(other).offers, []);
    assert.doesNotMatch(purposeOf(other).conflictNotice(other).message, /Change Domains/);
  });

  it('after Apply: Make global offers the DNS records to copy, Add region does not, Change domains offers its certificate', () => {
    const global = makeGlobal();
    const announced = purposeOf(global).announcement(global, ran(global, { ip: '34.1.2.3' }));
    assert.equal(
      announced.message,
      'web is behind a global load balancer at 34.1.2.3. Create this DNS record so the certificate can be issued: www.example.com. 300 IN A 34.1.2.3',
    );
    assert.deepEqual(labels(announced), ['Copy DNS Records', 'Show in Explorer', 'Undo']);
    assert.deepEqual(announced.offers[0].followUp, { kind: 'copyDnsRecords', records: ['www.example.com. 300 IN A 34.1.2.3'] });
    assert.deepEqual(announced.offers[1].followUp, {
      kind: 'showInExplorer',
      loadBalancerId: `projects/${P}/global/loadBalancers/34.1.2.3`,
    });
    assert.deepEqual(announced.offers[2].followUp, { kind: 'undo' });

    const region = addRegion();
    const added = purposeOf(region).announcement(region, ran(region, { ip: '34.117.0.9' }));
    assert.equal(added.message, 'web is now also served from europe-west1.');
    assert.deepEqual(labels(added), ['Show in Explorer', 'Undo']);

    const change = changeDomains();
    const changed = purposeOf(change).announcement(change, ran(change));
    assert.match(changed.message, /^Certificate web-cert-\w+ is attached to web-https-proxy beside web-cert-\w+, which keeps serving\. /);
    assert.deepEqual(labels(changed), ['Copy DNS Records', 'Diagnose Certificate', 'Undo']);
    assert.deepEqual(changed.offers[1].followUp, {
      kind: 'diagnoseCertificate',
      certificateId: `projects/${P}/global/sslCertificates/${change.domainChange!.newCertificate}`,
    });
  });

  it('a run that did not finish offers Run Again and Undo of that plan, and the log', () => {
    const plan = makeGlobal();
    const notice = failureNotice('plan-key', ran(plan, { ok: false, cancelled: true }));
    assert.equal(notice.severity, 'warning');
    assert.match(notice.message, /^Cancelled\. /);
    assert.deepEqual(notice.offers, [
      { label: 'Run Again', followUp: { kind: 'applyAgain', planKey: 'plan-key' } },
      { label: 'Undo', followUp: { kind: 'undo', planKey: 'plan-key' } },
      { label: 'Show Log', followUp: { kind: 'showLog' } },
    ]);
    assert.match(failureNotice('plan-key', ran(plan, { ok: false })).message, /^Not finished: /);
  });
});
