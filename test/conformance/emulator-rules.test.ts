// Google's rules as the emulator enforces them, over raw HTTP.
import assert from 'node:assert/strict';
import { promises as dnsPromises } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { startEmulator, type Emulator } from '../emulator';
import { fingerprintOf, type Json } from '../emulator/store';
import { apiClient, sleep, type ApiAnswer } from './helpers';

// A self-signed certificate for self.example.test (EC P-256, valid until 2126); the emulator never needs its key.
const SELF_SIGNED_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBrTCCAVOgAwIBAgIUcf6ME3VEIAIYmPvL5CCh3adnfgYwCgYIKoZIzj0EAwIw',
  'HDEaMBgGA1UEAwwRc2VsZi5leGFtcGxlLnRlc3QwIBcNMjYxMTI2MTUxMjMzWhgP',
  'MjEyNjExMDIxNTEyMzNaMBwxGjAYBgNVBAMMEXNlbGYuZXhhbXBsZS50ZXN0MFkw',
  'EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEjaERCVbMmND1w4VTlLF59zrYCCdEwbR9',
  'qSW4k1dKHRZgcEXEmHz9vfTp07Wc9oWlo5LeB8aHg1KsUD7ZBh2DyaNxMG8wHQYD',
  'VR0OBBYEFCPcY9DRkKiNXSZnNsshrhbw0txtMB8GA1UdIwQYMBaAFCPcY9DRkKiN',
  'XSZnNsshrhbw0txtMA8GA1UdEwEB/wQFMAMBAf8wHAYDVR0RBBUwE4IRc2VsZi5l',
  'eGFtcGxlLnRlc3QwCgYIKoZIzj0EAwIDSAAwRQIhANg3Roqthc11qLB9//0bI4tn',
  'EjYCtEQ+phcEQnplDIcKAiBq/Knko/TJBCf1X4GkgFdWG2nsLWjzvQO3oxvzfO1p',
  'Iw==',
  '-----END CERTIFICATE-----',
].join('\n');

const P = 'projects/demo-project';
const C = `compute/v1/${P}`;

/** Creates the chain NEG → backend service → URL map → cert(s) → HTTPS proxy → address → 443 rule; returns the rule's IP. */
async function buildLoadBalancer(api: ReturnType<typeof apiClient>, name: string, domains: string[][]): Promise<string> {
  const must = async (r: Promise<ApiAnswer>) => {
    const a = await r;
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(a.body.error, undefined, JSON.stringify(a.body));
    return a;
  };
  await must(
    api('POST', `${C}/regions/us-central1/networkEndpointGroups`, {
      name: `${name}-neg`,
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: name },
    }),
  );
  await must(
    api('POST', `${C}/global/backendServices`, {
      name: `${name}-bs`,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      backends: [{ group: `regions/us-central1/networkEndpointGroups/${name}-neg` }],
    }),
  );
  await must(api('POST', `${C}/global/urlMaps`, { name: `${name}-map`, defaultService: `global/backendServices/${name}-bs` }));
  for (const [i, d] of domains.entries())
    await must(api('POST', `${C}/global/sslCertificates`, { name: `${name}-cert-${i}`, managed: { domains: d } }));
  await must(
    api('POST', `${C}/global/targetHttpsProxies`, {
      name: `${name}-proxy`,
      urlMap: `global/urlMaps/${name}-map`,
      sslCertificates: domains.map((_, i) => `${P}/global/sslCertificates/${name}-cert-${i}`),
    }),
  );
  await must(api('POST', `${C}/global/addresses`, { name: `${name}-ip` }));
  const ip = (await api('GET', `${C}/global/addresses/${name}-ip`)).body.address;
  await must(
    api('POST', `${C}/global/forwardingRules`, {
      name: `${name}-rule`,
      IPAddress: ip,
      portRange: '443',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      target: `https://compute.googleapis.com/compute/v1/${P}/global/targetHttpsProxies/${name}-proxy`,
    }),
  );
  return ip;
}

