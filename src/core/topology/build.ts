// Inventory (flat lists in Google's JSON) → the load-balancer graph of model.ts. Pure: no I/O, no vscode.
import type {
  Address,
  BackendBucket,
  BackendService,
  ForwardingRule,
  Inventory,
  NetworkEndpointGroup,
  RunService,
  SslCertificate,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap,
} from '../gcp/types';
import type { compute_v1 } from 'googleapis/build/src/apis/compute/v1';
import type {
  AddressNode,
  BackendBucketNode,
  BackendNode,
  BackendServiceNode,
  CertificateNode,
  ForwardingRuleNode,
  HostRuleView,
  IpVersion,
  LoadBalancer,
  MissingNode,
  NetworkEndpointGroupNode,
  PathMatcherView,
  ResourceNode,
  Route,
  RouteBackend,
  RunServiceNode,
  ServedService,
  ServiceFronting,
  TargetHttpProxyNode,
  TargetHttpsProxyNode,
  TargetNode,
  Topology,
  UnattachedResources,
  UnmodelledNode,
  UrlMapNode,
} from './model';
import type { ResourceKind } from '../kinds/vocabulary';
import { lastSegment, normalizeRef, parseRef, refId, resourceId } from '../gcp/refs';
import { certificateMapName } from '../gcp/certificateManager';
import { buildCertificateManagerGraph, certificatesOfMap, reachableFromMap, type CertificateManagerGraph } from './certificateMap';

/** Google's default scheme when a rule or backend service does not say. */
const DEFAULT_SCHEME = 'EXTERNAL';

export function buildTopology(inventory: Inventory): Topology {
  return new TopologyBuilder(inventory).build();
}

/** An IP literal as a rule or address spells it, without a prefix length. */
function bareIp(ip: string | null | undefined): string | undefined {
  if (!ip) return undefined;
  // Lower case: IPv6 literals may come in either case.
  return (
    ip
      .trim()
      .replace(/\/\d+$/, '')
      .toLowerCase() || undefined
  );
}

function ipVersionOf(ip: string | undefined, declared: string | null | undefined): IpVersion {
  if (ip) return ip.includes(':') ? 'IPV6' : 'IPV4';
  return declared === 'IPV6' ? 'IPV6' : 'IPV4';
}

function displayPorts(rule: ForwardingRule): string {
  if (rule.portRange) {
    const [from, to] = rule.portRange.split('-');
    return to === undefined || from === to ? from : rule.portRange;
  }
  if (rule.ports?.length) return rule.ports.join(',');
  return rule.allPorts ? 'all' : '';
}

function firstPort(rule: ForwardingRuleNode): number {
  const port = Number.parseInt(rule.ports, 10);
  return Number.isNaN(port) ? Number.MAX_SAFE_INTEGER : port;
}

function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Collects distinct nodes by id while walking one load balancer. */
class Reachable {
  readonly ids = new Set<string>();
  readonly certificates = new Map<string, CertificateNode>();
  readonly urlMaps = new Map<string, UrlMapNode>();
  readonly backendServices = new Map<string, BackendServiceNode>();
  readonly backendBuckets = new Map<string, BackendBucketNode>();
  readonly negs = new Map<string, NetworkEndpointGroupNode>();
  readonly missing = new Map<string, MissingNode>();
  readonly unmodelled = new Map<string, UnmodelledNode>();

  /** Notes nodes that are not listed resources; false for those so the walk stops there. */
  visit(node: ResourceNode | MissingNode | UnmodelledNode): node is ResourceNode {
    if (node.kind === 'missing') {
      this.missing.set(node.id, node);
      return false;
    }
    if (node.kind === 'unmodelled') {
      this.unmodelled.set(node.id, node);
      return false;
    }
    this.ids.add(node.id);
    return true;
  }
}

