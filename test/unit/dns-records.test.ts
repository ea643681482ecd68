// Plans that write the load balancer's records in Cloud DNS: which steps, when they run, how an existing record is
// shown (old → new), and what the gcloud script and the Terraform say for them.
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/core/plan/build';
import { exportGcloud } from '../../src/core/plan/gcloud';
import { exportTerraform } from '../../src/core/plan/terraform';
import { planText } from '../../src/core/plan/text';
import type { Plan } from '../../src/core/plan/types';
import { emptyInventory, liveLoadBalancer, P, request, withZones } from './plan-cases';

const dnsSteps = (plan: Plan) => plan.steps.filter((s) => s.kind === 'dnsRecord');

describe('plan: Cloud DNS records', () => {
  it('creates the A record in the zone that holds the domain, after the address', () => {
    const plan = buildPlan(request({ domains: ['www.example.com', 'other.example.net'] }), withZones(emptyInventory()));
    const steps = dnsSteps(plan);
    assert.deepEqual(
      steps.map((s) => [s.id, s.action, s.dependsOn, s.collection]),
      [['dns:A:www.example.com', 'create', ['address'], 'dnsRecordSets']],
    );
    assert.deepEqual(steps[0].body, {
      zone: 'example-zone',
      zoneProject: P,
      zoneDnsName: 'example.com',
      type: 'A',
      ttl: 300,
      address: `projects/${P}/global/addresses/web-ip`,
    });
    assert.ok(plan.steps.indexOf(steps[0]) > plan.steps.findIndex((s) => s.id === 'address'));
    assert.ok(plan.applicable);
    const text = planText(plan);
    assert.match(text, /create {3}Cloud DNS record {8}www\.example\.com A in zone example-zone {2}\[dns:A:www\.example\.com\]/);
    assert.match(
      text,
      /\$ gcloud dns record-sets create www\.example\.com\. \\\n\s+--zone=example-zone \\\n\s+--type=A \\\n\s+--ttl=300 \\\n\s+--rrdatas=\$\(gcloud compute addresses describe web-ip/,
    );
  });

  it('turns off with the option, and offers nothing for a domain in no zone or when Cloud DNS was not read', () => {
    assert.deepEqual(dnsSteps(buildPlan(request({ options: { cloudDns: false } }), withZones(emptyInventory()))), []);
    assert.deepEqual(dnsSteps(buildPlan(request({ domains: ['www.example.net'] }), withZones(emptyInventory()))), []);
    assert.deepEqual(dnsSteps(buildPlan(request(), emptyInventory())), []);
  });

  it('updates a record that points elsewhere and shows old → new; adopts one that already points at the address', () => {
    const elsewhere = buildPlan(request(), withZones(emptyInventory(), [{ name: 'www.example.com', type: 'A', rrdatas: ['203.0.113.7'] }]));
    const [update] = dnsSteps(elsewhere);
    assert.equal(update.action, 'update');
    assert.deepEqual(update.body.current, { name: 'www.example.com', type: 'A', ttl: 300, rrdatas: ['203.0.113.7'] });
    assert.match(update.note ?? '', /Cloud DNS zone example-zone: A 203\.0\.113\.7 → the new address's IP/);
    assert.match(planText(elsewhere), /update {3}Cloud DNS record {8}www\.example\.com A in zone example-zone/);
    assert.match(exportGcloud(elsewhere), /gcloud dns record-sets update www\.example\.com\. \\/);

    // The address exists (a re-run): its IP is known, and a record already on it is adopted.
    const first = buildPlan(request({ options: { httpsRedirect: false } }), emptyInventory());
    const live = liveLoadBalancer(emptyInventory(), first);
    const ip = live.addresses[0].address!;
    const adopted = dnsSteps(
      buildPlan(request({ options: { httpsRedirect: false } }), withZones(live, [{ name: 'www.example.com', type: 'A', rrdatas: [ip] }])),
    );
    assert.deepEqual(
      adopted.map((s) => s.action),
      ['exists'],
    );
    const moved = dnsSteps(
      buildPlan(
        request({ options: { httpsRedirect: false } }),
        withZones(live, [{ name: 'www.example.com', type: 'A', rrdatas: ['203.0.113.7'] }]),
      ),
    );
    assert.match(moved[0].note ?? '', new RegExp(`A 203\\.0\\.113\\.7 → ${ip.replace(/\./g, '\\.')}`));
  });

  it('adds AAAA with IPv6, and warns about a stray AAAA without it, a CNAME at the name, and zones it could not read', () => {
    const v6 = buildPlan(request({ options: { ipv6: true } }), withZones(emptyInventory()));
    assert.deepEqual(
      dnsSteps(v6).map((s) => [s.id, s.dependsOn[0]]),
      [
        ['dns:A:www.example.com', 'address'],
        ['dns:AAAA:www.example.com', 'ipv6-address'],
      ],
    );

    const stray = buildPlan(request(), withZones(emptyInventory(), [{ name: 'www.example.com', type: 'AAAA', rrdatas: ['2001:db8::1'] }]));
    assert.ok(
      stray.warnings.some((w) => /holds an AAAA record for www\.example\.com \(2001:db8::1\).*PROVISIONING/.test(w)),
      stray.warnings.join('\n'),
    );

    const cname = buildPlan(
      request(),
      withZones(emptyInventory(), [{ name: 'www.example.com', type: 'CNAME', rrdatas: ['ghs.example.net.'] }]),
    );
    assert.deepEqual(dnsSteps(cname), []);
    assert.ok(
      cname.warnings.some((w) =>
        /www\.example\.com is a CNAME to ghs\.example\.net\. in Cloud DNS zone example-zone.*Remove the CNAME/.test(w),
      ),
    );

    const inventory = withZones(emptyInventory());
    inventory.cloudDns!.problems.push({
      project: 'locked',
      message: 'Could not list the Cloud DNS zones of locked: you lack the permission dns.managedZones.list in project locked.',
    });
    assert.ok(buildPlan(request(), inventory).warnings.some((w) => /not offered for zones of locked: .*dns\.managedZones\.list/.test(w)));
    // The API being off in the plan's own project is the common case, not news; in a project the user named, it is.
    inventory.cloudDns!.problems = [
      { project: P, kind: 'apiDisabled', message: 'the Cloud DNS API is not enabled' },
      { project: 'named', kind: 'apiDisabled', message: 'the Cloud DNS API is not enabled' },
    ];
    assert.deepEqual(
      buildPlan(request(), inventory).warnings.filter((w) => /Cloud DNS/.test(w)),
      ['Cloud DNS records are not offered for zones of named: the Cloud DNS API is not enabled'],
    );
  });

  it('names a zone in another project by that project in gcloud and Terraform, and imports a record it takes over', () => {
    const plan = buildPlan(
      request({ domains: ['www.example.com', 'shop.example.org'] }),
      withZones(
        emptyInventory(),
        [{ name: 'www.example.com', type: 'A', rrdatas: ['203.0.113.7'] }],
        ['www.example.com', 'shop.example.org'],
      ),
    );
    const script = exportGcloud(plan);
    assert.match(
      script,
      /gcloud dns record-sets create shop\.example\.org\. \\\n(\s+--.*\\\n)*\s+--rrdatas="\$IP_ADDRESS" \\\n\s+--project=dns-hub/,
    );
    assert.match(script, /gcloud dns record-sets update www\.example\.com\. \\\n(\s+--.*\\\n)*\s+--project="\$PROJECT"/);
    assert.ok(script.indexOf('IP_ADDRESS=$(') < script.indexOf('gcloud dns record-sets'), 'the IP is looked up before the records use it');
    assert.doesNotMatch(script, /Point the DNS records of/, 'every domain is written in Cloud DNS');
    const tf = exportTerraform(plan);
    assert.match(
      tf,
      /resource "google_dns_record_set" "dns_A_shop_example_org" \{\n {2}project {6}= "dns-hub"\n {2}managed_zone = "hub-zone"\n {2}name {9}= "shop\.example\.org\."\n {2}type {9}= "A"\n {2}ttl {10}= 300\n {2}rrdatas {6}= \[google_compute_global_address\.address\.address\]\n\}/,
    );
    assert.match(
      tf,
      /import \{\n {2}to = google_dns_record_set\.dns_A_www_example_com\n {2}id = "projects\/demo-project\/managedZones\/example-zone\/rrsets\/www\.example\.com\.\/A"\n\}/,
    );
  });
});