describe('emulator: Google rules over raw HTTP', function () {
  let emu: Emulator;
  let api: ReturnType<typeof apiClient>;

  before(async () => {
    emu = await startEmulator({ seed: 'demo' });
    api = apiClient(emu.url);
  });
  after(async () => {
    await emu?.close();
  });
  beforeEach(async () => {
    await emu.control.reset();
  });

  describe('auth and projects', () => {
    it('answers 401 without a Bearer token, as Google does', async () => {
      const r = await apiClient(emu.url, null)('GET', `${C}/global/backendServices`);
      assert.equal(r.status, 401);
      assert.equal(r.contentType, 'application/json; charset=UTF-8');
      assert.equal(r.body.error.errors[0].reason, 'required');
      assert.match(r.body.error.message, /^Request is missing required authentication credential/);
      const run = await apiClient(emu.url, null)('GET', 'v2/projects/demo-project/locations/us-central1/services');
      assert.equal(run.status, 401);
      assert.equal(run.body.error.status, 'UNAUTHENTICATED');
    });

    it("answers an unknown project with Compute's 404", async () => {
      const r = await api('GET', 'compute/v1/projects/nope-project/global/urlMaps');
      assert.equal(r.status, 404);
      assert.equal(r.body.error.message, "The resource 'projects/nope-project' was not found");
      assert.equal(r.body.error.errors[0].reason, 'notFound');
    });

    it('answers a disabled API with 403 accessNotConfigured and the activation link (Compute) or ErrorInfo (Run)', async () => {
      await emu.control.addProject({
        id: 'off-project',
        number: '555000111222',
        disabledApis: ['compute.googleapis.com', 'run.googleapis.com'],
      });
      const c = await api('GET', 'compute/v1/projects/off-project/global/backendServices');
      assert.equal(c.status, 403);
      assert.equal(c.body.error.errors[0].reason, 'accessNotConfigured');
      assert.equal(
        c.body.error.message.split('. Enable')[0],
        'Compute Engine API has not been used in project 555000111222 before or it is disabled',
      );
      assert.match(
        c.body.error.message,
        /https:\/\/console\.developers\.google\.com\/apis\/api\/compute\.googleapis\.com\/overview\?project=555000111222 then retry/,
      );
      const r = await api('GET', 'v2/projects/off-project/locations/us-central1/services');
      assert.equal(r.status, 403);
      assert.equal(r.body.error.status, 'PERMISSION_DENIED');
      const info = r.body.error.details.find((d: Json) => d['@type'] === 'type.googleapis.com/google.rpc.ErrorInfo');
      assert.equal(info.reason, 'SERVICE_DISABLED');
      assert.equal(info.metadata.service, 'run.googleapis.com');
    });

    it('answers a denied permission with 403 forbidden naming the permission and the resource', async () => {
      await emu.control.addProject({ id: 'locked-project', deniedPermissions: ['compute.backendServices.create', 'run.services.list'] });
      const r = await api('POST', 'compute/v1/projects/locked-project/global/backendServices', {
        name: 'x',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
      });
      assert.equal(r.status, 403);
      assert.equal(
        r.body.error.message,
        "Required 'compute.backendServices.create' permission for 'projects/locked-project/global/backendServices/x'",
      );
      assert.equal(r.body.error.errors[0].reason, 'forbidden');
      const list = await api('GET', 'compute/v1/projects/locked-project/global/backendServices');
      assert.equal(list.status, 200);
      const run = await api('GET', 'v2/projects/locked-project/locations/us-central1/services');
      assert.equal(run.status, 403);
      assert.match(run.body.error.message, /Permission 'run\.services\.list' denied/);
    });
  });

  describe('resources', () => {
    it('answers Google shapes: kind, string id, selfLink on the caller origin, fingerprint, JSON content type', async () => {
      const r = await api('GET', `${C}/global/backendServices/storefront-backend`);
      assert.equal(r.contentType, 'application/json; charset=UTF-8');
      assert.equal(r.body.kind, 'compute#backendService');
      assert.match(r.body.id, /^\d{15,20}$/);
      assert.equal(r.body.selfLink, `${emu.url}${C}/global/backendServices/storefront-backend`);
      assert.match(r.body.fingerprint, /^[A-Za-z0-9_-]{11}=$/);
      assert.match(r.body.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[-+]\d\d:\d\d$/);
      assert.deepEqual(
        r.body.backends.map((b: Json) => b.group),
        [
          `${emu.url}${C}/regions/us-central1/networkEndpointGroups/storefront-neg-us-central1`,
          `${emu.url}${C}/regions/europe-west1/networkEndpointGroups/storefront-neg-europe-west1`,
        ],
      );
    });

    it('refuses a duplicate name with 409 alreadyExists and a non-RFC 1035 name with 400 invalid', async () => {
      const dup = await api('POST', `${C}/global/addresses`, { name: 'storefront-ip' });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error.errors[0].reason, 'alreadyExists');
      assert.equal(dup.body.error.message, `The resource '${P}/global/addresses/storefront-ip' already exists`);
      for (const bad of ['Global-IP', '1ip', 'ip-', 'a'.repeat(64), 'under_score']) {
        const r = await api('POST', `${C}/global/addresses`, { name: bad });
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.error.errors[0].reason, 'invalid');
        assert.match(r.body.error.message, /^Invalid value for field 'resource\.name'/);
      }
    });

    it('answers a missing reference with 404 notFound, whatever its spelling', async () => {
      for (const ref of [
        'global/backendServices/ghost',
        `${P}/global/backendServices/ghost`,
        `http://elsewhere.example/compute/v1/${P}/global/backendServices/ghost`,
      ]) {
        const r = await api('POST', `${C}/global/urlMaps`, { name: 'm', defaultService: ref });
        assert.equal(r.status, 404, ref);
        assert.equal(r.body.error.message, `The resource '${P}/global/backendServices/ghost' was not found`);
      }
      const hostRule = await api('POST', `${C}/global/urlMaps`, {
        name: 'm',
        defaultService: 'global/backendServices/api-backend',
        hostRules: [{ hosts: ['x.example.com'], pathMatcher: 'nope' }],
        pathMatchers: [],
      });
      assert.equal(hostRule.status, 400);
      assert.match(hostRule.body.error.message, /resource\.hostRules\[0\]\.pathMatcher/);
    });

    it('refuses to delete a referenced resource with resourceInUseByAnotherResource', async () => {
      const cases: [string, string, string][] = [
        ['regions/us-central1/networkEndpointGroups/api-neg-us-central1', 'network_endpoint_group', 'global/backendServices/api-backend'],
        ['global/backendServices/api-backend', 'backend_service', 'global/urlMaps/api-url-map'],
        ['global/urlMaps/api-url-map', 'url_map', 'global/targetHttpsProxies/api-https-proxy'],
        ['global/sslCertificates/api-cert', 'ssl_certificate', 'global/targetHttpsProxies/api-https-proxy'],
        ['global/targetHttpsProxies/api-https-proxy', 'target_https_proxy', 'global/forwardingRules/api-https-rule'],
        ['global/addresses/api-ip', 'address', 'global/forwardingRules/api-https-rule'],
      ];
      for (const [path, singular, user] of cases) {
        const r = await api('DELETE', `${C}/${path}`);
        assert.equal(r.status, 400, path);
        assert.equal(r.body.error.errors[0].reason, 'resourceInUseByAnotherResource');
        assert.equal(r.body.error.message, `The ${singular} resource '${P}/${path}' is already being used by '${P}/${user}'`);
      }
      const rule = await api('DELETE', `${C}/global/forwardingRules/api-https-rule`);
      assert.equal(rule.body.status, 'DONE');
      assert.equal(rule.body.operationType, 'delete');
      assert.equal((await api('GET', `${C}/global/addresses/api-ip`)).body.status, 'RESERVED');
    });

    it('checks fingerprints on patch and update: 412 conditionNotMet when stale', async () => {
      const before = (await api('GET', `${C}/global/backendServices/api-backend`)).body;
      const patched = await api('PATCH', `${C}/global/backendServices/api-backend`, {
        fingerprint: before.fingerprint,
        description: 'first',
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.operationType, 'patch');
      const after = (await api('GET', `${C}/global/backendServices/api-backend`)).body;
      assert.equal(after.description, 'first');
      assert.notEqual(after.fingerprint, before.fingerprint);
      const stale = await api('PATCH', `${C}/global/backendServices/api-backend`, {
        fingerprint: before.fingerprint,
        description: 'second',
      });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.error.errors[0].reason, 'conditionNotMet');
      const staleUpdate = await api('PUT', `${C}/global/urlMaps/api-url-map`, {
        name: 'api-url-map',
        fingerprint: 'AAAAAAAAAAA=',
        defaultService: 'global/backendServices/api-backend',
      });
      assert.equal(staleUpdate.status, 412);
    });

    it('keeps serverless NEG backends to what Google allows', async () => {
      await api('POST', `${C}/global/healthChecks`, { name: 'hc', type: 'HTTP', httpHealthCheck: { port: 80 } });
      const neg = `regions/us-central1/networkEndpointGroups/api-neg-us-central1`;
      const base = { name: 'bs', loadBalancingScheme: 'EXTERNAL_MANAGED' };
      const refused: [Json, RegExp][] = [
        [
          { timeoutSec: 120, backends: [{ group: neg }] },
          /^Invalid value for field 'resource\.timeoutSec': '120'\. Timeout sec is not supported for a backend service with Serverless network endpoint groups\.$/,
        ],
        [
          { portName: 'grpc', backends: [{ group: neg }] },
          /^Invalid value for field 'resource\.portName': 'grpc'\. Port name is not supported/,
        ],
        [
          { healthChecks: ['global/healthChecks/hc'], backends: [{ group: neg }] },
          /A backend service cannot have a healthcheck with Serverless network endpoint group backends\./,
        ],
        [{ backends: [{ group: neg, balancingMode: 'RATE', maxRatePerEndpoint: 10 }] }, /resource\.backends\[0\]\.balancingMode': 'RATE'/],
        [{ backends: [{ group: neg, capacityScaler: 0.5 }] }, /resource\.backends\[0\]\.capacityScaler/],
        [
          { backends: [{ group: neg }, { group: 'regions/us-central1/networkEndpointGroups/storefront-neg-us-central1' }] },
          /at most one Serverless network endpoint group per region/,
        ],
      ];
      for (const [extra, message] of refused) {
        const r = await api('POST', `${C}/global/backendServices`, { ...base, ...extra });
        assert.equal(r.status, 400, JSON.stringify(extra));
        assert.equal(r.body.error.errors[0].reason, 'invalid');
        assert.match(r.body.error.message, message);
      }
      // What gcloud sends by default (portName http, timeoutSec 30) and what Google fills in (UTILIZATION, 1) pass.
      const accepted = await api('POST', `${C}/global/backendServices`, {
        ...base,
        portName: 'http',
        timeoutSec: 30,
        protocol: 'HTTP',
        backends: [{ group: neg, balancingMode: 'UTILIZATION', capacityScaler: 1 }],
      });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      // Adding a timeout later is refused too.
      const fp = (await api('GET', `${C}/global/backendServices/bs`)).body.fingerprint;
      const patch = await api('PATCH', `${C}/global/backendServices/bs`, { fingerprint: fp, timeoutSec: 60 });
      assert.equal(patch.status, 400);
    });

    it('checks forwarding rules: target exists, one port from 1-65535, load-balancing scheme', async () => {
      const base = { IPAddress: '34.120.10.30', loadBalancingScheme: 'EXTERNAL_MANAGED' };
      const ghost = await api('POST', `${C}/global/forwardingRules`, {
        ...base,
        name: 'r1',
        portRange: '443',
        target: 'global/targetHttpsProxies/ghost',
      });
      assert.equal(ghost.status, 404);
      for (const portRange of ['8443-8444', '0', '65536', 'https']) {
        const port = await api('POST', `${C}/global/forwardingRules`, {
          ...base,
          name: 'r2',
          portRange,
          target: 'global/targetHttpsProxies/api-https-proxy',
        });
        assert.equal(port.status, 400, portRange);
        assert.match(port.body.error.message, /resource\.portRange/);
        assert.match(
          port.body.error.message,
          /Each forwarding rule for an Application Load Balancer can reference a single port from 1-65535\./,
        );
      }
      const scheme = await api('POST', `${C}/global/forwardingRules`, {
        ...base,
        name: 'r3',
        portRange: '8080',
        loadBalancingScheme: 'EXTERNAL',
        target: 'global/targetHttpProxies/storefront-http-proxy',
      });
      assert.equal(scheme.status, 200, 'a redirect-only URL map has no backend service to disagree with');
      const mismatch = await api('POST', `${C}/global/forwardingRules`, {
        name: 'r4',
        portRange: '80',
        target: 'global/targetHttpsProxies/api-https-proxy',
      });
      assert.equal(mismatch.status, 400);
      const clash = await api('POST', `${C}/global/forwardingRules`, {
        ...base,
        name: 'r5',
        portRange: '443',
        target: 'global/targetHttpsProxies/api-https-proxy',
      });
      assert.equal(clash.status, 400);
      assert.match(clash.body.error.message, /Specified IP address is in-use and would result in a conflict/);
    });

    it('accepts any single port for HTTPS and HTTP proxies (8443, 8081, 65535), as "N" or "N-N"', async () => {
      const base = { IPAddress: '34.120.10.30', loadBalancingScheme: 'EXTERNAL_MANAGED' };
      const https = await api('POST', `${C}/global/forwardingRules`, {
        ...base,
        name: 'alt-https',
        portRange: '8443',
        target: 'global/targetHttpsProxies/api-https-proxy',
      });
      assert.equal(https.status, 200, JSON.stringify(https.body));
      const http = await api('POST', `${C}/global/forwardingRules`, {
        ...base,
        name: 'alt-http',
        portRange: '8081-8081',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        target: 'global/targetHttpProxies/storefront-http-proxy',
      });
      assert.equal(http.status, 200, JSON.stringify(http.body));
      const top = await api('POST', `${C}/global/forwardingRules`, {
        ...base,
        name: 'top-https',
        portRange: '65535',
        target: 'global/targetHttpsProxies/api-https-proxy',
      });
      assert.equal(top.status, 200, JSON.stringify(top.body));
      assert.equal((await api('GET', `${C}/global/forwardingRules/alt-https`)).body.portRange, '8443-8443');
      assert.equal((await api('GET', `${C}/global/forwardingRules/alt-http`)).body.portRange, '8081-8081');
    });

    it('accepts the shapes real projects hold: IPv6 rules, certificate maps, backend buckets, host and path rules', async () => {
      const must = async (p: Promise<ApiAnswer>) => {
        const r = await p;
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r;
      };
      await must(api('POST', `${C}/global/addresses`, { name: 'v6-ip', ipVersion: 'IPV6' }));
      const v6 = (await api('GET', `${C}/global/addresses/v6-ip`)).body;
      assert.equal(v6.ipVersion, 'IPV6');
      assert.match(v6.address, /:/);
      await must(
        api('POST', `${C}/global/forwardingRules`, {
          name: 'v6-rule',
          IPAddress: `global/addresses/v6-ip`,
          portRange: '443',
          loadBalancingScheme: 'EXTERNAL_MANAGED',
          target: 'global/targetHttpsProxies/api-https-proxy',
        }),
      );
      const rule = (await api('GET', `${C}/global/forwardingRules/v6-rule`)).body;
      assert.equal(rule.IPAddress, v6.address);
      assert.equal(rule.ipVersion, 'IPV6');
      await must(api('POST', `${C}/global/backendBuckets`, { name: 'assets', bucketName: 'demo-assets', enableCdn: true }));
      await must(
        api('POST', `${C}/global/urlMaps`, {
          name: 'routes',
          defaultService: 'global/backendBuckets/assets',
          hostRules: [{ hosts: ['api.example.com'], pathMatcher: 'api' }],
          pathMatchers: [
            {
              name: 'api',
              defaultService: 'global/backendServices/api-backend',
              pathRules: [{ paths: ['/shop/*'], service: 'global/backendServices/storefront-backend' }],
            },
          ],
        }),
      );
      const map = (await api('GET', `${C}/global/urlMaps/routes`)).body;
      assert.equal(map.defaultService, `${emu.url}${C}/global/backendBuckets/assets`);
      assert.equal(map.pathMatchers[0].pathRules[0].service, `${emu.url}${C}/global/backendServices/storefront-backend`);
      // The map must exist in Certificate Manager, as Google checks.
      await must(api('POST', 'v1/projects/demo-project/locations/global/certificateMaps?certificateMapId=main', {}));
      await must(
        api('POST', `${C}/global/targetHttpsProxies`, {
          name: 'by-map',
          urlMap: 'global/urlMaps/routes',
          certificateMap: '//certificatemanager.googleapis.com/projects/demo-project/locations/global/certificateMaps/main',
        }),
      );
      assert.equal(
        (await api('GET', `${C}/global/targetHttpsProxies/by-map`)).body.certificateMap,
        '//certificatemanager.googleapis.com/projects/demo-project/locations/global/certificateMaps/main',
      );
      const inUse = await api('DELETE', `${C}/global/backendBuckets/assets`);
      assert.equal(inUse.body.error.errors[0].reason, 'resourceInUseByAnotherResource');
    });

    it('pages lists with maxResults/pageToken and filters by name', async () => {
      for (let i = 0; i < 7; i++) assert.equal((await api('POST', `${C}/global/addresses`, { name: `page-${i}` })).status, 200);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const r = await api('GET', `${C}/global/addresses?maxResults=3${token ? `&pageToken=${token}` : ''}`);
        assert.equal(r.body.kind, 'compute#addressList');
        assert.ok(r.body.items.length <= 3);
        seen.push(...r.body.items.map((a: Json) => a.name));
        token = r.body.nextPageToken;
        pages += 1;
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual(seen.sort(), ['api-ip', 'page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6', 'storefront-ip']);
      const eq = await api('GET', `${C}/global/addresses?filter=${encodeURIComponent('name eq page-[0-2]')}`);
      assert.deepEqual(
        eq.body.items.map((a: Json) => a.name),
        ['page-0', 'page-1', 'page-2'],
      );
      const exact = await api('GET', `${C}/global/addresses?filter=${encodeURIComponent('name = "api-ip"')}`);
      assert.deepEqual(
        exact.body.items.map((a: Json) => a.name),
        ['api-ip'],
      );
    });

    it('aggregatedList keys items by scope, empty scopes carry NO_RESULTS_ON_PAGE', async () => {
      const r = await api('GET', `${C}/aggregated/networkEndpointGroups?includeAllScopes=True&returnPartialSuccess=True`);
      assert.equal(r.body.kind, 'compute#networkEndpointGroupAggregatedList');
      assert.deepEqual(
        r.body.items['regions/us-central1'].networkEndpointGroups.map((n: Json) => n.name),
        ['api-neg-us-central1', 'storefront-neg-us-central1'],
      );
      assert.deepEqual(
        r.body.items['regions/europe-west1'].networkEndpointGroups.map((n: Json) => n.name),
        ['storefront-neg-europe-west1'],
      );
      assert.equal(r.body.items['regions/us-east1'].warning.code, 'NO_RESULTS_ON_PAGE');
      assert.deepEqual(r.body.items['regions/us-east1'].warning.data, [{ key: 'scope', value: 'regions/us-east1' }]);
      assert.equal(r.body.items.global.warning.code, 'NO_RESULTS_ON_PAGE');
      const bs = await api('GET', `${C}/aggregated/backendServices`);
      assert.deepEqual(
        bs.body.items.global.backendServices.map((b: Json) => b.name),
        ['api-backend', 'storefront-backend'],
      );
    });

    it('changes proxies and rules with setSslCertificates, setUrlMap and setTarget, recorded as operations', async () => {
      assert.equal(
        (await api('POST', `${C}/global/sslCertificates`, { name: 'api-cert-2', managed: { domains: ['api2.example.com'] } })).status,
        200,
      );
      const set = await api('POST', `${C}/targetHttpsProxies/api-https-proxy/setSslCertificates`, {
        sslCertificates: ['global/sslCertificates/api-cert-2'],
      });
      assert.equal(set.body.operationType, 'setSslCertificates');
      const map = await api('POST', `${C}/targetHttpsProxies/api-https-proxy/setUrlMap`, {
        urlMap: `${P}/global/urlMaps/storefront-url-map`,
      });
      assert.equal(map.body.operationType, 'setUrlMap');
      const proxy = (await api('GET', `${C}/global/targetHttpsProxies/api-https-proxy`)).body;
      assert.deepEqual(proxy.sslCertificates, [`${emu.url}${C}/global/sslCertificates/api-cert-2`]);
      assert.equal(proxy.urlMap, `${emu.url}${C}/global/urlMaps/storefront-url-map`);
      const target = await api('POST', `${C}/global/forwardingRules/storefront-https-rule/setTarget`, {
        target: 'global/targetHttpsProxies/api-https-proxy',
      });
      assert.equal(target.body.operationType, 'setTarget');
      const ops = (await api('GET', `${C}/global/operations`)).body.items;
      assert.deepEqual(
        ops.map((o: Json) => o.operationType),
        ['insert', 'setSslCertificates', 'setUrlMap', 'setTarget'],
      );
      for (const o of ops) {
        assert.equal(o.kind, 'compute#operation');
        assert.ok(o.insertTime && o.startTime && o.endTime && o.user && o.targetLink && o.targetId, JSON.stringify(o));
      }
    });
  });

  describe('sparse mode', () => {
    const create = async (collection: string, body: Json) => {
      const r = await api('POST', `${C}/global/${collection}`, body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.error, undefined, JSON.stringify(r.body));
      return (await api('GET', `${C}/global/${collection}/${body.name}`)).body;
    };
    const lb = async () => ({
      address: await create('addresses', { name: 'sparse-ip' }),
      backend: await create('backendServices', {
        name: 'sparse-bs',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        backends: [{ group: 'regions/us-central1/networkEndpointGroups/api-neg-us-central1' }],
      }),
      rule: await create('forwardingRules', {
        name: 'sparse-rule',
        IPAddress: '34.120.10.30',
        portRange: '8443',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        target: 'global/targetHttpsProxies/api-https-proxy',
      }),
    });

    it("off by default: Google's defaults are filled in", async () => {
      const { address, backend, rule } = await lb();
      assert.equal(address.ipVersion, 'IPV4');
      assert.equal(backend.enableCDN, false);
      assert.equal(backend.timeoutSec, 30);
      assert.equal(backend.backends[0].balancingMode, 'UTILIZATION');
      assert.equal(rule.IPProtocol, 'TCP');
      assert.equal((await emu.control.state()).sparse, false);
    });

    it('on: only the fields sent plus output fields (id, selfLink, creationTimestamp, kind, fingerprint, status, address, portRange)', async () => {
      assert.deepEqual(await emu.control.setSparse(true), { sparse: true });
      const { address, backend, rule } = await lb();
      assert.deepEqual(Object.keys(address).sort(), [
        'address',
        'creationTimestamp',
        'id',
        'kind',
        'labelFingerprint',
        'name',
        'selfLink',
        'status',
      ]);
      assert.deepEqual(Object.keys(backend).sort(), [
        'backends',
        'creationTimestamp',
        'fingerprint',
        'id',
        'kind',
        'loadBalancingScheme',
        'name',
        'selfLink',
      ]);
      assert.deepEqual(backend.backends, [{ group: `${emu.url}${C}/regions/us-central1/networkEndpointGroups/api-neg-us-central1` }]);
      assert.deepEqual(Object.keys(rule).sort(), [
        'IPAddress',
        'creationTimestamp',
        'fingerprint',
        'id',
        'kind',
        'labelFingerprint',
        'loadBalancingScheme',
        'name',
        'portRange',
        'selfLink',
        'target',
      ]);
      assert.equal(rule.portRange, '8443-8443');
      // A PATCH keeps the resource sparse; rules still read Google's defaults (a backend without a scheme is EXTERNAL).
      const patched = await api('PATCH', `${C}/global/backendServices/sparse-bs`, {
        fingerprint: backend.fingerprint,
        description: 'patched',
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const after = (await api('GET', `${C}/global/backendServices/sparse-bs`)).body;
      assert.equal(after.description, 'patched');
      assert.equal(after.timeoutSec, undefined);
      await create('backendServices', { name: 'classic-bs' });
      await create('urlMaps', { name: 'classic-map', defaultService: 'global/backendServices/classic-bs' });
      await create('targetHttpProxies', { name: 'classic-proxy', urlMap: 'global/urlMaps/classic-map' });
      const mismatch = await api('POST', `${C}/global/forwardingRules`, {
        name: 'classic-rule',
        portRange: '80',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        target: 'global/targetHttpProxies/classic-proxy',
      });
      assert.equal(mismatch.status, 400);
      assert.match(mismatch.body.error.message, /does not match the backend service load balancing scheme EXTERNAL\./);
    });

    it('selectable at start and by reset; seeds load sparse too', async () => {
      const sparse = await startEmulator({ seed: 'demo', sparse: true, dns: false });
      try {
        const s = await sparse.control.state();
        assert.equal(s.sparse, true);
        const bs = s.compute['demo-project'].backendServices.find((b: Json) => b.name === 'api-backend');
        assert.equal(bs.timeoutSec, undefined);
        assert.equal(bs.enableCDN, false, 'the demo seed names enableCDN');
        await sparse.control.reset(undefined, { sparse: false });
        assert.equal((await sparse.control.state()).sparse, false);
        await sparse.control.reset();
        assert.equal((await sparse.control.state()).sparse, true, 'reset returns to the mode the emulator started with');
      } finally {
        await sparse.close();
      }
    });
  });

  describe('faults', () => {
    afterEach(async () => {
      await emu.control.clearFaults();
    });

    it('reports a failure inside the DONE operation when asked (inOperation), and the write has no effect', async () => {
      await emu.control.addFault({
        method: 'POST',
        path: '/global/addresses$',
        count: 1,
        inOperation: true,
        status: 403,
        reason: 'quotaExceeded',
        message: "Quota 'STATIC_ADDRESSES' exceeded.  Limit: 0.0 globally.",
      });
      const r = await api('POST', `${C}/global/addresses`, { name: 'quota-ip' });
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'DONE');
      assert.deepEqual(r.body.error.errors, [
        { code: 'QUOTA_EXCEEDED', message: "Quota 'STATIC_ADDRESSES' exceeded.  Limit: 0.0 globally." },
      ]);
      assert.equal(r.body.httpErrorStatusCode, 403);
      assert.equal(r.body.httpErrorMessage, 'FORBIDDEN');
      assert.equal((await api('GET', `${C}/global/addresses/quota-ip`)).status, 404);
      assert.equal((await api('POST', `${C}/global/addresses`, { name: 'quota-ip' })).body.error, undefined, 'the fault was used up');
    });

    it('fails the next N matching requests with a status and reason, then recovers', async () => {
      await emu.control.addFault({
        method: 'GET',
        path: '/aggregated/',
        count: 2,
        status: 429,
        reason: 'rateLimitExceeded',
        message: 'Rate Limit Exceeded',
      });
      const path = `${C}/aggregated/forwardingRules`;
      const [a, b, c] = [await api('GET', path), await api('GET', path), await api('GET', path)];
      assert.deepEqual([a.status, b.status, c.status], [429, 429, 200]);
      assert.equal(a.body.error.errors[0].reason, 'rateLimitExceeded');
      assert.equal((await api('GET', `${C}/global/urlMaps`)).status, 200, 'other paths are untouched');
    });

    it('resets the connection when asked', async () => {
      await emu.control.addFault({ path: '/global/urlMaps$', count: 1, resetConnection: true });
      await assert.rejects(api('GET', `${C}/global/urlMaps`), /fetch failed/);
      assert.equal((await api('GET', `${C}/global/urlMaps`)).status, 200);
    });

    it('counts requests by route for benchmarks', async () => {
      await emu.control.resetRequests();
      await api('GET', `${C}/global/urlMaps`);
      await api('GET', `${C}/global/urlMaps/api-url-map`);
      await api('GET', 'v1/projects/demo-project/locations/-/services');
      const counts = await emu.control.requests();
      assert.equal(counts.total, 3);
      assert.deepEqual(counts.byRoute, {
        'GET /compute/v1/projects/{project}/global/urlMaps': 1,
        'GET /compute/v1/projects/{project}/global/urlMaps/{name}': 1,
        'GET /v1/projects/{project}/locations/-/services': 1,
      });
    });
  });

  describe('DNS server', () => {
    const resolver = () => {
      const r = new dnsPromises.Resolver({ timeout: 1000, tries: 1 });
      r.setServers([`127.0.0.1:${emu.dnsPort}`]);
      return r;
    };

    it('answers A (with TTL), CNAME chains and CAA from the store', async () => {
      const r = resolver();
      assert.deepEqual(await r.resolve4('shop.example.com', { ttl: true }), [{ address: '34.120.10.20', ttl: 300 }]);
      assert.deepEqual(await r.resolve4('www.example.com'), ['34.120.10.20']);
      assert.deepEqual(await r.resolveCname('www.example.com'), ['shop.example.com']);
      const caa = await r.resolveCaa('example.com');
      assert.deepEqual(caa.map((c) => c.issue).sort(), ['letsencrypt.org', 'pki.goog']);
      await emu.control.setDnsRecord({ name: 'v6.example.com', type: 'AAAA', values: ['2600:1901:0:1::'], ttl: 60 });
      assert.deepEqual(await r.resolve6('v6.example.com'), ['2600:1901:0:1::']);
    });

    it('answers NXDOMAIN for unknown names (ENOTFOUND) and NODATA for a missing type (ENODATA)', async () => {
      const r = resolver();
      await assert.rejects(r.resolve4('api.example.com'), { code: 'ENOTFOUND' });
      await assert.rejects(r.resolve6('shop.example.com'), { code: 'ENODATA' });
      await emu.control.removeDnsRecord('shop.example.com', 'A');
      await assert.rejects(r.resolve4('shop.example.com'), { code: 'ENOTFOUND' });
    });
  });

  describe('Cloud Run', () => {
    it('lists every region in one v1 call (ServiceList) and the locations', async () => {
      const r = await api('GET', 'v1/projects/demo-project/locations/-/services');
      assert.equal(r.body.kind, 'ServiceList');
      assert.equal(r.body.apiVersion, 'serving.knative.dev/v1');
      const byName = r.body.items
        .map(
          (s: Json) =>
            `${s.metadata.name}@${s.metadata.labels['cloud.googleapis.com/location']}:${s.metadata.annotations['run.googleapis.com/ingress']}`,
        )
        .sort();
      assert.deepEqual(byName, [
        'api@us-central1:all',
        'image-resizer@asia-northeast1:all',
        'my-global-app@us-central1:all',
        'orders-worker@asia-northeast1:internal',
        'reports@europe-west1:all',
        'storefront@europe-west1:internal-and-cloud-load-balancing',
        'storefront@us-central1:internal-and-cloud-load-balancing',
      ]);
      const storefront = r.body.items.find((s: Json) => s.metadata.name === 'storefront');
      assert.equal(storefront.status.conditions.find((c: Json) => c.type === 'Ready').status, 'True');
      assert.match(storefront.status.url, /^https:\/\/storefront-123456789012\.[a-z0-9-]+\.run\.app$/);
      assert.ok(storefront.status.latestReadyRevisionName);
      const reports = r.body.items.find((s: Json) => s.metadata.name === 'reports');
      assert.equal(reports.status.conditions[0].status, 'False');
      const locations = await api('GET', 'v1/projects/demo-project/locations');
      assert.ok(
        locations.body.locations.some(
          (l: Json) => l.locationId === 'asia-northeast1' && l.name === 'projects/demo-project/locations/asia-northeast1',
        ),
      );
    });

    it('v2 lists per region and rejects the "-" location', async () => {
      const r = await api('GET', 'v2/projects/demo-project/locations/europe-west1/services');
      assert.deepEqual(
        r.body.services.map((s: Json) => [s.name, s.ingress, s.terminalCondition.state]),
        [
          ['projects/demo-project/locations/europe-west1/services/reports', 'INGRESS_TRAFFIC_ALL', 'CONDITION_FAILED'],
          [
            'projects/demo-project/locations/europe-west1/services/storefront',
            'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
            'CONDITION_SUCCEEDED',
          ],
        ],
      );
      const all = await api('GET', 'v2/projects/demo-project/locations/-/services');
      assert.equal(all.status, 403);
      assert.equal(all.body.error.status, 'PERMISSION_DENIED');
      assert.match(all.body.error.message, /locations\/-/);
    });

    it('v2 PATCH of ingress returns an operation and shows in v1', async () => {
      const op = await api('PATCH', 'v2/projects/demo-project/locations/us-central1/services/api?updateMask=ingress', {
        ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      });
      assert.equal(op.status, 200);
      assert.match(op.body.name, /^projects\/demo-project\/locations\/us-central1\/operations\/[0-9a-f-]{36}$/);
      assert.equal(op.body.done, true);
      assert.equal(op.body.response['@type'], 'type.googleapis.com/google.cloud.run.v2.Service');
      const again = await api('GET', `v2/${op.body.name}`);
      assert.equal(again.body.done, true);
      const v1 = await api('GET', 'v1/projects/demo-project/locations/us-central1/services/api');
      assert.equal(v1.body.metadata.annotations['run.googleapis.com/ingress'], 'internal-and-cloud-load-balancing');
      assert.equal(v1.body.metadata.generation, 2);
    });

    it("as an HTTP proxy: routes absolute-form requests by the URL's host (region prefix included); refuses CONNECT", async () => {
      const viaProxy = (method: string, target: string, body?: unknown) =>
        new Promise<{ status: number; body: Json }>((resolve, reject) => {
          const text = body === undefined ? '' : JSON.stringify(body);
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port: emu.port,
              method,
              path: target,
              headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
            },
            (res) => {
              let data = '';
              res.on('data', (c) => (data += c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : undefined }));
            },
          );
          req.on('error', reject);
          req.end(text);
        });
      const regional = await viaProxy(
        'GET',
        'http://europe-west1-run.emulator.test/apis/serving.knative.dev/v1/namespaces/demo-project/services/storefront?alt=json',
      );
      assert.equal(regional.status, 200);
      assert.equal(regional.body.metadata.labels['cloud.googleapis.com/location'], 'europe-west1');
      const other = await viaProxy(
        'GET',
        'http://asia-northeast1-run.emulator.test/apis/serving.knative.dev/v1/namespaces/demo-project/services/storefront',
      );
      assert.equal(other.status, 404, 'storefront does not run in asia-northeast1');
      const global = await viaProxy('GET', 'http://run.emulator.test/v1/projects/demo-project/locations/-/services');
      assert.equal(global.body.items.length, 7);
      const compute = await viaProxy('GET', 'http://compute.emulator.test/compute/v1/projects/demo-project/global/urlMaps/api-url-map');
      assert.equal(
        compute.body.selfLink,
        'http://compute.emulator.test/compute/v1/projects/demo-project/global/urlMaps/api-url-map',
        'links on the host the caller used',
      );
      const connect = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: emu.port, method: 'CONNECT', path: 'run.googleapis.com:443' });
        req.on('connect', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(connect, 403);
      assert.equal((await emu.control.requests()).byRoute['CONNECT run.googleapis.com:443'], 1);
    });

    it('v1 creates and replaces a Knative Service as-is, and refuses duplicates', async () => {
      const svc = {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: 'new-svc', namespace: 'demo-project', annotations: { 'run.googleapis.com/ingress': 'internal' } },
        spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] } } },
      };
      const created = await api('POST', 'v1/projects/demo-project/locations/asia-northeast1/services', svc);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.metadata.labels['cloud.googleapis.com/location'], 'asia-northeast1');
      assert.equal((await api('POST', 'v1/projects/demo-project/locations/asia-northeast1/services', svc)).status, 409);
      const v2 = await api('GET', 'v2/projects/demo-project/locations/asia-northeast1/services/new-svc');
      assert.equal(v2.body.ingress, 'INGRESS_TRAFFIC_INTERNAL_ONLY');
      const badKind = await api('POST', 'v1/projects/demo-project/locations/asia-northeast1/services', { ...svc, kind: 'Deployment' });
      assert.equal(badKind.status, 400);
    });
  });
});

