import assert from 'node:assert/strict';
import { MAX_CERTIFICATES_PER_PROXY } from '../../src/core/kinds/targetHttpsProxy';
import { spawnSync } from 'node:child_process';
import type { Inventory } from '../../src/core/gcp/types';
import {
  buildChangeDomainsPlan,
  pendingDomainChanges,
  replacementDescription,
  replacementOf,
  validateChangeDomainsRequest,
} from '../../src/core/plan/changeDomains';
import { buildPlan } from '../../src/core/plan/build';
import { certificateName } from '../../src/core/plan/names';
import { exportGcloud } from '../../src/core/plan/gcloud';
import { exportTerraform } from '../../src/core/plan/terraform';
import { planText } from '../../src/core/plan/text';
import { buildTopology } from '../../src/core/topology/build';
import { changeRequest, emptyInventory, liveForChange, liveLoadBalancer, P, proxyWithCertificates, request, url } from './plan-cases';

const OLD = certificateName('web', ['www.example.com']);
const NEW = certificateName('web', ['www.example.com', 'example.com']);

/** The inventory after the plan ran: the new certificate exists with `status` and sits beside the old one. */
function afterApply(status: string, inventory = liveForChange()): Inventory {
  const plan = buildChangeDomainsPlan(changeRequest(), inventory);
  const cert = plan.steps[0].body as { name: string; managed: { domains: string[] }; description: string };
  inventory.sslCertificates.push({
    ...cert,
    type: 'MANAGED',
    managed: { ...cert.managed, status },
    selfLink: url(`global/sslCertificates/${cert.name}`),
  });
  inventory.targetHttpsProxies[0].sslCertificates = [
    ...(inventory.targetHttpsProxies[0].sslCertificates ?? []),
    url(`global/sslCertificates/${cert.name}`),
  ];
  return inventory;
}

describe('Change Domains: the plan', () => {
  it('creates a certificate for the whole new list and attaches it beside the old one', () => {
    const plan = buildChangeDomainsPlan(changeRequest(), liveForChange());
    assert.equal(plan.purpose, 'changeDomains');
    assert.ok(plan.applicable);
    assert.deepEqual(
      plan.steps.map((s) => [s.id, s.kind, s.name, s.action, s.dependsOn]),
      [
        ['cert', 'sslCertificate', NEW, 'create', []],
        ['attach-cert', 'attachCertificate', 'web-https-proxy', 'update', ['cert']],
      ],
    );
    assert.deepEqual(plan.steps[0].body.managed, { domains: ['www.example.com', 'example.com'] });
    assert.deepEqual(plan.steps[1].body.sslCertificates, [
      `projects/${P}/global/sslCertificates/${OLD}`,
      `projects/${P}/global/sslCertificates/${NEW}`,
    ]);
    assert.deepEqual(plan.domainChange, {
      httpsProxy: 'web-https-proxy',
      urlMap: 'web-url-map',
      oldCertificates: [OLD],
      newCertificate: NEW,
      previousDomains: ['www.example.com'],
    });
    assert.deepEqual(replacementOf(String(plan.steps[0].body.description)), { httpsProxy: 'web-https-proxy', certificates: [OLD] });
    assert.equal(plan.knownIp, '34.117.0.9');
    assert.deepEqual(plan.regions, ['us-central1']);
    assert.match(plan.warnings.join('\n'), /becomes ACTIVE only once the DNS A record of example\.com points at 34\.117\.0\.9/);
  });

  it('says which domains stop being served once finished', () => {
    const plan = buildChangeDomainsPlan(changeRequest({ domains: ['shop.example.org'], certificate: 'shop-cert' }), liveForChange());
    assert.equal(plan.steps[0].name, 'shop-cert');
    assert.match(plan.warnings.join('\n'), /www\.example\.com will no longer be served once the change is finished/);
  });

  it(`respects Google's ${MAX_CERTIFICATES_PER_PROXY}-certificates-per-proxy limit: 14 leave room, 15 are a conflict that says what to do`, () => {
    assert.ok(buildChangeDomainsPlan(changeRequest(), proxyWithCertificates(14)).applicable);
    const full = buildChangeDomainsPlan(changeRequest(), proxyWithCertificates(15));
    assert.equal(full.applicable, false);
    const attach = full.steps.find((s) => s.id === 'attach-cert')!;
    assert.equal(attach.action, 'conflict');
    assert.deepEqual(attach.differences, ['target HTTPS proxy web-https-proxy holds 15 certificates; Google allows at most 15']);
    assert.match(attach.note ?? '', /Finish \(or undo\) a pending domain change, or detach a certificate/);
    assert.match(planText(full), /^conflict +attach certificate +web-https-proxy {2}\[attach-cert\]$/m);
  });

  it('a re-run after the attach adopts both steps', () => {
    const plan = buildChangeDomainsPlan(changeRequest(), afterApply('PROVISIONING'));
    assert.deepEqual(
      plan.steps.map((s) => s.action),
      ['exists', 'exists'],
    );
    assert.deepEqual(
      plan.warnings.filter((w) => /earlier change|already attached/.test(w)),
      [`${NEW} is already attached to web-https-proxy: there is nothing to apply. Finish the change once it is ACTIVE.`],
    );
  });

  it('refuses, with what to do, the same domains, a missing proxy, a certificate map, and bad input', () => {
    const live = liveForChange();
    const issues = (extra: Parameters<typeof changeRequest>[0], inventory: Inventory = live) =>
      validateChangeDomainsRequest(changeRequest(extra), inventory)
        .map((i) => `${i.field}: ${i.message}`)
        .join('\n');
    assert.match(
      issues({ domains: ['WWW.example.com.'] }),
      /^domains: web-https-proxy already serves exactly these domains with certificate web-cert-[0-9a-f]+\. Enter the domain list you want instead\.$/,
    );
    assert.match(
      issues({ httpsProxy: 'nope-https-proxy' }),
      /^httpsProxy: Target HTTPS proxy nope-https-proxy does not exist in demo-project\. Refresh the explorer/,
    );
    const mapped = liveForChange();
    mapped.targetHttpsProxies[0].certificateMap =
      '//certificatemanager.googleapis.com/projects/demo-project/locations/global/certificateMaps/m1';
    assert.match(
      issues({}, mapped),
      /serves certificate map m1, which overrides its certificates: change the domains in Certificate Manager/,
    );
    assert.match(issues({ domains: ['*.example.com'] }), /^domains\[0\]: .*wildcard/);
    assert.match(issues({ domains: [] }), /^domains: Enter at least one domain/);
    assert.match(issues({ certificate: 'Bad_Name' }), /^certificate: "Bad_Name" is not a valid certificate name/);
    assert.equal(issues({}), '');
  });
});

