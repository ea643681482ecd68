// Adoption of the tutorial's load balancer as gcloud builds it, on the sparse emulator (resources keep
// only what gcloud sent): the requests are the ones gcloud 528 sends (measured through the emulator as
// its proxy, test/conformance/gcloud-proxy.test.ts), and a plan over those names reports every step
// as "exists", with no conflict; Apply then writes nothing.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { loadInventory } from '../support/inventory';
import { buildPlan } from '../../src/core/plan/build';
import type { GlobalizeRequest } from '../../src/core/plan/types';
import { Harness, PROJECT, startHarness } from './setup';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("the tutorial's load balancer, built as gcloud builds it, on the sparse emulator", function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 'demo', dns: false, sparse: true });
  });
  after(() => h.emulator.close());

  const C = `compute/v1/projects/${PROJECT}`;
  const url = (path: string) => `https://compute.googleapis.com/${C}/${path}`;
  async function api(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(h.emulator.url + path, {
      method,
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    if (json.kind === 'compute#operation') assert.equal(json.error, undefined, JSON.stringify(json.error));
    return json;
  }
  const writes = async () =>
    Object.keys((await h.emulator.control.requests()).byRoute).filter((r) => /^(POST|PUT|PATCH|DELETE) /.test(r) && !r.endsWith('/wait'));

  it('reports "exists" for every step and adopts them all without a write', async () => {
    await api('POST', `${C}/regions/us-central1/networkEndpointGroups`, {
      name: 'cloudrun-neg',
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 'my-global-app' },
    });
    await api('POST', `${C}/global/backendServices`, {
      name: 'cloudrun-backend',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      enableCDN: true,
      portName: 'http',
      protocol: 'HTTP',
      timeoutSec: 30,
    });
    // add-backend: gcloud reads the backend service and writes it back with the NEG appended.
    const backend = await api('GET', `${C}/global/backendServices/cloudrun-backend`);
    await api('PUT', `${C}/global/backendServices/cloudrun-backend`, {
      ...backend,
      backends: [{ group: url('regions/us-central1/networkEndpointGroups/cloudrun-neg') }],
    });
    await api('POST', `${C}/global/urlMaps`, { name: 'cloudrun-url-map', defaultService: url('global/backendServices/cloudrun-backend') });
    await api('POST', `${C}/global/sslCertificates`, { name: 'my-ssl-cert', type: 'MANAGED', managed: { domains: ['your-domain.com'] } });
    await api('POST', `${C}/global/targetHttpsProxies`, {
      name: 'https-proxy',
      sslCertificates: [url('global/sslCertificates/my-ssl-cert')],
      urlMap: url('global/urlMaps/cloudrun-url-map'),
    });
    await api('POST', `${C}/global/addresses`, { name: 'global-ip', ipVersion: 'IPV4' });
    const ip = (await api('GET', `${C}/global/addresses/global-ip`)).address as string;
    await api('POST', `${C}/global/forwardingRules`, {
      name: 'https-forwarding-rule',
      IPAddress: ip,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      portRange: '443',
      target: url('global/targetHttpsProxies/https-proxy'),
    });

    // What Google keeps of them: no protocol on the rule, no scheme-free defaults filled in.
    const inventory = await loadInventory(h.connection, PROJECT);
    const rule = inventory.forwardingRules.find((r) => r.name === 'https-forwarding-rule')!;
    assert.equal(rule.IPProtocol, undefined, 'the sparse rule has no IPProtocol');

    const request: GlobalizeRequest = {
      project: PROJECT,
      service: 'my-global-app',
      regions: ['us-central1'],
      domains: ['your-domain.com'],
      options: { httpsRedirect: false },
      names: {
        networkEndpointGroups: { 'us-central1': 'cloudrun-neg' },
        backendService: 'cloudrun-backend',
        urlMap: 'cloudrun-url-map',
        certificate: 'my-ssl-cert',
        httpsProxy: 'https-proxy',
        address: 'global-ip',
        httpsRule: 'https-forwarding-rule',
      },
    };
    const plan = buildPlan(request, inventory);
    assert.equal(plan.options.cdn, true, 'Cloud CDN is on by default, as in the tutorial');
    assert.deepEqual(
      plan.steps.map((s) => `${s.id}:${s.action}`),
      plan.steps.map((s) => `${s.id}:exists`),
      JSON.stringify(plan.steps.map((s) => [s.id, s.differences])),
    );
    assert.ok(plan.applicable);
    assert.equal(plan.knownIp, ip);

    await h.emulator.control.resetRequests();
    const result = await applyPlan(plan, { compute: h.connection.compute(PROJECT), run: h.connection.run(PROJECT) });
    assert.ok(result.ok, JSON.stringify(result.steps.map((s) => [s.stepId, s.outcome, s.message])));
    assert.ok(result.steps.every((s) => s.outcome === 'adopted'));
    assert.equal(result.ip, ip);
    assert.deepEqual(await writes(), []);
  });
});
