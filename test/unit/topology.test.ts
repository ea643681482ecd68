import assert from 'node:assert/strict';
import { buildTopology } from '../../src/core/topology/build';
import { frontingOf, frontingLoadBalancers, loadBalancersUsing } from '../../src/core/topology/queries';
import { planLoadBalancerDeletion } from '../../src/core/topology/deletePlan';
import type {
  BackendServiceNode,
  LoadBalancer,
  NetworkEndpointGroupNode,
  TargetHttpProxyNode,
  TargetHttpsProxyNode,
  Topology,
  UrlMapNode,
} from '../../src/core/topology/model';
import {
  PROJECT,
  SEED_IP,
  backendBucket,
  backendService,
  emptyInventory,
  forwardingRule,
  globalAddress,
  httpProxy,
  httpsProxy,
  id,
  link,
  managedCertificate,
  runService,
  seedInventory,
  seedWithRedirect,
  selfManagedCertificate,
  serverlessNeg,
  urlMap,
} from './topology-fixtures';

function only(topology: Topology): LoadBalancer {
  assert.equal(
    topology.loadBalancers.length,
    1,
    `expected one load balancer, got ${topology.loadBalancers.map((lb) => lb.name).join(', ')}`,
  );
  return topology.loadBalancers[0];
}

function byName(topology: Topology, name: string): LoadBalancer {
  const lb = topology.loadBalancers.find((candidate) => candidate.name === name);
  assert.ok(lb, `no load balancer named ${name}; have ${topology.loadBalancers.map((l) => l.name).join(', ')}`);
  return lb;
}

function httpsTarget(lb: LoadBalancer, ruleIndex = 0): TargetHttpsProxyNode {
  const target = lb.rules[ruleIndex].target;
  assert.equal(target?.kind, 'targetHttpsProxy');
  return target as TargetHttpsProxyNode;
}

function names(nodes: readonly { name: string }[]): string[] {
  return nodes.map((node) => node.name);
}

function assertNoUnattached(topology: Topology): void {
  for (const [list, nodes] of Object.entries(topology.unattached)) assert.deepEqual(names(nodes), [], `unattached ${list}`);
}