class TopologyBuilder {
  private readonly project: string;
  private readonly rules = new Map<string, ForwardingRule>();
  private readonly addresses = new Map<string, Address>();
  private readonly httpsProxies = new Map<string, TargetHttpsProxy>();
  private readonly httpProxies = new Map<string, TargetHttpProxy>();
  private readonly urlMaps = new Map<string, UrlMap>();
  private readonly backendServices = new Map<string, BackendService>();
  private readonly backendBuckets = new Map<string, BackendBucket>();
  private readonly negs = new Map<string, NetworkEndpointGroup>();
  private readonly certificates = new Map<string, SslCertificate>();
  private readonly servicesByRegionAndName = new Map<string, RunService>();

  private readonly nodes = new Map<string, ResourceNode>();
  /** Placeholders for references that resolve to no listed resource, shared like real nodes. */
  private readonly placeholders = new Map<string, MissingNode | UnmodelledNode>();
  private readonly runServiceNodes = new Map<string, RunServiceNode>();
  private readonly referencedBy = new Map<string, string[]>();
  private readonly certificateManager?: CertificateManagerGraph;

  constructor(private readonly inventory: Inventory) {
    this.project = inventory.project;
    if (inventory.certificateManager) {
      this.certificateManager = buildCertificateManagerGraph(inventory.certificateManager, this.project);
      for (const node of this.certificateManager.nodes) this.nodes.set(node.id, node);
      for (const [target, referrer] of this.certificateManager.referrers) this.addReferrer(target, referrer);
    }
    const index = <T extends { name?: string | null }>(into: Map<string, T>, items: readonly T[] | undefined, collection: string) => {
      for (const item of items ?? []) {
        const id = resourceId(item, collection, this.project);
        // A resource listed twice (overlapping pages) keeps its first copy.
        if (!into.has(id)) into.set(id, item);
      }
    };
    index(this.rules, inventory.forwardingRules, 'forwardingRules');
    index(this.addresses, inventory.addresses, 'addresses');
    index(this.httpsProxies, inventory.targetHttpsProxies, 'targetHttpsProxies');
    index(this.httpProxies, inventory.targetHttpProxies, 'targetHttpProxies');
    index(this.urlMaps, inventory.urlMaps, 'urlMaps');
    index(this.backendServices, inventory.backendServices, 'backendServices');
    index(this.backendBuckets, inventory.backendBuckets, 'backendBuckets');
    index(this.negs, inventory.networkEndpointGroups, 'networkEndpointGroups');
    index(this.certificates, inventory.sslCertificates, 'sslCertificates');
    for (const service of inventory.services ?? []) {
      const key = `${service.region}/${service.name}`;
      if (!this.servicesByRegionAndName.has(key)) this.servicesByRegionAndName.set(key, service);
    }
  }

  build(): Topology {
    // Build every listed resource's node, attached or not, so unattached ones are complete too.
    for (const id of this.addresses.keys()) this.addressNode(id);
    for (const id of this.certificates.keys()) this.certificateNode(id);
    for (const id of this.negs.keys()) this.negNode(id);
    for (const id of this.backendBuckets.keys()) this.backendBucketNode(id);
    for (const id of this.backendServices.keys()) this.backendServiceNode(id);
    for (const id of this.urlMaps.keys()) this.urlMapNode(id);
    for (const id of this.httpsProxies.keys()) this.httpsProxyNode(id);
    for (const id of this.httpProxies.keys()) this.httpProxyNode(id);
    const ruleNodes = [...this.rules.keys()].map((id) => this.ruleNode(id));

    const loadBalancers = this.groupByIp(ruleNodes).map((rules) => this.loadBalancer(rules));
    disambiguateNames(loadBalancers);
    loadBalancers.sort((a, b) => a.name.localeCompare(b.name) || (a.ip ?? '').localeCompare(b.ip ?? ''));

    const usedBy = new Map<string, string[]>();
    for (const lb of loadBalancers) {
      for (const id of lb.resourceIds) {
        const users = usedBy.get(id) ?? [];
        users.push(lb.id);
        usedBy.set(id, users);
      }
    }

    return {
      project: this.project,
      loadBalancers,
      unattached: this.unattached(usedBy),
      nodes: this.nodes,
      usedBy,
      referencedBy: this.referencedBy,
      fronting: fronting(loadBalancers),
      services: this.inventory.services ?? [],
    };
  }

  // ---- references ----