describe('emulator: operations over time', function () {
  let emu: Emulator;
  let api: ReturnType<typeof apiClient>;
  before(async () => {
    emu = await startEmulator({ operationLatencyMs: 400, dns: false });
    api = apiClient(emu.url);
  });
  after(async () => {
    await emu?.close();
  });

  it('goes PENDING → RUNNING → DONE; wait blocks until DONE; an unfinished resource cannot be referenced yet', async () => {
    const started = Date.now();
    const insert = await api('POST', `${C}/global/backendServices`, { name: 'slow-bs', loadBalancingScheme: 'EXTERNAL_MANAGED' });
    assert.equal(insert.body.status, 'PENDING');
    assert.equal(insert.body.progress, 0);
    assert.equal(insert.body.endTime, undefined);
    const early = await api('POST', `${C}/global/urlMaps`, { name: 'early-map', defaultService: 'global/backendServices/slow-bs' });
    assert.equal(early.status, 400);
    assert.equal(early.body.error.errors[0].reason, 'resourceNotReady');
    await sleep(150);
    assert.equal((await api('GET', `${C}/global/operations/${insert.body.name}`)).body.status, 'RUNNING');
    const waited = await api('POST', `${C}/global/operations/${insert.body.name}/wait`);
    assert.equal(waited.body.status, 'DONE');
    assert.ok(Date.now() - started >= 380, `waited ${Date.now() - started} ms`);
    assert.ok(waited.body.endTime && waited.body.startTime);
    const map = await api('POST', `${C}/global/urlMaps`, { name: 'early-map', defaultService: 'global/backendServices/slow-bs' });
    assert.equal(map.status, 200);
    const regional = await api('POST', `${C}/regions/us-east1/networkEndpointGroups`, {
      name: 'neg',
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 's' },
    });
    assert.equal(regional.body.region, `${emu.url}${C}/regions/us-east1`);
    const done = await api('POST', `${C}/regions/us-east1/operations/${regional.body.name}/wait`);
    assert.equal(done.body.status, 'DONE');
    const list = await api('GET', `${C}/regions/us-east1/operations`);
    assert.deepEqual(
      list.body.items.map((o: Json) => o.operationType),
      ['insert'],
    );
  });

  it('answers the same requestId with the same operation (idempotent retries)', async () => {
    const first = await api('POST', `${C}/global/addresses?requestId=8b1c1f4e-2a7d-4a43-9d7a-1f0c2d3e4f50`, { name: 'once' });
    const second = await api('POST', `${C}/global/addresses?requestId=8b1c1f4e-2a7d-4a43-9d7a-1f0c2d3e4f50`, { name: 'once' });
    assert.equal(second.status, 200);
    assert.equal(second.body.name, first.body.name);
  });
});