describe('Change Domains: preview and exports', () => {
  const plan = buildChangeDomainsPlan(changeRequest(), liveForChange());

  it('the preview shows the previous domains, both steps and the finish step with its commands', () => {
    const text = planText(plan);
    assert.match(text, /^# Change the domains of the load balancer of web\n/);
    assert.match(text, /# domains: {2}www\.example\.com, example\.com \(now www\.example\.com\)/);
    assert.match(
      text,
      new RegExp(
        `\\$ gcloud compute target-https-proxies update web-https-proxy \\\\\\n +--ssl-certificates=${OLD},${NEW} \\\\\\n +--global`,
      ),
    );
    assert.match(text, /then {5}finish domain change +web-https-proxy {2}\[finish\]/);
    assert.match(text, new RegExp(`\\$ gcloud compute ssl-certificates delete ${OLD}`));
  });

  it('the gcloud script creates and attaches (OLD,NEW), and leaves the finish commented out behind an ACTIVE check', () => {
    const script = exportGcloud(plan);
    const live = script
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    assert.match(
      live,
      new RegExp(
        `gcloud compute ssl-certificates create ${NEW} \\\\\\n  --domains=www\\.example\\.com,example\\.com \\\\\\n  '--description=Replaces ${OLD} on target HTTPS proxy web-https-proxy\\.`,
      ),
    );
    assert.match(
      live,
      new RegExp(
        `gcloud compute target-https-proxies update web-https-proxy \\\\\\n  --ssl-certificates=${OLD},${NEW} \\\\\\n  --global \\\\\\n  --project="\\$PROJECT"`,
      ),
    );
    // The finish never runs by itself: removing the old certificate before the new one is ACTIVE leaves the domains without one.
    assert.doesNotMatch(live, /ssl-certificates delete|--ssl-certificates=[^,\n]+ \\$/m);
    assert.match(
      script,
      new RegExp(
        `^# +test "\\$\\(gcloud compute ssl-certificates describe ${NEW} --global .*value\\(managed\\.status\\)'\\)" = ACTIVE \\|\\| \\{ echo "${NEW} is not ACTIVE yet; the old certificate keeps serving\\." >&2; exit 1; \\}$`,
        'm',
      ),
    );
    assert.match(
      script,
      new RegExp(`^# +gcloud compute target-https-proxies update web-https-proxy \\\\\\n# +--ssl-certificates=${NEW} \\\\`, 'm'),
    );
    assert.match(script, new RegExp(`^# +gcloud compute ssl-certificates delete ${OLD} \\\\`, 'm'));
    const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    assert.equal(syntax.status, 0, syntax.stderr);
  });

  it('the Terraform export imports the proxy and lists the new certificate beside the old one', () => {
    const tf = exportTerraform(plan);
    assert.match(
      tf,
      /resource "google_compute_managed_ssl_certificate" "cert" \{\n {2}name = "web-cert-[0-9a-f]+"\n {2}description = "Replaces /,
    );
    assert.match(
      tf,
      /import \{\n {2}to = google_compute_target_https_proxy\.attach_cert\n {2}id = "projects\/demo-project\/global\/targetHttpsProxies\/web-https-proxy"\n\}/,
    );
    assert.match(
      tf,
      new RegExp(
        `ssl_certificates = \\["projects/demo-project/global/sslCertificates/${OLD}", google_compute_managed_ssl_certificate\\.cert\\.id\\]`,
      ),
    );
    assert.match(tf, new RegExp(`# Once ${NEW} is ACTIVE, finish: keep only ${NEW} in ssl_certificates`));
  });
});

describe('Change Domains: pending changes in the live state', () => {
  it('none before the change; provisioning after the attach; ready once ACTIVE; none once the old one is gone', () => {
    assert.deepEqual(pendingDomainChanges(buildTopology(liveForChange())), []);
    const provisioning = pendingDomainChanges(buildTopology(afterApply('PROVISIONING')));
    assert.deepEqual(
      provisioning.map((c) => [c.httpsProxy, c.newCertificate.name, c.oldCertificates, c.ready, c.loadBalancerId]),
      [['web-https-proxy', NEW, [OLD], false, `projects/${P}/global/loadBalancers/34.117.0.9`]],
    );
    const active = afterApply('ACTIVE');
    assert.equal(pendingDomainChanges(buildTopology(active))[0].ready, true);
    active.targetHttpsProxies[0].sslCertificates = [url(`global/sslCertificates/${NEW}`)];
    assert.deepEqual(pendingDomainChanges(buildTopology(active)), []);
  });

  it('a change planned over an unfinished one replaces both, and only the latest is offered', () => {
    const inventory = afterApply('PROVISIONING');
    const second = buildChangeDomainsPlan(changeRequest({ domains: ['shop.example.org'] }), inventory);
    assert.match(
      second.warnings.join('\n'),
      new RegExp(`${NEW} from an earlier change is not finished yet; this certificate replaces it too`),
    );
    assert.deepEqual(second.domainChange?.oldCertificates, [OLD, NEW]);
    const cert = second.steps[0].body as { name: string; managed: { domains: string[] }; description: string };
    inventory.sslCertificates.push({ ...cert, type: 'MANAGED', managed: { ...cert.managed, status: 'PROVISIONING' } });
    inventory.targetHttpsProxies[0].sslCertificates!.push(url(`global/sslCertificates/${cert.name}`));
    assert.deepEqual(
      pendingDomainChanges(buildTopology(inventory)).map((c) => [c.newCertificate.name, c.oldCertificates]),
      [[cert.name, [OLD, NEW]]],
    );
  });

  it('a description that names another proxy, or nothing, is not a pending change', () => {
    const inventory = afterApply('ACTIVE');
    inventory.sslCertificates[1].description = replacementDescription('other-https-proxy', [OLD]);
    assert.deepEqual(pendingDomainChanges(buildTopology(inventory)), []);
    inventory.sslCertificates[1].description = 'Replaces nothing in particular.';
    assert.deepEqual(pendingDomainChanges(buildTopology(inventory)), []);
  });
});

describe('Make global with other domains on an existing load balancer', () => {
  it('is a conflict on the proxy that points at Change Domains', () => {
    const base = buildPlan(request({ options: { httpsRedirect: false } }), emptyInventory());
    const plan = buildPlan(
      request({ domains: ['www.example.com', 'example.com'], options: { httpsRedirect: false } }),
      liveLoadBalancer(emptyInventory(), base),
    );
    const proxy = plan.steps.find((s) => s.id === 'https-proxy')!;
    assert.equal(proxy.action, 'conflict');
    assert.match(proxy.note ?? '', /Managed certificates cannot be edited; use "Change Domains…" on this load balancer/);
    assert.match(planText(plan), /# Target HTTPS proxy web-https-proxy serves other certificates/);
  });
});