  private addReferrer(targetId: string, referrerId: string): void {
    const referrers = this.referencedBy.get(targetId) ?? [];
    if (!referrers.includes(referrerId)) referrers.push(referrerId);
    this.referencedBy.set(targetId, referrers);
  }

  private missing(ref: string, expected: ResourceKind): MissingNode {
    const id = refId(ref, this.project) ?? ref;
    const existing = this.placeholders.get(id);
    if (existing?.kind === 'missing') return existing;
    const node: MissingNode = { kind: 'missing', id, expected, ref, name: lastSegment(ref) ?? ref };
    this.placeholders.set(id, node);
    return node;
  }

  private unmodelled(ref: string): UnmodelledNode {
    const parsed = parseRef(ref, this.project);
    const id = parsed?.path ?? normalizeRef(ref, this.project) ?? ref;
    const existing = this.placeholders.get(id);
    if (existing?.kind === 'unmodelled') return existing;
    const path = id.split('/');
    // Certificate Manager: projects/P/locations/L/certificateMaps/NAME.
    const collection = parsed?.collection ?? (path.length >= 2 ? path[path.length - 2] : id);
    const node: UnmodelledNode = { kind: 'unmodelled', id, collection, ref, name: parsed?.name ?? lastSegment(ref) ?? ref };
    this.placeholders.set(id, node);
    return node;
  }

  /** Resolves `ref` to the listed resource of `collection`, or a missing node; records who refers to it. */
  private resolve<N>(
    ref: string,
    referrerId: string,
    collection: string,
    expected: ResourceKind,
    nodeOf: (id: string) => N | undefined,
  ): N | MissingNode {
    const id = refId(ref, this.project) ?? ref;
    this.addReferrer(id, referrerId);
    const parsed = parseRef(ref, this.project);
    const node = parsed?.collection === collection ? nodeOf(parsed.path) : undefined;
    return node ?? this.missing(ref, expected);
  }

  // ---- nodes, memoised by id ----

  private memo<R, N extends ResourceNode>(id: string, listed: Map<string, R>, make: (resource: R) => N): N | undefined {
    const existing = this.nodes.get(id);
    if (existing) return existing as N;
    const resource = listed.get(id);
    if (resource === undefined) return undefined;
    const node = make(resource);
    this.nodes.set(id, node);
    return node;
  }

  private addressNode(id: string): AddressNode | undefined {
    return this.memo(id, this.addresses, (address) => {
      const ip = bareIp(address.address);
      return {
        kind: 'address',
        id,
        name: address.name ?? lastSegment(id) ?? id,
        ip,
        ipVersion: ipVersionOf(ip, address.ipVersion),
        addressType: address.addressType ?? undefined,
        status: address.status ?? undefined,
        resource: address,
      };
    });
  }

  private certificateNode(id: string): CertificateNode | undefined {
    return this.memo(id, this.certificates, (cert) => {
      const managed = cert.type === 'MANAGED' || (cert.type == null && cert.managed != null);
      const domains = managed ? (cert.managed?.domains ?? cert.subjectAlternativeNames ?? []) : (cert.subjectAlternativeNames ?? []);
      return {
        kind: 'sslCertificate',
        id,
        name: cert.name ?? lastSegment(id) ?? id,
        managed,
        status: managed ? (cert.managed?.status ?? undefined) : undefined,
        domains: [...domains],
        domainStatus: { ...(cert.managed?.domainStatus ?? {}) },
        expireTime: cert.expireTime ?? undefined,
        resource: cert,
      };
    });
  }

  private runServiceFor(region: string | undefined, name: string): RunServiceNode | MissingNode {
    const service = region ? this.servicesByRegionAndName.get(`${region}/${name}`) : undefined;
    const id = `projects/${this.project}/locations/${region ?? '-'}/services/${name}`;
    if (!service) return this.missing(id, 'runService');
    const existing = this.runServiceNodes.get(service.resourceName);
    if (existing) return existing;
    const node: RunServiceNode = { kind: 'runService', id: service.resourceName, name: service.name, region: service.region, service };
    this.runServiceNodes.set(service.resourceName, node);
    return node;
  }