describe('emulator: managed certificate lifecycle', function () {
  let emu: Emulator;
  let api: ReturnType<typeof apiClient>;
  before(async () => {
    emu = await startEmulator({ certificates: { activationDelayMs: 300, failNotVisibleAfterMs: 1200 } });
    api = apiClient(emu.url);
  });
  after(async () => {
    await emu?.close();
  });
  const cert = async (name: string) => (await api('GET', `${C}/global/sslCertificates/${name}`)).body.managed;

  it('PROVISIONING → ACTIVE once DNS points at the 443 rule; a stray AAAA blocks; FAILED_NOT_VISIBLE after the timeout', async () => {
    const ip = await buildLoadBalancer(api, 'life', [
      ['good.example.test'],
      ['stray.example.test'],
      ['never.example.test'],
      ['caa.example.test'],
    ]);
    assert.deepEqual(await cert('life-cert-0'), {
      domains: ['good.example.test'],
      status: 'PROVISIONING',
      domainStatus: { 'good.example.test': 'PROVISIONING' },
    });

    await emu.control.setDnsRecord({ name: 'good.example.test', type: 'CNAME', values: ['edge.example.test'] });
    await emu.control.setDnsRecord({ name: 'edge.example.test', type: 'A', values: [ip] });
    await emu.control.setDnsRecord({ name: 'stray.example.test', type: 'A', values: [ip] });
    await emu.control.setDnsRecord({ name: 'stray.example.test', type: 'AAAA', values: ['2001:db8::1'] });
    await emu.control.setDnsRecord({ name: 'caa.example.test', type: 'A', values: [ip] });
    await emu.control.setDnsRecord({ name: 'caa.example.test', type: 'CAA', values: ['0 issue "digicert.com"'] });
    assert.equal((await cert('life-cert-0')).status, 'PROVISIONING', 'not before the activation delay');
    await sleep(350);
    const good = await cert('life-cert-0');
    assert.equal(good.status, 'ACTIVE');
    assert.deepEqual(good.domainStatus, { 'good.example.test': 'ACTIVE' });
    assert.equal((await cert('life-cert-1')).status, 'PROVISIONING', 'a stray AAAA record blocks provisioning');
    assert.equal((await cert('life-cert-3')).domainStatus['caa.example.test'], 'FAILED_CAA_FORBIDDEN');

    await emu.control.removeDnsRecord('stray.example.test', 'AAAA');
    await sleep(350);
    assert.equal((await cert('life-cert-1')).status, 'ACTIVE');
    const full = (await api('GET', `${C}/global/sslCertificates/life-cert-1`)).body;
    assert.deepEqual(full.subjectAlternativeNames, ['stray.example.test']);
    assert.ok(full.expireTime);

    await sleep(700);
    const never = await cert('life-cert-2');
    assert.equal(never.domainStatus['never.example.test'], 'FAILED_NOT_VISIBLE');
    assert.equal(never.status, 'PROVISIONING');
  });

  it('stays PROVISIONING while no 443 rule serves the proxy, even with DNS right', async () => {
    await api('POST', `${C}/global/sslCertificates`, { name: 'lonely', managed: { domains: ['lonely.example.test'] } });
    await emu.control.setDnsRecord({ name: 'lonely.example.test', type: 'A', values: ['34.117.0.1'] });
    await sleep(350);
    assert.equal((await cert('lonely')).status, 'PROVISIONING');
  });

  it('accepts a self-managed certificate and never returns its private key', async () => {
    const bad = await api('POST', `${C}/global/sslCertificates`, { name: 'self', certificate: 'not a pem', privateKey: 'k' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /could not be parsed/);
    const good = await api('POST', `${C}/global/sslCertificates`, {
      name: 'self',
      certificate: SELF_SIGNED_PEM,
      privateKey: 'placeholder-key',
    });
    assert.equal(good.status, 200, JSON.stringify(good.body));
    const read = (await api('GET', `${C}/global/sslCertificates/self`)).body;
    assert.equal(read.type, 'SELF_MANAGED');
    assert.deepEqual(read.subjectAlternativeNames, ['self.example.test']);
    assert.match(read.expireTime, /^2126-/);
    assert.equal(read.privateKey, undefined);
    assert.equal(read.managed, undefined);
  });
});

describe('emulator: fingerprints', () => {
  it("uses Google's URL-safe base64 alphabet, which gcloud sends back unchanged", () => {
    // gcloud decodes a fingerprint as bytes and re-encodes it URL-safe: "+" or "/" would never match.
    const issued = Array.from({ length: 5000 }, (_, i) => fingerprintOf({ name: `backend-${i}`, i }));
    assert.deepEqual(
      issued.filter((f) => !/^[A-Za-z0-9_-]{11}=$/.test(f)),
      [],
    );
    assert.ok(
      issued.some((f) => /[-_]/.test(f)),
      'the URL-safe characters do occur',
    );
  });
});