describe('topology builder', () => {
  describe('the seed load balancer', () => {
    const topology = buildTopology(seedInventory());
    const lb = only(topology);

    it('is one load balancer on the reserved IP, named after its URL map', () => {
      assert.equal(lb.id, `projects/${PROJECT}/global/loadBalancers/${SEED_IP}`);
      assert.equal(lb.name, 'cloudrun-url-map');
      assert.equal(lb.ip, SEED_IP);
      assert.equal(lb.ipVersion, 'IPV4');
      assert.equal(lb.address?.name, 'global-ip');
      assert.equal(lb.address?.id, id.global('addresses', 'global-ip'));
      assert.equal(lb.scheme, 'EXTERNAL_MANAGED');
      assert.equal(lb.https, true);
      assert.equal(lb.httpsRedirect, false);
      assert.deepEqual(lb.domains, ['example.com']);
    });

    it('walks rule → HTTPS proxy → certificate and URL map → backend service → NEG → Cloud Run service', () => {
      assert.equal(lb.rules.length, 1);
      const rule = lb.rules[0];
      assert.equal(rule.id, id.global('forwardingRules', 'https-rule'));
      assert.equal(rule.ports, '443');
      assert.equal(rule.portRange, '443-443');
      assert.equal(rule.scheme, 'EXTERNAL_MANAGED');
      assert.equal(rule.targetKind, 'targetHttpsProxy');
      assert.equal(rule.address?.name, 'global-ip');

      const proxy = httpsTarget(lb);
      assert.equal(proxy.id, id.global('targetHttpsProxies', 'https-proxy'));
      assert.equal(proxy.certificates.length, 1);
      const cert = proxy.certificates[0];
      assert.equal(cert.kind, 'sslCertificate');
      if (cert.kind !== 'sslCertificate') return;
      assert.equal(cert.managed, true);
      assert.equal(cert.status, 'PROVISIONING');
      assert.deepEqual(cert.domains, ['example.com']);
      assert.deepEqual(cert.domainStatus, { 'example.com': 'FAILED_NOT_VISIBLE' });

      const map = proxy.urlMap as UrlMapNode;
      assert.equal(map.kind, 'urlMap');
      assert.equal(map.redirectOnly, false);
      assert.equal(map.defaultRoute.redirect, undefined);
      assert.deepEqual(
        map.defaultRoute.backends.map((b) => [b.role, b.backend.id]),
        [['service', id.global('backendServices', 'cloudrun-backend')]],
      );

      const backend = map.backends[0] as BackendServiceNode;
      assert.equal(backend.kind, 'backendService');
      assert.equal(backend.scheme, 'EXTERNAL_MANAGED');
      assert.equal(backend.protocol, 'HTTPS');
      assert.equal(backend.cdn, false);
      const neg = backend.groups[0] as NetworkEndpointGroupNode;
      assert.equal(neg.kind, 'networkEndpointGroup');
      assert.equal(neg.region, 'us-central1');
      assert.equal(neg.endpointType, 'SERVERLESS');
      assert.equal(neg.cloudRun?.service, 'hello');
      assert.equal(neg.runService?.kind, 'runService');
      assert.equal(neg.runService?.id, `projects/${PROJECT}/locations/us-central1/services/hello`);
    });

    it('lists what it uses, flat, and the Cloud Run services it serves', () => {
      assert.deepEqual(names(lb.certificates), ['my-ssl-cert']);
      assert.deepEqual(names(lb.urlMaps), ['cloudrun-url-map']);
      assert.deepEqual(names(lb.backendServices), ['cloudrun-backend']);
      assert.deepEqual(names(lb.networkEndpointGroups), ['cloudrun-neg']);
      assert.deepEqual(lb.backendBuckets, []);
      assert.deepEqual(lb.missing, []);
      assert.deepEqual(lb.unmodelled, []);
      assert.equal(lb.resourceIds.length, 7);
      assert.deepEqual(
        lb.services.map((s) => ({ name: s.name, regions: s.regions.map((r) => [r.region, r.service?.name, r.backendServiceId]) })),
        [{ name: 'hello', regions: [['us-central1', 'hello', id.global('backendServices', 'cloudrun-backend')]] }],
      );
      assertNoUnattached(topology);
    });

    it('indexes who uses what and who references what', () => {
      assert.deepEqual(topology.usedBy.get(id.global('backendServices', 'cloudrun-backend')), [lb.id]);
      assert.deepEqual(topology.referencedBy.get(id.global('backendServices', 'cloudrun-backend')), [
        id.global('urlMaps', 'cloudrun-url-map'),
      ]);
      assert.deepEqual(topology.referencedBy.get(id.global('addresses', 'global-ip')), [id.global('forwardingRules', 'https-rule')]);
      assert.equal(topology.nodes.size, 7);
      assert.doesNotThrow(() => JSON.stringify(topology.loadBalancers));
    });

    it('plans its deletion in dependency order, address last', () => {
      const plan = planLoadBalancerDeletion(topology, lb.id);
      assert.ok(plan);
      assert.deepEqual(
        plan.steps.map((s) => [s.phase, s.kind, s.name]),
        [
          [0, 'forwardingRule', 'https-rule'],
          [1, 'targetHttpsProxy', 'https-proxy'],
          [2, 'urlMap', 'cloudrun-url-map'],
          [2, 'sslCertificate', 'my-ssl-cert'],
          [3, 'backendService', 'cloudrun-backend'],
          [4, 'networkEndpointGroup', 'cloudrun-neg'],
          [5, 'address', 'global-ip'],
        ],
      );
      const negStep = plan.steps.find((s) => s.kind === 'networkEndpointGroup');
      assert.equal(negStep?.region, 'us-central1');
      assert.equal(negStep?.selfLink, link.regional('us-central1', 'networkEndpointGroups', 'cloudrun-neg'));
      assert.deepEqual(plan.kept, []);
      assert.deepEqual(plan.alreadyGone, []);
      assert.equal(planLoadBalancerDeletion(topology, 'projects/x/global/loadBalancers/1.1.1.1'), undefined);
    });
  });

  describe('an HTTPS rule and its port-80 redirect on one IP', () => {
    const topology = buildTopology(seedWithRedirect());
    const lb = only(topology);

    it('form one load balancer that redirects HTTP to HTTPS', () => {
      assert.equal(lb.name, 'cloudrun-url-map');
      assert.deepEqual(
        lb.rules.map((r) => [r.name, r.ports, r.targetKind]),
        [
          ['https-rule', '443', 'targetHttpsProxy'],
          ['http-redirect-rule', '80', 'targetHttpProxy'],
        ],
      );
      assert.equal(lb.https, true);
      assert.equal(lb.httpsRedirect, true);
      const http = lb.rules[1].target as TargetHttpProxyNode;
      assert.equal(http.redirectOnly, true);
      assert.equal(http.httpsRedirect, true);
      const redirectMap = http.urlMap as UrlMapNode;
      assert.equal(redirectMap.redirectOnly, true);
      assert.deepEqual(redirectMap.defaultRoute.redirect, {
        httpsRedirect: true,
        hostRedirect: undefined,
        pathRedirect: undefined,
        prefixRedirect: undefined,
        responseCode: 'MOVED_PERMANENTLY_DEFAULT',
      });
      assert.deepEqual(names(lb.urlMaps), ['cloudrun-url-map', 'cloudrun-url-map-redirect']);
      assert.deepEqual(lb.domains, ['example.com']);
      assertNoUnattached(topology);
    });

    it('deletes both rules, both proxies and both URL maps', () => {
      const plan = planLoadBalancerDeletion(topology, lb.id);
      assert.deepEqual(
        plan?.steps.map((s) => s.name),
        [
          'http-redirect-rule',
          'https-rule',
          'http-redirect-proxy',
          'https-proxy',
          'cloudrun-url-map',
          'cloudrun-url-map-redirect',
          'my-ssl-cert',
          'cloudrun-backend',
          'cloudrun-neg',
          'global-ip',
        ],
      );
    });
  });

  describe('a service in two regions', () => {
    const inventory = seedInventory();
    inventory.services.push(runService('hello', 'europe-west1'));
    inventory.networkEndpointGroups.push(serverlessNeg('cloudrun-neg-eu', 'europe-west1', 'hello'));
    inventory.backendServices[0].backends!.push({ group: link.regional('europe-west1', 'networkEndpointGroups', 'cloudrun-neg-eu') });
    const topology = buildTopology(inventory);
    const lb = only(topology);

    it('is served by one backend service with a NEG per region', () => {
      assert.deepEqual(names(lb.networkEndpointGroups), ['cloudrun-neg', 'cloudrun-neg-eu']);
      assert.deepEqual(
        lb.services.map((s) => [s.name, s.regions.map((r) => r.region)]),
        [['hello', ['europe-west1', 'us-central1']]],
      );
      assert.ok(lb.services[0].regions.every((r) => r.service !== undefined));
    });

    it('reports, from either region, every region the load balancer serves it in', () => {
      for (const region of ['us-central1', 'europe-west1']) {
        const fronting = frontingOf(topology, region, 'hello');
        assert.equal(fronting.length, 1);
        assert.equal(fronting[0].loadBalancerId, lb.id);
        assert.equal(fronting[0].loadBalancerName, 'cloudrun-url-map');
        assert.deepEqual(fronting[0].regions, ['europe-west1', 'us-central1']);
        assert.equal(fronting[0].via.length, 1);
        assert.equal(fronting[0].via[0].backendServiceId, id.global('backendServices', 'cloudrun-backend'));
      }
      assert.equal(
        frontingOf(topology, 'europe-west1', 'hello')[0].via[0].networkEndpointGroupId,
        id.regional('europe-west1', 'networkEndpointGroups', 'cloudrun-neg-eu'),
      );
    });
  });

  describe('a URL map with host and path rules', () => {
    const inventory = seedInventory();
    inventory.services.push(runService('api', 'us-central1'));
    inventory.networkEndpointGroups.push(serverlessNeg('api-neg', 'us-central1', 'api'));
    inventory.backendServices.push(
      backendService('api-backend', [link.regional('us-central1', 'networkEndpointGroups', 'api-neg')], {
        enableCDN: true,
        securityPolicy: link.global('securityPolicies', 'armor'),
      }),
    );
    inventory.backendServices.push(backendService('canary-backend', []));
    inventory.backendBuckets.push(backendBucket('static-bucket', 'demo-static', true));
    inventory.urlMaps[0] = urlMap('cloudrun-url-map', link.global('backendServices', 'cloudrun-backend'), {
      hostRules: [
        { hosts: ['api.example.com'], pathMatcher: 'api' },
        { hosts: ['*'], pathMatcher: 'everything' },
        { hosts: ['old.example.com'], pathMatcher: 'gone' },
      ],
      pathMatchers: [
        {
          name: 'api',
          defaultService: link.global('backendServices', 'api-backend'),
          pathRules: [
            { paths: ['/static/*'], service: link.global('backendBuckets', 'static-bucket') },
            {
              paths: ['/v2/*'],
              routeAction: {
                weightedBackendServices: [
                  { backendService: link.global('backendServices', 'api-backend'), weight: 90 },
                  { backendService: link.global('backendServices', 'canary-backend'), weight: 10 },
                ],
              },
            },
          ],
        },
        {
          name: 'everything',
          defaultService: link.global('backendServices', 'cloudrun-backend'),
          routeRules: [{ priority: 1, urlRedirect: { hostRedirect: 'example.com', httpsRedirect: true } }],
        },
      ],
    });
    const topology = buildTopology(inventory);
    const lb = only(topology);
    const map = lb.urlMaps[0];

    it('lists every backend any route reaches, buckets included', () => {
      assert.deepEqual(names(map.backends), ['cloudrun-backend', 'api-backend', 'static-bucket', 'canary-backend']);
      assert.deepEqual(names(lb.backendServices), ['cloudrun-backend', 'api-backend', 'canary-backend']);
      assert.deepEqual(names(lb.backendBuckets), ['static-bucket']);
      assert.equal(lb.backendBuckets[0].bucketName, 'demo-static');
      assert.equal(lb.backendBuckets[0].cdn, true);
      const api = lb.backendServices[1];
      assert.equal(api.cdn, true);
      assert.equal(api.securityPolicy, link.global('securityPolicies', 'armor'));
      assert.deepEqual(
        lb.services.map((s) => s.name),
        ['api', 'hello'],
      );
    });

    it('keeps host rules, path rules, weights and route-rule redirects as they are', () => {
      assert.deepEqual(
        map.hostRules.map((r) => [r.hosts, r.pathMatcherName, r.pathMatcher?.name]),
        [
          [['api.example.com'], 'api', 'api'],
          [['*'], 'everything', 'everything'],
          [['old.example.com'], 'gone', undefined],
        ],
      );
      const api = map.pathMatchers[0];
      assert.deepEqual(names(api.defaultRoute.backends.map((b) => b.backend)), ['api-backend']);
      assert.deepEqual(api.pathRules[0].paths, ['/static/*']);
      assert.equal(api.pathRules[0].route.backends[0].backend.kind, 'backendBucket');
      assert.deepEqual(
        api.pathRules[1].route.backends.map((b) => [b.role, b.backend.name, b.weight]),
        [
          ['weighted', 'api-backend', 90],
          ['weighted', 'canary-backend', 10],
        ],
      );
      const redirect = map.pathMatchers[1].routeRules[0];
      assert.equal(redirect.priority, 1);
      assert.equal(redirect.route.redirect?.hostRedirect, 'example.com');
      assert.deepEqual(redirect.route.backends, []);
    });

    it('takes host names (not *) into the domains', () => {
      assert.deepEqual(lb.domains, ['api.example.com', 'example.com', 'old.example.com']);
    });
  });

  describe('a backend bucket as the default', () => {
    const inventory = emptyInventory();
    inventory.backendBuckets.push(backendBucket('site-bucket', 'demo-site'));
    inventory.urlMaps.push(urlMap('site-map', link.global('backendBuckets', 'site-bucket')));
    inventory.sslCertificates.push(selfManagedCertificate('site-cert', ['www.example.org'], '2027-01-01T00:00:00.000-08:00'));
    inventory.targetHttpsProxies.push(
      httpsProxy('site-proxy', link.global('urlMaps', 'site-map'), [link.global('sslCertificates', 'site-cert')]),
    );
    inventory.forwardingRules.push(forwardingRule('site-rule', '34.1.1.1', link.global('targetHttpsProxies', 'site-proxy'), '443-443'));
    const lb = only(buildTopology(inventory));

    it('routes to the bucket and serves no Cloud Run service', () => {
      assert.equal(lb.urlMaps[0].defaultRoute.backends[0].backend.id, id.global('backendBuckets', 'site-bucket'));
      assert.deepEqual(names(lb.backendBuckets), ['site-bucket']);
      assert.deepEqual(lb.backendServices, []);
      assert.deepEqual(lb.services, []);
      assert.equal(lb.address, undefined);
    });

    it('shows a self-managed certificate with its SANs and expiry', () => {
      const cert = lb.certificates[0];
      assert.equal(cert.managed, false);
      assert.equal(cert.status, undefined);
      assert.deepEqual(cert.domains, ['www.example.org']);
      assert.equal(cert.expireTime, '2027-01-01T00:00:00.000-08:00');
      assert.deepEqual(lb.domains, ['www.example.org']);
    });
  });

  describe('a classic EXTERNAL load balancer', () => {
    const inventory = seedInventory();
    delete inventory.forwardingRules[0].loadBalancingScheme; // Google's default is EXTERNAL
    inventory.backendServices[0].loadBalancingScheme = 'EXTERNAL';
    const lb = only(buildTopology(inventory));

    it('reports the classic scheme on the load balancer, its rule and its backend service', () => {
      assert.equal(lb.scheme, 'EXTERNAL');
      assert.equal(lb.rules[0].scheme, 'EXTERNAL');
      assert.equal(lb.backendServices[0].scheme, 'EXTERNAL');
      assert.equal(lb.https, true);
    });
  });

  describe('an HTTP-only load balancer', () => {
    const inventory = emptyInventory();
    inventory.services.push(runService('plain', 'asia-east1'));
    inventory.networkEndpointGroups.push(serverlessNeg('plain-neg', 'asia-east1', 'plain'));
    inventory.backendServices.push(
      backendService('plain-backend', [link.regional('asia-east1', 'networkEndpointGroups', 'plain-neg')], { protocol: 'HTTP' }),
    );
    inventory.urlMaps.push(urlMap('plain-map', link.global('backendServices', 'plain-backend')));
    inventory.targetHttpProxies.push(httpProxy('plain-proxy', link.global('urlMaps', 'plain-map')));
    inventory.forwardingRules.push(forwardingRule('plain-rule', '34.2.2.2', link.global('targetHttpProxies', 'plain-proxy'), '80-80'));
    const topology = buildTopology(inventory);
    const lb = only(topology);

    it('is neither HTTPS nor a redirect, and still reaches its service', () => {
      assert.equal(lb.name, 'plain-map');
      assert.equal(lb.https, false);
      assert.equal(lb.httpsRedirect, false);
      assert.deepEqual(lb.certificates, []);
      assert.deepEqual(lb.domains, []);
      const proxy = lb.rules[0].target as TargetHttpProxyNode;
      assert.equal(proxy.redirectOnly, false);
      assert.deepEqual(
        lb.services.map((s) => [s.name, s.regions.map((r) => r.region)]),
        [['plain', ['asia-east1']]],
      );
      assert.deepEqual(names(frontingLoadBalancers(topology, { name: 'plain', region: 'asia-east1' }).map((f) => f.loadBalancer)), [
        'plain-map',
      ]);
    });
  });

  describe('an IPv6 rule on the same proxy as an IPv4 rule', () => {
    const ipv6 = '2600:1901:0:1234::';
    const inventory = seedInventory();
    inventory.addresses.push(globalAddress('global-ipv6', ipv6, { prefixLength: 64 }));
    inventory.forwardingRules.push(
      forwardingRule('https-rule-v6', `${ipv6}`, link.global('targetHttpsProxies', 'https-proxy'), '443-443', { ipVersion: 'IPV6' }),
    );
    const topology = buildTopology(inventory);

    it('is a load balancer of its own, told apart by its IP', () => {
      assert.equal(topology.loadBalancers.length, 2);
      const v6 = topology.loadBalancers.find((lb) => lb.ipVersion === 'IPV6');
      const v4 = topology.loadBalancers.find((lb) => lb.ipVersion === 'IPV4');
      assert.ok(v6 && v4);
      assert.equal(v6.ip, ipv6);
      assert.equal(v6.id, `projects/${PROJECT}/global/loadBalancers/${ipv6}`);
      assert.equal(v6.address?.name, 'global-ipv6');
      assert.equal(v6.name, `cloudrun-url-map (${ipv6})`);
      assert.equal(v4.name, `cloudrun-url-map (${SEED_IP})`);
      assert.equal(httpsTarget(v6), httpsTarget(v4), 'one proxy node shared by both');
      assert.deepEqual(names(loadBalancersUsing(topology, id.global('targetHttpsProxies', 'https-proxy'))).length, 2);
    });

    it('deletes only its rule and address, keeping the shared proxy and what hangs below it', () => {
      const v6 = topology.loadBalancers.find((lb) => lb.ipVersion === 'IPV6')!;
      const v4 = topology.loadBalancers.find((lb) => lb.ipVersion === 'IPV4')!;
      const plan = planLoadBalancerDeletion(topology, v6.id)!;
      assert.deepEqual(
        plan.steps.map((s) => s.name),
        ['https-rule-v6', 'global-ipv6'],
      );
      assert.deepEqual(
        plan.kept.map((k) => k.name),
        ['https-proxy', 'cloudrun-url-map', 'my-ssl-cert', 'cloudrun-backend', 'cloudrun-neg'],
      );
      const proxy = plan.kept[0];
      assert.equal(proxy.reason, `target HTTPS proxy https-proxy is also used by load balancer ${v4.name}`);
      assert.deepEqual(proxy.usedBy, [v4.id]);
      assert.equal(plan.kept[1].reason, `URL map cloudrun-url-map is also used by load balancer ${v4.name}`);
    });
  });

  describe('a certificate map on the proxy', () => {
    const inventory = seedInventory();
    const mapRef = `//certificatemanager.googleapis.com/projects/${PROJECT}/locations/global/certificateMaps/site-map`;
    inventory.targetHttpsProxies[0] = httpsProxy('https-proxy', link.global('urlMaps', 'cloudrun-url-map'), [], { certificateMap: mapRef });
    inventory.sslCertificates = [];
    const topology = buildTopology(inventory);
    const lb = only(topology);

    it('is shown as a certificate map, not as a missing certificate', () => {
      const proxy = httpsTarget(lb);
      assert.deepEqual(proxy.certificates, []);
      assert.deepEqual(proxy.certificateMap, {
        kind: 'unmodelled',
        id: `projects/${PROJECT}/locations/global/certificateMaps/site-map`,
        collection: 'certificateMaps',
        ref: mapRef,
        name: 'site-map',
      });
      assert.deepEqual(
        lb.unmodelled.map((n) => n.name),
        ['site-map'],
      );
      assert.deepEqual(lb.missing, []);
      assert.equal(lb.https, true);
    });

    it('is left to Certificate Manager by the delete plan', () => {
      const plan = planLoadBalancerDeletion(topology, lb.id)!;
      assert.deepEqual(
        plan.kept.map((k) => [k.kind, k.name]),
        [['certificateMaps', 'site-map']],
      );
      assert.match(plan.kept[0].reason, /belongs to Certificate Manager/);
      assert.ok(plan.steps.some((s) => s.name === 'https-proxy'));
    });
  });

  describe('a backend service shared by two load balancers', () => {
    const inventory = seedInventory();
    inventory.urlMaps.push(urlMap('second-map', link.global('backendServices', 'cloudrun-backend')));
    inventory.targetHttpProxies.push(httpProxy('second-proxy', link.global('urlMaps', 'second-map')));
    inventory.forwardingRules.push(forwardingRule('second-rule', '34.3.3.3', link.global('targetHttpProxies', 'second-proxy'), '80-80'));
    const topology = buildTopology(inventory);
    const seed = byName(topology, 'cloudrun-url-map');
    const second = byName(topology, 'second-map');

    it('appears under both, as one shared node', () => {
      assert.equal(seed.backendServices[0], second.backendServices[0]);
      assert.deepEqual(topology.usedBy.get(id.global('backendServices', 'cloudrun-backend')), [seed.id, second.id]);
      assert.deepEqual(names(frontingLoadBalancers(topology, { name: 'hello', region: 'us-central1' }).map((f) => f.loadBalancer)), [
        'cloudrun-url-map',
        'second-map',
      ]);
      assert.deepEqual(
        frontingOf(topology, 'us-central1', 'hello').map((f) => f.loadBalancerName),
        ['cloudrun-url-map', 'second-map'],
      );
    });

    it('is kept, with its NEG, when either load balancer is deleted', () => {
      const plan = planLoadBalancerDeletion(topology, seed.id)!;
      assert.deepEqual(
        plan.steps.map((s) => s.name),
        ['https-rule', 'https-proxy', 'cloudrun-url-map', 'my-ssl-cert', 'global-ip'],
      );
      assert.deepEqual(
        plan.kept.map((k) => [k.name, k.reason]),
        [
          ['cloudrun-backend', 'backend service cloudrun-backend is also used by load balancer second-map'],
          ['cloudrun-neg', 'network endpoint group cloudrun-neg is also used by load balancer second-map'],
        ],
      );
      assert.deepEqual(plan.kept[0].usedBy, [second.id]);

      const other = planLoadBalancerDeletion(topology, second.id)!;
      assert.deepEqual(
        other.steps.map((s) => s.name),
        ['second-rule', 'second-proxy', 'second-map'],
      );
      assert.deepEqual(
        other.kept.map((k) => k.name),
        ['cloudrun-backend', 'cloudrun-neg'],
      );
    });
  });

  describe('dangling references', () => {
    const inventory = emptyInventory();
    inventory.services.push(runService('hello', 'us-central1'));
    // rule → proxy that is gone
    inventory.forwardingRules.push(forwardingRule('orphan-rule', '34.4.4.4', link.global('targetHttpsProxies', 'gone-proxy'), '443-443'));
    // rule → proxy → (gone cert, gone URL map)
    inventory.targetHttpsProxies.push(
      httpsProxy('half-proxy', link.global('urlMaps', 'gone-map'), [link.global('sslCertificates', 'gone-cert')]),
    );
    inventory.forwardingRules.push(forwardingRule('half-rule', '34.5.5.5', link.global('targetHttpsProxies', 'half-proxy'), '443-443'));
    // rule → proxy → URL map → (gone backend service, gone bucket) and a backend service → gone NEG
    inventory.backendServices.push(backendService('thin-backend', [link.regional('us-central1', 'networkEndpointGroups', 'gone-neg')]));
    inventory.urlMaps.push(
      urlMap('thin-map', link.global('backendServices', 'gone-backend'), {
        hostRules: [{ hosts: ['a.example.com'], pathMatcher: 'm' }],
        pathMatchers: [
          {
            name: 'm',
            defaultService: link.global('backendServices', 'thin-backend'),
            pathRules: [{ paths: ['/s/*'], service: link.global('backendBuckets', 'gone-bucket') }],
          },
        ],
      }),
    );
    inventory.targetHttpProxies.push(httpProxy('thin-proxy', link.global('urlMaps', 'thin-map')));
    inventory.forwardingRules.push(forwardingRule('thin-rule', '34.6.6.6', link.global('targetHttpProxies', 'thin-proxy'), '80-80'));
    const topology = buildTopology(inventory);

    it('shows a rule whose proxy is gone as a load balancer with a missing target', () => {
      const lb = byName(topology, 'orphan-rule');
      assert.deepEqual(lb.rules[0].target, {
        kind: 'missing',
        id: id.global('targetHttpsProxies', 'gone-proxy'),
        expected: 'targetHttpsProxy',
        ref: link.global('targetHttpsProxies', 'gone-proxy'),
        name: 'gone-proxy',
      });
      assert.equal(lb.rules[0].targetKind, 'targetHttpsProxy');
      assert.equal(lb.https, true);
      assert.deepEqual(
        lb.missing.map((m) => m.name),
        ['gone-proxy'],
      );
    });

    it('shows a proxy whose certificate and URL map are gone', () => {
      const lb = byName(topology, 'half-rule');
      const proxy = httpsTarget(lb);
      assert.deepEqual(
        proxy.certificates.map((c) => [c.kind, c.name]),
        [['missing', 'gone-cert']],
      );
      assert.equal(proxy.urlMap?.kind, 'missing');
      assert.deepEqual(
        lb.missing.map((m) => [m.expected, m.name]),
        [
          ['sslCertificate', 'gone-cert'],
          ['urlMap', 'gone-map'],
        ],
      );
      const plan = planLoadBalancerDeletion(topology, lb.id)!;
      assert.deepEqual(
        plan.steps.map((s) => s.name),
        ['half-rule', 'half-proxy'],
      );
      assert.deepEqual(
        plan.alreadyGone.map((m) => m.name),
        ['gone-cert', 'gone-map'],
      );
    });

    it('shows gone backend services, buckets and NEGs below a URL map', () => {
      const lb = byName(topology, 'thin-map');
      const map = lb.urlMaps[0];
      assert.deepEqual(
        map.backends.map((b) => [b.kind, b.name]),
        [
          ['missing', 'gone-backend'],
          ['backendService', 'thin-backend'],
          ['missing', 'gone-bucket'],
        ],
      );
      assert.deepEqual(
        map.backends.filter((b) => b.kind === 'missing').map((b) => b.kind === 'missing' && b.expected),
        ['backendService', 'backendBucket'],
      );
      const thin = lb.backendServices[0];
      assert.deepEqual(
        thin.groups.map((g) => [g.kind, g.id]),
        [['missing', id.regional('us-central1', 'networkEndpointGroups', 'gone-neg')]],
      );
      assert.deepEqual(
        lb.missing.map((m) => m.name),
        ['gone-backend', 'gone-neg', 'gone-bucket'],
      );
      assert.deepEqual(lb.services, []);
    });
  });

  describe('a NEG naming a service that does not exist in its region', () => {
    const inventory = seedInventory();
    inventory.services.push(runService('hello', 'asia-east1')); // same name, other region
    inventory.networkEndpointGroups.push(serverlessNeg('cloudrun-neg-eu', 'europe-west1', 'hello'));
    inventory.backendServices[0].backends!.push({ group: link.regional('europe-west1', 'networkEndpointGroups', 'cloudrun-neg-eu') });
    const topology = buildTopology(inventory);
    const lb = only(topology);

    it('marks that service missing, in that region only', () => {
      const eu = lb.networkEndpointGroups.find((n) => n.region === 'europe-west1')!;
      assert.deepEqual(eu.runService, {
        kind: 'missing',
        id: `projects/${PROJECT}/locations/europe-west1/services/hello`,
        expected: 'runService',
        ref: `projects/${PROJECT}/locations/europe-west1/services/hello`,
        name: 'hello',
      });
      assert.deepEqual(
        lb.services[0].regions.map((r) => [r.region, r.service?.region]),
        [
          ['europe-west1', undefined],
          ['us-central1', 'us-central1'],
        ],
      );
      assert.deepEqual(
        lb.missing.map((m) => m.expected),
        ['runService'],
      );
      assert.deepEqual(frontingOf(topology, 'us-central1', 'hello')[0].regions, ['us-central1']);
      // Its NEG for hello in europe-west1 leads nowhere: a hello in any region hears of it.
      assert.deepEqual(names(frontingLoadBalancers(topology, { name: 'hello', region: 'asia-east1' }).map((f) => f.loadBalancer)), [
        lb.name,
      ]);
    });

    it('is not something the delete plan reports as gone', () => {
      assert.deepEqual(planLoadBalancerDeletion(topology, lb.id)!.alreadyGone, []);
    });
  });

  describe('the reverse index', () => {
    const inventory = seedInventory();
    inventory.services.push(runService('lonely', 'us-central1'), runService('hello', 'us-east1'));
    const topology = buildTopology(inventory);

    it('finds the load balancers in front of a service by region and name, and none for the others', () => {
      assert.deepEqual(names(frontingLoadBalancers(topology, { name: 'hello', region: 'us-central1' }).map((f) => f.loadBalancer)), [
        'cloudrun-url-map',
      ]);
      assert.deepEqual(
        frontingLoadBalancers(topology, { name: 'lonely', region: 'us-central1' }).map((f) => f.loadBalancer),
        [],
      );
      assert.deepEqual(
        frontingLoadBalancers(topology, { name: 'hello', region: 'us-east1' }).map((f) => f.loadBalancer),
        [],
      );
      assert.deepEqual(
        frontingLoadBalancers(topology, { name: 'nope', region: 'us-central1' }).map((f) => f.loadBalancer),
        [],
      );
      assert.deepEqual([...topology.fronting.keys()], [`projects/${PROJECT}/locations/us-central1/services/hello`]);
    });
  });

  describe('unattached resources', () => {
    const inventory = seedInventory();
    inventory.networkEndpointGroups.push(serverlessNeg('stray-neg', 'us-central1', 'hello'));
    inventory.networkEndpointGroups.push(serverlessNeg('used-by-stray-neg', 'us-central1', 'hello'));
    inventory.backendServices.push(
      backendService('stray-backend', [link.regional('us-central1', 'networkEndpointGroups', 'used-by-stray-neg')]),
    );
    inventory.backendBuckets.push(backendBucket('stray-bucket', 'b'));
    inventory.urlMaps.push(urlMap('stray-map', link.global('backendServices', 'cloudrun-backend')));
    inventory.targetHttpsProxies.push(
      httpsProxy('stray-proxy', link.global('urlMaps', 'stray-map'), [link.global('sslCertificates', 'proxied-cert')]),
    );
    inventory.sslCertificates.push(
      managedCertificate('proxied-cert', ['p.example.com']),
      managedCertificate('stray-cert', ['s.example.com']),
    );
    inventory.addresses.push(globalAddress('stray-ip', '34.9.9.9'));
    inventory.addresses.push(
      globalAddress('vm-ip', '34.8.8.8', {
        status: 'IN_USE',
        users: ['https://www.googleapis.com/compute/v1/projects/demo-project/zones/us-central1-a/instances/vm'],
      }),
    );
    const topology = buildTopology(inventory);

    it('lists every resource no load balancer uses, and nothing else', () => {
      const { unattached } = topology;
      assert.deepEqual(names(unattached.networkEndpointGroups), ['stray-neg', 'used-by-stray-neg']);
      assert.deepEqual(names(unattached.backendServices), ['stray-backend']);
      assert.deepEqual(names(unattached.backendBuckets), ['stray-bucket']);
      assert.deepEqual(names(unattached.urlMaps), ['stray-map']);
      assert.deepEqual(names(unattached.targetProxies), ['stray-proxy']);
      assert.deepEqual(names(unattached.sslCertificates), ['proxied-cert', 'stray-cert']);
      assert.deepEqual(names(unattached.addresses), ['stray-ip']);
    });

    it('tells which unattached resources still reference each other', () => {
      assert.deepEqual(topology.referencedBy.get(id.regional('us-central1', 'networkEndpointGroups', 'used-by-stray-neg')), [
        id.global('backendServices', 'stray-backend'),
      ]);
      assert.equal(topology.referencedBy.get(id.regional('us-central1', 'networkEndpointGroups', 'stray-neg')), undefined);
      assert.deepEqual(topology.referencedBy.get(id.global('sslCertificates', 'proxied-cert')), [
        id.global('targetHttpsProxies', 'stray-proxy'),
      ]);
    });

    it('keeps, in a delete plan, a backend service an unattached URL map still references', () => {
      const plan = planLoadBalancerDeletion(topology, only(topology).id)!;
      assert.deepEqual(
        plan.kept.map((k) => [k.name, k.reason]),
        [
          ['cloudrun-backend', 'backend service cloudrun-backend is also used by URL map stray-map, which no load balancer uses'],
          ['cloudrun-neg', 'network endpoint group cloudrun-neg is still used by backend service cloudrun-backend, which is kept'],
        ],
      );
      assert.deepEqual(plan.kept[0].usedBy, []);
    });
  });

  describe('references in mixed formats', () => {
    const emulator = `http://127.0.0.1:8089/compute/v1/projects/${PROJECT}`;
    const inventory = emptyInventory();
    inventory.services.push(runService('hello', 'us-central1'));
    inventory.networkEndpointGroups.push({
      ...serverlessNeg('neg', 'us-central1', 'hello'),
      selfLink: `${emulator}/regions/us-central1/networkEndpointGroups/neg`,
      region: 'us-central1',
    });
    inventory.backendServices.push({
      ...backendService('be', ['regions/us-central1/networkEndpointGroups/neg']),
      selfLink: `https://compute.googleapis.com/compute/v1/projects/${PROJECT}/global/backendServices/be`,
    });
    inventory.urlMaps.push({
      ...urlMap('map', `projects/${PROJECT}/global/backendServices/be`),
      selfLink: `${emulator}/global/urlMaps/map`,
    });
    inventory.sslCertificates.push({ ...managedCertificate('cert', ['m.example.com']), selfLink: undefined });
    inventory.targetHttpsProxies.push({
      ...httpsProxy('px', `${emulator}/global/urlMaps/map`, ['global/sslCertificates/cert']),
      selfLink: `${emulator}/global/targetHttpsProxies/px`,
    });
    inventory.addresses.push({ ...globalAddress('ip', '34.7.7.7'), selfLink: `${emulator}/global/addresses/ip` });
    inventory.forwardingRules.push({
      ...forwardingRule('rule', '34.7.7.7', 'global/targetHttpsProxies/px', '443'),
      selfLink: `${emulator}/global/forwardingRules/rule`,
    });
    const topology = buildTopology(inventory);
    const lb = only(topology);

    it('resolves every hop, whatever the host or the partial form', () => {
      assert.deepEqual(lb.missing, []);
      assert.equal(lb.address?.id, id.global('addresses', 'ip'));
      assert.deepEqual(names(lb.certificates), ['cert']);
      assert.equal(lb.certificates[0].id, id.global('sslCertificates', 'cert'));
      assert.equal(lb.urlMaps[0].id, id.global('urlMaps', 'map'));
      assert.equal(lb.backendServices[0].id, id.global('backendServices', 'be'));
      assert.equal(lb.networkEndpointGroups[0].id, id.regional('us-central1', 'networkEndpointGroups', 'neg'));
      assert.equal(lb.networkEndpointGroups[0].runService?.kind, 'runService');
      assert.equal(lb.rules[0].ports, '443');
      assertNoUnattached(topology);
    });
  });

  describe('kinds that are not modelled', () => {
    const inventory = seedInventory();
    inventory.forwardingRules.push(forwardingRule('tcp-rule', '34.11.11.11', link.global('targetTcpProxies', 'tcp-proxy'), '110-110'));
    inventory.forwardingRules.push(
      forwardingRule('psc-rule', '10.1.2.3', 'all-apis', '', { portRange: undefined, loadBalancingScheme: '' }),
    );
    inventory.backendServices[0].backends!.push({ group: 'zones/us-central1-a/instanceGroups/legacy-ig' });
    const topology = buildTopology(inventory);

    it('shows a TCP proxy rule as a load balancer whose target is a TCP proxy', () => {
      const lb = byName(topology, 'tcp-rule');
      assert.equal(lb.rules[0].targetKind, 'targetTcpProxy');
      assert.deepEqual(lb.rules[0].target, {
        kind: 'unmodelled',
        id: id.global('targetTcpProxies', 'tcp-proxy'),
        collection: 'targetTcpProxies',
        ref: link.global('targetTcpProxies', 'tcp-proxy'),
        name: 'tcp-proxy',
      });
      assert.equal(lb.https, false);
      const plan = planLoadBalancerDeletion(topology, lb.id)!;
      assert.deepEqual(
        plan.steps.map((s) => s.name),
        ['tcp-rule'],
      );
      assert.deepEqual(
        plan.kept.map((k) => k.reason),
        ['target TCP proxy tcp-proxy is not a kind this extension deletes; delete it in the Cloud Console'],
      );
    });

    it('shows a rule whose target is not a path as what it names', () => {
      const lb = byName(topology, 'psc-rule');
      assert.equal(lb.rules[0].targetKind, 'all-apis');
      assert.equal(lb.rules[0].target?.kind, 'unmodelled');
      assert.equal(lb.rules[0].ports, '');
    });

    it('shows an instance group backend as an instance group, not as missing', () => {
      const lb = byName(topology, 'cloudrun-url-map');
      assert.deepEqual(
        lb.backendServices[0].groups.map((g) => [g.kind, g.name]),
        [
          ['networkEndpointGroup', 'cloudrun-neg'],
          ['unmodelled', 'legacy-ig'],
        ],
      );
      assert.deepEqual(
        lb.unmodelled.map((u) => u.collection),
        ['instanceGroups'],
      );
      assert.deepEqual(lb.missing, []);
    });
  });

  describe('odd inventories', () => {
    it('builds an empty topology from an empty inventory', () => {
      const topology = buildTopology(emptyInventory());
      assert.deepEqual(topology.loadBalancers, []);
      assertNoUnattached(topology);
      assert.equal(topology.nodes.size, 0);
    });

    it('keeps the first copy of a resource listed twice', () => {
      const inventory = seedInventory();
      inventory.forwardingRules.push({ ...inventory.forwardingRules[0], description: 'second copy' });
      inventory.backendServices.push({ ...inventory.backendServices[0], enableCDN: true });
      const lb = only(buildTopology(inventory));
      assert.equal(lb.rules.length, 1);
      assert.equal(lb.backendServices[0].cdn, false);
    });

    it('never merges rules whose IP is unknown', () => {
      const inventory = emptyInventory();
      inventory.forwardingRules.push(
        forwardingRule('a', '', link.global('targetHttpProxies', 'x'), '80'),
        forwardingRule('b', '', link.global('targetHttpProxies', 'y'), '80'),
      );
      const topology = buildTopology(inventory);
      assert.deepEqual(names(topology.loadBalancers), ['a', 'b']);
      assert.equal(topology.loadBalancers[0].id, `projects/${PROJECT}/global/loadBalancers/forwardingRule-a`);
      assert.equal(topology.loadBalancers[0].ip, undefined);
    });

    it('finds the address of a rule whose IPAddress is the address reference', () => {
      const inventory = seedInventory();
      inventory.forwardingRules[0].IPAddress = 'global/addresses/global-ip';
      const lb = only(buildTopology(inventory));
      assert.equal(lb.ip, SEED_IP);
      assert.equal(lb.address?.name, 'global-ip');
    });

    it('counts mirrored and custom-error backends among what a URL map reaches', () => {
      const inventory = seedInventory();
      inventory.backendServices.push(backendService('shadow', []));
      inventory.backendBuckets.push(backendBucket('errors', 'error-pages'));
      inventory.urlMaps[0] = urlMap('cloudrun-url-map', link.global('backendServices', 'cloudrun-backend'), {
        defaultRouteAction: { requestMirrorPolicy: { backendService: link.global('backendServices', 'shadow') } },
        defaultCustomErrorResponsePolicy: { errorService: link.global('backendBuckets', 'errors') },
      });
      const topology = buildTopology(inventory);
      const lb = only(topology);
      assert.deepEqual(
        lb.urlMaps[0].defaultRoute.backends.map((b) => [b.role, b.backend.name]),
        [
          ['service', 'cloudrun-backend'],
          ['mirror', 'shadow'],
          ['errors', 'errors'],
        ],
      );
      assert.deepEqual(names(lb.backendServices), ['cloudrun-backend', 'shadow']);
      assert.deepEqual(names(lb.backendBuckets), ['errors']);
      assertNoUnattached(topology);
    });

    it('matches an IPv6 rule to its address whatever the letter case', () => {
      const inventory = seedInventory();
      inventory.addresses = [globalAddress('v6', '2600:1901:0:abcd::')];
      inventory.forwardingRules[0].IPAddress = '2600:1901:0:ABCD::';
      const lb = only(buildTopology(inventory));
      assert.equal(lb.ip, '2600:1901:0:abcd::');
      assert.equal(lb.ipVersion, 'IPV6');
      assert.equal(lb.address?.name, 'v6');
    });

    it('names a load balancer after its address, then its rule, when no URL map serves', () => {
      const inventory = seedInventory();
      inventory.targetHttpsProxies[0].urlMap = undefined;
      assert.equal(only(buildTopology(inventory)).name, 'global-ip');
      inventory.addresses = [];
      assert.equal(only(buildTopology(inventory)).name, 'https-rule');
    });
  });
});