  private negNode(id: string): NetworkEndpointGroupNode | undefined {
    return this.memo(id, this.negs, (neg) => {
      const parsed = parseRef(id, this.project);
      const region = lastSegment(neg.region) ?? (parsed?.scope.kind === 'region' ? parsed.scope.region : undefined);
      const zone = lastSegment(neg.zone) ?? (parsed?.scope.kind === 'zone' ? parsed.scope.zone : undefined);
      const cloudRun = neg.cloudRun
        ? { service: neg.cloudRun.service ?? undefined, tag: neg.cloudRun.tag ?? undefined, urlMask: neg.cloudRun.urlMask ?? undefined }
        : undefined;
      const node: NetworkEndpointGroupNode = {
        kind: 'networkEndpointGroup',
        id,
        name: neg.name ?? lastSegment(id) ?? id,
        region,
        zone,
        endpointType: neg.networkEndpointType ?? 'GCE_VM_IP_PORT',
        cloudRun,
        otherTarget: otherTarget(neg),
        resource: neg,
      };
      if (cloudRun?.service) {
        node.runService = this.runServiceFor(region, cloudRun.service);
        this.addReferrer(node.runService.id, id);
      }
      return node;
    });
  }

  private backendBucketNode(id: string): BackendBucketNode | undefined {
    return this.memo(id, this.backendBuckets, (bucket) => ({
      kind: 'backendBucket',
      id,
      name: bucket.name ?? lastSegment(id) ?? id,
      bucketName: bucket.bucketName ?? undefined,
      cdn: bucket.enableCdn === true,
      resource: bucket,
    }));
  }

  private backendServiceNode(id: string): BackendServiceNode | undefined {
    return this.memo(id, this.backendServices, (service) => ({
      kind: 'backendService',
      id,
      name: service.name ?? lastSegment(id) ?? id,
      scheme: service.loadBalancingScheme ?? DEFAULT_SCHEME,
      protocol: service.protocol ?? undefined,
      cdn: service.enableCDN === true,
      securityPolicy: service.securityPolicy ?? undefined,
      edgeSecurityPolicy: service.edgeSecurityPolicy ?? undefined,
      groups: (service.backends ?? []).filter((backend) => backend.group).map((backend) => this.groupNode(backend.group as string, id)),
      resource: service,
    }));
  }

  private groupNode(ref: string, referrerId: string): NetworkEndpointGroupNode | MissingNode | UnmodelledNode {
    const parsed = parseRef(ref, this.project);
    // Instance groups are not listed: they are shown as what they are, not as missing.
    if (parsed?.collection !== 'networkEndpointGroups') {
      const node = this.unmodelled(ref);
      this.addReferrer(node.id, referrerId);
      return node;
    }
    return this.resolve(ref, referrerId, 'networkEndpointGroups', 'networkEndpointGroup', (id) => this.negNode(id));
  }

  private backend(ref: string, referrerId: string): BackendNode {
    const parsed = parseRef(ref, this.project);
    if (parsed?.collection === 'backendBuckets') {
      return this.resolve(ref, referrerId, 'backendBuckets', 'backendBucket', (id) => this.backendBucketNode(id));
    }
    return this.resolve(ref, referrerId, 'backendServices', 'backendService', (id) => this.backendServiceNode(id));
  }

  private urlMapNode(id: string): UrlMapNode | undefined {
    return this.memo(id, this.urlMaps, (map) => {
      const reached = new Map<string, BackendNode>();
      const route = (
        service: string | null | undefined,
        action: compute_v1.Schema$HttpRouteAction | undefined,
        redirect: compute_v1.Schema$HttpRedirectAction | undefined,
        errors?: compute_v1.Schema$CustomErrorResponsePolicy,
      ): Route => {
        const backends: RouteBackend[] = [];
        const add = (ref: string | null | undefined, role: RouteBackend['role'], weight?: number) => {
          if (!ref) return;
          const backend = this.backend(ref, id);
          if (!reached.has(backend.id)) reached.set(backend.id, backend);
          backends.push(weight === undefined ? { backend, role } : { backend, role, weight });
        };
        add(service, 'service');
        for (const weighted of action?.weightedBackendServices ?? [])
          add(weighted.backendService, 'weighted', weighted.weight ?? undefined);
        add(action?.requestMirrorPolicy?.backendService, 'mirror');
        add(errors?.errorService, 'errors');
        const result: Route = { backends };
        if (redirect) {
          result.redirect = {
            httpsRedirect: redirect.httpsRedirect === true,
            hostRedirect: redirect.hostRedirect ?? undefined,
            pathRedirect: redirect.pathRedirect ?? undefined,
            prefixRedirect: redirect.prefixRedirect ?? undefined,
            responseCode: redirect.redirectResponseCode ?? undefined,
          };
        }
        return result;
      };

      const defaultRoute = route(map.defaultService, map.defaultRouteAction, map.defaultUrlRedirect, map.defaultCustomErrorResponsePolicy);
      const pathMatchers: PathMatcherView[] = (map.pathMatchers ?? []).map((matcher) => ({
        name: matcher.name ?? '',
        defaultRoute: route(
          matcher.defaultService,
          matcher.defaultRouteAction,
          matcher.defaultUrlRedirect,
          matcher.defaultCustomErrorResponsePolicy,
        ),
        pathRules: (matcher.pathRules ?? []).map((rule) => ({
          paths: [...(rule.paths ?? [])],
          route: route(rule.service, rule.routeAction, rule.urlRedirect, rule.customErrorResponsePolicy),
        })),
        routeRules: (matcher.routeRules ?? []).map((rule) => ({
          priority: rule.priority ?? undefined,
          description: rule.description ?? undefined,
          route: route(rule.service, rule.routeAction, rule.urlRedirect, rule.customErrorResponsePolicy),
        })),
      }));
      const hostRules: HostRuleView[] = (map.hostRules ?? []).map((rule) => ({
        hosts: [...(rule.hosts ?? [])],
        pathMatcherName: rule.pathMatcher ?? '',
        pathMatcher: pathMatchers.find((matcher) => matcher.name === rule.pathMatcher),
      }));
      const backends = [...reached.values()];
      return {
        kind: 'urlMap',
        id,
        name: map.name ?? lastSegment(id) ?? id,
        defaultRoute,
        hostRules,
        pathMatchers,
        backends,
        redirectOnly: backends.length === 0 && defaultRoute.redirect !== undefined,
        httpsRedirect: defaultRoute.redirect?.httpsRedirect === true,
        resource: map,
      };
    });
  }

  private urlMapOf(ref: string | null | undefined, referrerId: string): UrlMapNode | MissingNode | undefined {
    if (!ref) return undefined;
    return this.resolve(ref, referrerId, 'urlMaps', 'urlMap', (id) => this.urlMapNode(id));
  }

  private httpsProxyNode(id: string): TargetHttpsProxyNode | undefined {
    return this.memo(id, this.httpsProxies, (proxy) => {
      const node: TargetHttpsProxyNode = {
        kind: 'targetHttpsProxy',
        id,
        name: proxy.name ?? lastSegment(id) ?? id,
        certificates: (proxy.sslCertificates ?? []).map((ref) =>
          this.resolve(ref, id, 'sslCertificates', 'sslCertificate', (certId) => this.certificateNode(certId)),
        ),
        urlMap: this.urlMapOf(proxy.urlMap, id),
        sslPolicy: proxy.sslPolicy ?? undefined,
        quicOverride: proxy.quicOverride ?? undefined,
        resource: proxy,
      };
      if (proxy.certificateMap) {
        const mapName = certificateMapName(proxy.certificateMap)?.replace(/^projects\/[^/]+\//, `projects/${this.project}/`);
        node.certificateMap =
          this.certificateManager && mapName
            ? (this.certificateManager.maps.get(mapName) ?? {
                kind: 'missing',
                id: mapName,
                expected: 'certificateMap',
                ref: proxy.certificateMap,
                name: lastSegment(mapName) ?? mapName,
              })
            : this.unmodelled(proxy.certificateMap);
        this.addReferrer(node.certificateMap.id, id);
      }
      return node;
    });
  }

  private httpProxyNode(id: string): TargetHttpProxyNode | undefined {
    return this.memo(id, this.httpProxies, (proxy) => {
      const urlMap = this.urlMapOf(proxy.urlMap, id);
      const redirectOnly = urlMap?.kind === 'urlMap' && urlMap.redirectOnly;
      return {
        kind: 'targetHttpProxy',
        id,
        name: proxy.name ?? lastSegment(id) ?? id,
        urlMap,
        redirectOnly,
        httpsRedirect: redirectOnly && urlMap.httpsRedirect,
        resource: proxy,
      };
    });
  }

  private target(ref: string, referrerId: string): { kind: string; node: TargetNode } {
    const parsed = parseRef(ref, this.project);
    if (parsed?.collection === 'targetHttpsProxies') {
      return {
        kind: 'targetHttpsProxy',
        node: this.resolve(ref, referrerId, 'targetHttpsProxies', 'targetHttpsProxy', (id) => this.httpsProxyNode(id)),
      };
    }
    if (parsed?.collection === 'targetHttpProxies') {
      return {
        kind: 'targetHttpProxy',
        node: this.resolve(ref, referrerId, 'targetHttpProxies', 'targetHttpProxy', (id) => this.httpProxyNode(id)),
      };
    }
    const node = this.unmodelled(ref);
    this.addReferrer(node.id, referrerId);
    // A collection name in the singular, as the modelled kinds spell it: targetTcpProxies → targetTcpProxy.
    return { kind: parsed ? singular(parsed.collection) : node.collection, node };
  }

  /** The reserved address a rule uses: by reference when IPAddress is one, else by equal IP. */
  private addressForRule(rule: ForwardingRule, ip: string | undefined): AddressNode | undefined {
    const parsed = parseRef(rule.IPAddress, this.project);
    if (parsed?.collection === 'addresses') return this.addressNode(parsed.path);
    return ip ? this.addressesByIp().get(ip) : undefined;
  }

  private addressByIpIndex?: Map<string, AddressNode>;

  /** IP → its reserved address, a global one preferred over a regional one with the same IP. */
  private addressesByIp(): Map<string, AddressNode> {
    if (this.addressByIpIndex) return this.addressByIpIndex;
    const index = new Map<string, AddressNode>();
    for (const id of this.addresses.keys()) {
      const node = this.addressNode(id);
      if (!node?.ip) continue;
      const existing = index.get(node.ip);
      if (!existing || (existing.resource.region && !node.resource.region)) index.set(node.ip, node);
    }
    this.addressByIpIndex = index;
    return index;
  }

  private ruleNode(id: string): ForwardingRuleNode {
    return this.memo(id, this.rules, (rule) => {
      const byRef = parseRef(rule.IPAddress, this.project);
      const address = this.addressForRule(rule, byRef ? undefined : bareIp(rule.IPAddress));
      const ip = byRef ? address?.ip : bareIp(rule.IPAddress);
      const target = rule.target ? this.target(rule.target, id) : undefined;
      if (address) this.addReferrer(address.id, id);
      return {
        kind: 'forwardingRule',
        id,
        name: rule.name ?? lastSegment(id) ?? id,
        ip,
        ipVersion: ipVersionOf(ip, rule.ipVersion),
        portRange: rule.portRange ?? undefined,
        ports: displayPorts(rule),
        scheme: rule.loadBalancingScheme ?? DEFAULT_SCHEME,
        protocol: rule.IPProtocol ?? undefined,
        networkTier: rule.networkTier ?? undefined,
        targetKind: target?.kind ?? 'none',
        target: target?.node,
        address,
        resource: rule,
      };
    }) as ForwardingRuleNode;
  }

  // ---- load balancers ----

  private groupByIp(rules: ForwardingRuleNode[]): ForwardingRuleNode[][] {
    const groups = new Map<string, ForwardingRuleNode[]>();
    for (const rule of rules) {
      // A rule whose IP is unknown stands alone rather than merging with other unknowns.
      const key = rule.ip ?? `rule:${rule.id}`;
      const group = groups.get(key) ?? [];
      group.push(rule);
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  private loadBalancer(unsortedRules: ForwardingRuleNode[]): LoadBalancer {
    const rules = [...unsortedRules].sort(
      (a, b) =>
        Number(b.targetKind === 'targetHttpsProxy') - Number(a.targetKind === 'targetHttpsProxy') ||
        firstPort(a) - firstPort(b) ||
        a.name.localeCompare(b.name),
    );
    const primary = rules[0];
    const seen = new Reachable();
    const address = rules.find((rule) => rule.address)?.address;
    if (address) seen.visit(address);

    const cmDomains: string[] = [];
    for (const rule of rules) {
      seen.visit(rule);
      if (!rule.target || !seen.visit(rule.target)) continue;
      const target = rule.target as TargetHttpsProxyNode | TargetHttpProxyNode;
      if (target.kind === 'targetHttpsProxy') {
        for (const cert of target.certificates) if (seen.visit(cert)) seen.certificates.set(cert.id, cert as CertificateNode);
        if (target.certificateMap?.kind === 'certificateMap') {
          for (const node of reachableFromMap(target.certificateMap)) seen.visit(node);
          for (const cert of certificatesOfMap(target.certificateMap)) cmDomains.push(...cert.domains);
        } else if (target.certificateMap) seen.visit(target.certificateMap);
      }
      if (!target.urlMap || !seen.visit(target.urlMap)) continue;
      const urlMap = target.urlMap as UrlMapNode;
      seen.urlMaps.set(urlMap.id, urlMap);
      for (const backend of urlMap.backends) {
        if (!seen.visit(backend)) continue;
        if (backend.kind === 'backendBucket') {
          seen.backendBuckets.set(backend.id, backend);
          continue;
        }
        const service = backend as BackendServiceNode;
        seen.backendServices.set(service.id, service);
        for (const group of service.groups) {
          if (!seen.visit(group)) continue;
          const neg = group as NetworkEndpointGroupNode;
          seen.negs.set(neg.id, neg);
          if (neg.runService?.kind === 'missing') seen.missing.set(neg.runService.id, neg.runService);
        }
      }
    }

    const urlMaps = [...seen.urlMaps.values()];
    const certificates = [...seen.certificates.values()];
    const servingMap = (node: TargetNode | undefined) => {
      const map = node && (node.kind === 'targetHttpsProxy' || node.kind === 'targetHttpProxy') ? node.urlMap : undefined;
      return map?.kind === 'urlMap' && !map.redirectOnly ? map : undefined;
    };
    const ip = primary.ip;
    const name =
      servingMap(primary.target)?.name ??
      rules.map((rule) => servingMap(rule.target)?.name).find((n) => n !== undefined) ??
      address?.name ??
      primary.name;
    const hosts = urlMaps
      .filter((map) => !map.redirectOnly)
      .flatMap((map) => map.hostRules.flatMap((rule) => rule.hosts))
      .filter((host) => host !== '*' && host !== '');

    return {
      kind: 'loadBalancer',
      id: `projects/${this.project}/global/loadBalancers/${ip ?? `forwardingRule-${primary.name}`}`,
      name,
      ip,
      ipVersion: primary.ipVersion,
      address,
      rules,
      scheme: primary.scheme,
      https: rules.some((rule) => rule.targetKind === 'targetHttpsProxy'),
      httpsRedirect: rules.some((rule) => rule.target?.kind === 'targetHttpProxy' && rule.target.httpsRedirect),
      domains: uniqueSorted([...certificates.flatMap((cert) => cert.domains), ...cmDomains, ...hosts]),
      certificates,
      urlMaps,
      backendServices: [...seen.backendServices.values()],
      backendBuckets: [...seen.backendBuckets.values()],
      networkEndpointGroups: [...seen.negs.values()],
      services: servedServices([...seen.backendServices.values()]),
      missing: [...seen.missing.values()],
      unmodelled: [...seen.unmodelled.values()],
      resourceIds: [...seen.ids],
    };
  }

  private unattached(usedBy: Map<string, string[]>): UnattachedResources {
    const result: UnattachedResources = {
      targetProxies: [],
      urlMaps: [],
      backendServices: [],
      backendBuckets: [],
      networkEndpointGroups: [],
      sslCertificates: [],
      addresses: [],
    };
    for (const node of this.nodes.values()) {
      if (usedBy.has(node.id)) continue;
      switch (node.kind) {
        case 'targetHttpsProxy':
        case 'targetHttpProxy':
          result.targetProxies.push(node);
          break;
        case 'urlMap':
          result.urlMaps.push(node);
          break;
        case 'backendService':
          result.backendServices.push(node);
          break;
        case 'backendBucket':
          result.backendBuckets.push(node);
          break;
        case 'networkEndpointGroup':
          result.networkEndpointGroups.push(node);
          break;
        case 'sslCertificate':
          result.sslCertificates.push(node);
          break;
        case 'address':
          // An address in use by something outside this inventory (a VM, a regional rule) is not free.
          if (node.status !== 'IN_USE' && !node.resource.users?.length) result.addresses.push(node);
          break;
        case 'forwardingRule':
          break; // every rule belongs to a load balancer
      }
    }
    for (const list of Object.values(result) as { name: string }[][]) list.sort((a, b) => a.name.localeCompare(b.name));
    return result;
  }
}

function singular(collection: string): string {
  if (collection.endsWith('ies')) return `${collection.slice(0, -3)}y`;
  return collection.endsWith('s') ? collection.slice(0, -1) : collection;
}

/** What a NEG that is not Cloud Run serves, for display. */
function otherTarget(neg: NetworkEndpointGroup): string | undefined {
  if (neg.appEngine) return `App Engine${neg.appEngine.service ? ` service ${neg.appEngine.service}` : ''}`;
  if (neg.cloudFunction) return `Cloud Function${neg.cloudFunction.function ? ` ${neg.cloudFunction.function}` : ''}`;
  if (neg.pscTargetService) return `Private Service Connect ${neg.pscTargetService}`;
  return undefined;
}

function servedServices(backendServices: BackendServiceNode[]): ServedService[] {
  const byName = new Map<string, ServedService>();
  for (const backendService of backendServices) {
    for (const group of backendService.groups) {
      if (group.kind !== 'networkEndpointGroup' || !group.cloudRun?.service) continue;
      const name = group.cloudRun.service;
      const served = byName.get(name) ?? { name, regions: [] };
      served.regions.push({
        region: group.region ?? '',
        networkEndpointGroupId: group.id,
        backendServiceId: backendService.id,
        service: group.runService?.kind === 'runService' ? group.runService.service : undefined,
      });
      byName.set(name, served);
    }
  }
  const result = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const served of result) served.regions.sort((a, b) => a.region.localeCompare(b.region));
  return result;
}

function fronting(loadBalancers: LoadBalancer[]): Map<string, ServiceFronting[]> {
  const result = new Map<string, ServiceFronting[]>();
  for (const lb of loadBalancers) {
    for (const served of lb.services) {
      const existing = served.regions.filter((region) => region.service);
      const regions = uniqueSorted(existing.map((region) => region.region));
      for (const region of existing) {
        if (!region.service) continue;
        const key = region.service.resourceName;
        const list = result.get(key) ?? [];
        let entry = list.find((item) => item.loadBalancerId === lb.id);
        if (!entry) {
          entry = { loadBalancerId: lb.id, loadBalancerName: lb.name, regions, via: [] };
          list.push(entry);
        }
        entry.via.push({ backendServiceId: region.backendServiceId, networkEndpointGroupId: region.networkEndpointGroupId });
        result.set(key, list);
      }
    }
  }
  return result;
}

/** Two load balancers with one display name (an IPv4 and an IPv6 rule on one URL map) get their IP appended. */
function disambiguateNames(loadBalancers: LoadBalancer[]): void {
  const counts = new Map<string, number>();
  for (const lb of loadBalancers) counts.set(lb.name, (counts.get(lb.name) ?? 0) + 1);
  for (const lb of loadBalancers) if ((counts.get(lb.name) ?? 0) > 1 && lb.ip) lb.name = `${lb.name} (${lb.ip})`;
}
