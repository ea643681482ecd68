// The explorer's rows, built from the topology without `vscode`: the tree provider only maps them to
// TreeItems, and unit tests read them as a person reads the tree.
import { consoleUrl } from '../gcp/consoleUrl';
import type { InvokerAccess, RunService } from '../gcp/types';
import type {
  AddressNode,
  BackendBucketNode,
  BackendNode,
  BackendServiceNode,
  CertificateNode,
  ForwardingRuleNode,
  LoadBalancer,
  MissingNode,
  NetworkEndpointGroupNode,
  Route,
  ServiceFronting,
  TargetNode,
  Topology,
  UnmodelledNode,
  UrlMapNode,
} from '../topology/model';
import { pendingDomainChangesOf } from '../plan/changeDomains';
import { describeNode, frontingOf } from '../topology/queries';
import { certificateMapItem, mapCertificates } from './certificateMapItems';
import type { ExplorerItem, IconSpec, ResourceRef } from './item';

const GREEN = 'charts.green';
const YELLOW = 'charts.yellow';
const RED = 'charts.red';

/** A topology built while the Cloud Run list failed: NEG targets are unknown, not missing. */
export type ExplorerTopology = Topology & { servicesUnavailable?: boolean };

export const SECTION_SERVICES = 'section:services';
export const SECTION_LOAD_BALANCERS = 'section:loadBalancers';
export const SECTION_UNATTACHED = 'section:unattached';

export function placeholder(parentId: string, label: string): ExplorerItem {
  return { id: `${parentId}/placeholder`, label, context: ['placeholder'], icon: { codicon: 'info' } };
}

export function errorItem(parentId: string, message: string): ExplorerItem {
  return {
    id: `${parentId}/error`,
    label: 'Could not load',
    description: message,
    tooltip: `${message}\n\nClick to open the log.`,
    context: ['error'],
    icon: { codicon: 'error', color: RED },
  };
}

// ---------------------------------------------------------------- Cloud Run services

export function serviceItems(
  topology: Topology | undefined,
  services: readonly RunService[],
  invokers?: ReadonlyMap<string, InvokerAccess>,
): ExplorerItem[] {
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name) || a.region.localeCompare(b.region));
  return sorted.map((service) => serviceItem(SECTION_SERVICES, service, topology, invokers));
}

function serviceStatusIcon(service: RunService): IconSpec {
  if (service.ready === 'true') return { codicon: 'pass', color: GREEN };
  if (service.ready === 'false') return { codicon: 'error', color: RED };
  return { codicon: 'sync', color: YELLOW };
}

export function serviceItem(
  parentId: string,
  service: RunService,
  topology?: Topology,
  invokers?: ReadonlyMap<string, InvokerAccess>,
): ExplorerItem {
  const fronting = topology ? frontingOf(topology, service.region, service.name) : [];
  const access = invokers?.get(service.resourceName);
  // Behind a load balancer without IAP and not public: requests routed here get 403.
  const refused = !!access && !access.error && !access.public && fronting.length > 0 && !iapFronts(topology, fronting);
  const id = `${parentId}/${service.resourceName}`;
  const lbNames = fronting.map((f) => f.loadBalancerName);
  const description = [service.region, `ingress ${service.ingress}`, lbNames.length ? `global via ${lbNames.join(', ')}` : undefined]
    .filter(Boolean)
    .join(' · ');
  const tooltip = [
    `**${service.name}** (${service.region})`,
    service.url ? `URL: ${service.url}` : 'No URL yet',
    `Ingress: \`${service.ingress}\``,
    `Ready: ${service.ready}${service.readyMessage ? ` — ${service.readyMessage}` : ''}`,
    service.latestReadyRevision ? `Latest ready revision: ${service.latestReadyRevision}` : undefined,
    lbNames.length ? `Behind global load balancer ${lbNames.join(', ')}` : 'No global load balancer fronts it',
  ]
    .filter(Boolean)
    .join('\n\n');
  const resource: ResourceRef = {
    kind: 'runService',
    id: service.resourceName,
    name: service.name,
    region: service.region,
    url: service.url,
    consoleUrl: consoleUrl(service.project, { kind: 'runService', name: service.name, region: service.region }),
    json: service,
  };
  return {
    id,
    label: service.name,
    description,
    tooltip,
    icon: serviceStatusIcon(service),
    resource,
    context: [
      'runService',
      'console',
      'yaml',
      'copyName',
      service.url ? 'copyUrl' : '',
      fronting.length ? 'global' : 'notGlobal',
      refused ? 'notPublic' : '',
    ].filter(Boolean),
    children: () => [
      ...(service.url
        ? [
            {
              id: `${id}/url`,
              label: service.url,
              description: 'URL',
              context: ['detail', 'copyUrl'],
              icon: { codicon: 'link-external' },
              resource: { kind: 'url', name: service.url, url: service.url },
              link: { url: service.url },
            } satisfies ExplorerItem,
          ]
        : []),
      {
        id: `${id}/ingress`,
        label: `Ingress: ${service.ingress}`,
        context: ['detail'],
        description: ingressHint(service.ingress, fronting.length > 0),
        icon: service.ingress === 'internal' && fronting.length ? { codicon: 'warning', color: YELLOW } : { codicon: 'shield' },
      },
      ...(access
        ? [
            {
              id: `${id}/invoker`,
              label: `Invoker: ${access.error ? 'unknown' : access.public ? 'allUsers (public)' : access.invokers.length ? access.invokers.join(', ') : 'nobody'}`,
              description: access.error ? access.error : refused ? 'requests through the load balancer get 403' : undefined,
              context: ['detail', ...(refused ? ['notPublic'] : [])],
              resource: refused ? resource : undefined,
              icon: refused ? { codicon: 'warning', color: YELLOW } : { codicon: 'person' },
            } satisfies ExplorerItem,
          ]
        : []),
      {
        id: `${id}/ready`,
        label: `Ready: ${service.ready}`,
        description: service.readyMessage,
        context: ['detail'],
        icon: serviceStatusIcon(service),
      },
      ...(service.latestReadyRevision
        ? [{ id: `${id}/revision`, label: `Revision: ${service.latestReadyRevision}`, context: ['detail'], icon: { codicon: 'versions' } }]
        : []),
      ...fronting.map((f) => ({
        id: `${id}/lb/${f.loadBalancerId}`,
        label: `Load balancer: ${f.loadBalancerName}`,
        description: `regions ${f.regions.join(', ')}`,
        context: ['detail', 'link'],
        icon: { codicon: 'globe', color: GREEN },
        link: { revealId: `${SECTION_LOAD_BALANCERS}/${f.loadBalancerId}` },
      })),
    ],
  };
}

/** Every backend service through which a load balancer reaches this service has IAP on. */
function iapFronts(topology: Topology | undefined, fronting: readonly ServiceFronting[]): boolean {
  const via = fronting.flatMap((f) => f.via);
  return (
    via.length > 0 &&
    via.every((v) => {
      const node = topology?.nodes.get(v.backendServiceId);
      return node?.kind === 'backendService' && !!node.resource.iap?.enabled;
    })
  );
}

function ingressHint(ingress: RunService['ingress'], fronted: boolean): string | undefined {
  if (ingress === 'internal' && fronted) return 'blocks the external load balancer';
  if (ingress === 'all' && fronted) return 'clients can bypass the load balancer via run.app';
  if (ingress === 'internal-and-cloud-load-balancing') return 'only the load balancer reaches it';
  return undefined;
}

// ---------------------------------------------------------------- load balancers

/**
 * The state of the certificates that serve the load balancer, worst first. `pending` names certificates of a
 * domain change not yet finished: the old ones serve until then, so the new one's state is the
 * change's, not the load balancer's.
 */
export function certificateState(lb: LoadBalancer, pending: readonly string[] = []): 'none' | 'active' | 'provisioning' | 'failed' {
  // Certificates a certificate map serves count too (Certificate Manager's states: PROVISIONING, ACTIVE, FAILED).
  const statuses = [
    ...lb.certificates.filter((c) => !pending.includes(c.name)).map((c) => (c.managed ? (c.status ?? 'PROVISIONING') : 'ACTIVE')),
    ...mapCertificates(lb).map((c) => (c.managed ? (c.state ?? 'PROVISIONING') : 'ACTIVE')),
  ];
  if (!statuses.length) return 'none';
  if (statuses.some((s) => /FAILED/.test(s))) return 'failed';
  if (statuses.some((s) => s === 'PROVISIONING')) return 'provisioning';
  return 'active';
}

/** A domain change on this load balancer whose new certificate is ACTIVE: the row offers to finish it. */
function finishable(topology: Topology, lb: LoadBalancer): boolean {
  return pendingDomainChangesOf(topology, lb.id).some((c) => c.ready);
}

export function loadBalancerItems(topology: Topology): ExplorerItem[] {
  return topology.loadBalancers.map((lb) => loadBalancerItem(topology, lb));
}

export function loadBalancerItem(topology: Topology, lb: LoadBalancer): ExplorerItem {
  const id = `${SECTION_LOAD_BALANCERS}/${lb.id}`;
  const changes = pendingDomainChangesOf(topology, lb.id);
  const certs = certificateState(
    lb,
    changes.map((c) => c.newCertificate.name),
  );
  const icon: IconSpec =
    certs === 'failed'
      ? { codicon: 'globe', color: RED }
      : certs === 'provisioning'
        ? { codicon: 'globe', color: YELLOW }
        : lb.https
          ? { codicon: 'globe', color: GREEN }
          : { codicon: 'globe' };
  const flags = [
    lb.https ? 'HTTPS' : 'HTTP only',
    lb.httpsRedirect ? 'HTTP→HTTPS' : undefined,
    lb.scheme === 'EXTERNAL' ? 'classic' : undefined,
    certs === 'provisioning' ? 'certificate provisioning' : certs === 'failed' ? 'certificate failed' : undefined,
    ...changes.map((c) =>
      c.ready ? 'domain change ready to finish' : `domain change: ${c.newCertificate.name} ${c.newCertificate.status ?? 'PROVISIONING'}`,
    ),
  ];
  const servedBy = lb.services.map((s) => `${s.name} (${s.regions.map((r) => r.region).join(', ')})`);
  const servingUrlMap = lb.urlMaps.find((m) => !m.redirectOnly) ?? lb.urlMaps[0];
  return {
    id,
    label: lb.name,
    description: [lb.ip, ...flags].filter(Boolean).join(' · '),
    icon,
    expanded: false,
    tooltip: [
      `**${lb.name}** — global ${lb.scheme === 'EXTERNAL' ? 'classic ' : ''}load balancer`,
      `IP: ${lb.ip ?? 'unknown'}${lb.address ? ` (address ${lb.address.name})` : ' (ephemeral)'}`,
      lb.domains.length ? `Domains: ${lb.domains.join(', ')}` : undefined,
      servedBy.length ? `Serves: ${servedBy.join('; ')}` : undefined,
      lb.missing.length ? `⚠ ${lb.missing.length} reference(s) to resources that no longer exist` : undefined,
    ]
      .filter(Boolean)
      .join('\n\n'),
    context: [
      'loadBalancer',
      'delete',
      'addRegion',
      lb.https ? 'changeDomains' : '',
      finishable(topology, lb) ? 'finishDomains' : '',
      lb.ip ? 'copyIp' : '',
      servingUrlMap ? 'console' : '',
      `cert:${certs}`,
      lb.httpsRedirect ? 'redirect:on' : 'redirect:off',
    ].filter(Boolean),
    resource: {
      kind: 'loadBalancer',
      name: lb.name,
      ip: lb.ip,
      loadBalancerId: lb.id,
      consoleUrl: servingUrlMap ? consoleUrl(topology.project, { kind: 'loadBalancer', urlMap: servingUrlMap.name }) : undefined,
    },
    children: () => [
      ...(lb.address
        ? [addressItem(topology, id, lb.address)]
        : lb.ip
          ? [
              {
                id: `${id}/ip`,
                label: lb.ip,
                description: 'ephemeral IP',
                context: ['detail', 'copyIp'],
                icon: { codicon: 'symbol-numeric' },
                resource: { kind: 'ip', name: lb.ip, ip: lb.ip },
              },
            ]
          : []),
      ...lb.rules.map((rule) => ruleItem(topology, id, rule)),
    ],
  };
}

function resourceBase(
  topology: Topology,
  node: { kind: string; id: string; name: string; resource: { selfLink?: string | null } },
  extra: Partial<ResourceRef> = {},
): ResourceRef {
  const kind = node.kind as 'forwardingRule';
  return {
    kind: node.kind,
    id: node.id,
    name: node.name,
    selfLink: node.resource.selfLink ?? undefined,
    json: node.resource,
    consoleUrl: consoleUrl(topology.project, { kind, name: node.name }),
    ...extra,
  };
}

const RESOURCE_TOKENS = ['resource', 'console', 'yaml', 'copyName', 'copySelfLink'];

function addressItem(topology: Topology, parentId: string, address: AddressNode): ExplorerItem {
  return {
    id: `${parentId}/${address.id}`,
    label: address.ip ?? address.name,
    description: `address ${address.name} · ${address.ipVersion === 'IPV6' ? 'IPv6' : 'IPv4'}`,
    icon: { codicon: 'symbol-numeric' },
    context: [...RESOURCE_TOKENS, 'address', address.ip ? 'copyIp' : ''].filter(Boolean),
    resource: resourceBase(topology, address, { ip: address.ip }),
  };
}

function ruleItem(topology: Topology, parentId: string, rule: ForwardingRuleNode): ExplorerItem {
  const id = `${parentId}/${rule.id}`;
  const protocol = rule.targetKind === 'targetHttpsProxy' ? 'HTTPS' : rule.targetKind === 'targetHttpProxy' ? 'HTTP' : rule.targetKind;
  return {
    id,
    label: rule.name,
    description: `${rule.ip ?? ''}:${rule.ports} ${protocol} · ${rule.scheme}`.trim(),
    tooltip: `Forwarding rule **${rule.name}**\n\n${rule.ip}:${rule.ports}, ${rule.scheme}${rule.networkTier ? `, ${rule.networkTier} tier` : ''}`,
    icon: { codicon: 'arrow-right' },
    context: [...RESOURCE_TOKENS, 'forwardingRule', rule.ip ? 'copyIp' : ''].filter(Boolean),
    resource: resourceBase(topology, rule, { ip: rule.ip }),
    children: rule.target ? () => [targetItem(topology, id, rule.target!)] : undefined,
  };
}

function missingItem(parentId: string, node: MissingNode): ExplorerItem {
  return {
    id: `${parentId}/missing/${node.id}`,
    label: node.name,
    description: `${describeNode(node).replace(` ${node.name}`, '')} — does not exist`,
    tooltip: `Referenced as \`${node.ref}\`, but no such resource exists. It was deleted, or never created.`,
    icon: { codicon: 'warning', color: YELLOW },
    context: ['missing', 'copySelfLink'],
    resource: { kind: 'missing', name: node.name, selfLink: node.ref },
  };
}

function unmodelledItem(parentId: string, node: UnmodelledNode): ExplorerItem {
  return {
    id: `${parentId}/other/${node.id}`,
    label: node.name,
    description: describeNode(node).replace(` ${node.name}`, ''),
    tooltip: `\`${node.ref}\` — a resource this extension shows but does not manage.`,
    icon: { codicon: 'question' },
    context: ['unmodelled', 'copySelfLink'],
    resource: { kind: 'unmodelled', name: node.name, selfLink: node.ref },
  };
}

function targetItem(topology: Topology, parentId: string, target: TargetNode): ExplorerItem {
  if (target.kind === 'missing') return missingItem(parentId, target);
  if (target.kind === 'unmodelled') return unmodelledItem(parentId, target);
  const id = `${parentId}/${target.id}`;
  if (target.kind === 'targetHttpProxy') {
    return {
      id,
      label: target.name,
      description: `HTTP proxy${target.redirectOnly ? (target.httpsRedirect ? ' · redirects to HTTPS' : ' · redirects') : ''}`,
      icon: { codicon: 'server-process' },
      context: [...RESOURCE_TOKENS, 'targetHttpProxy'],
      resource: resourceBase(topology, target),
      children: target.urlMap ? () => [urlMapOrMissing(topology, id, target.urlMap!)] : undefined,
    };
  }
  return {
    id,
    label: target.name,
    description: `HTTPS proxy · ${target.certificates.length} certificate${target.certificates.length === 1 ? '' : 's'}${target.certificateMap ? ' · certificate map' : ''}`,
    icon: { codicon: 'server-process' },
    context: [...RESOURCE_TOKENS, 'targetHttpsProxy'],
    resource: resourceBase(topology, target),
    children: () => [
      ...target.certificates.map((c) =>
        c.kind === 'missing' ? missingItem(id, c) : certificateItem(topology, id, c, !!target.certificateMap),
      ),
      ...(target.certificateMap?.kind === 'certificateMap'
        ? [certificateMapItem(topology, id, target.certificateMap)]
        : target.certificateMap?.kind === 'missing'
          ? [missingItem(id, target.certificateMap)]
          : target.certificateMap
            ? [unmodelledItem(id, target.certificateMap)]
            : []),
      ...(target.urlMap ? [urlMapOrMissing(topology, id, target.urlMap)] : []),
    ],
  };
}

export function certificateItem(topology: Topology, parentId: string, cert: CertificateNode, overriddenByMap = false): ExplorerItem {
  const id = `${parentId}/${cert.id}`;
  const status = cert.managed ? (cert.status ?? 'PROVISIONING') : 'SELF_MANAGED';
  const icon: IconSpec = /FAILED/.test(status)
    ? { codicon: 'error', color: RED }
    : status === 'PROVISIONING'
      ? { codicon: 'watch', color: YELLOW }
      : { codicon: 'lock', color: GREEN };
  return {
    id,
    label: cert.name,
    description: `${statusWords(status)}${cert.domains.length ? ` · ${cert.domains.join(', ')}` : ''}${overriddenByMap ? ' · ignored (certificate map set)' : ''}`,
    tooltip: `Certificate **${cert.name}** (${cert.managed ? 'Google-managed' : 'self-managed'}): ${status}${cert.expireTime ? `\n\nExpires ${cert.expireTime}` : ''}`,
    icon,
    context: [...RESOURCE_TOKENS, 'certificate', `cert:${status.toLowerCase()}`],
    resource: resourceBase(topology, cert),
    children: cert.domains.length
      ? () =>
          cert.domains.map((domain) => {
            const state = cert.domainStatus[domain] ?? (cert.managed ? 'PROVISIONING' : 'ACTIVE');
            return {
              id: `${id}/domain/${domain}`,
              label: domain,
              description: statusWords(state),
              context: ['detail', 'domain'],
              icon: /FAILED/.test(state)
                ? { codicon: 'error', color: RED }
                : state === 'ACTIVE'
                  ? { codicon: 'pass', color: GREEN }
                  : { codicon: 'watch', color: YELLOW },
            };
          })
      : undefined,
  };
}

function statusWords(status: string): string {
  return status.toLowerCase().replace(/_/g, ' ');
}

function urlMapOrMissing(topology: Topology, parentId: string, node: UrlMapNode | MissingNode): ExplorerItem {
  return node.kind === 'missing' ? missingItem(parentId, node) : urlMapItem(topology, parentId, node);
}

function urlMapItem(topology: Topology, parentId: string, map: UrlMapNode): ExplorerItem {
  const id = `${parentId}/${map.id}`;
  return {
    id,
    label: map.name,
    description: map.redirectOnly
      ? map.httpsRedirect
        ? 'URL map · redirects to HTTPS'
        : 'URL map · redirects'
      : `URL map · ${map.backends.length} backend${map.backends.length === 1 ? '' : 's'}`,
    icon: { codicon: 'list-tree' },
    context: [...RESOURCE_TOKENS, 'urlMap'],
    resource: resourceBase(topology, map),
    children: () => [
      ...routeItems(topology, `${id}/default`, map.defaultRoute, 'default'),
      ...map.hostRules.map((rule, index) => {
        const ruleId = `${id}/host/${index}`;
        return {
          id: ruleId,
          label: rule.hosts.join(', '),
          description: `hosts → ${rule.pathMatcherName}${rule.pathMatcher ? '' : ' (undefined path matcher)'}`,
          icon: rule.pathMatcher ? { codicon: 'symbol-namespace' } : { codicon: 'warning', color: YELLOW },
          context: ['detail', 'hostRule'],
          children: rule.pathMatcher
            ? () => {
                const matcher = rule.pathMatcher!;
                return [
                  ...routeItems(topology, `${ruleId}/default`, matcher.defaultRoute, 'default'),
                  ...matcher.pathRules.map((pathRule, i) => ({
                    id: `${ruleId}/path/${i}`,
                    label: pathRule.paths.join(', '),
                    description: 'path rule',
                    icon: { codicon: 'symbol-string' },
                    context: ['detail', 'pathRule'],
                    children: () => routeItems(topology, `${ruleId}/path/${i}`, pathRule.route, 'path'),
                  })),
                  ...matcher.routeRules.map((routeRule, i) => ({
                    id: `${ruleId}/route/${i}`,
                    label: routeRule.description ?? `route rule ${routeRule.priority ?? i}`,
                    description: 'route rule',
                    icon: { codicon: 'symbol-event' },
                    context: ['detail', 'routeRule'],
                    children: () => routeItems(topology, `${ruleId}/route/${i}`, routeRule.route, 'route'),
                  })),
                ];
              }
            : undefined,
        } satisfies ExplorerItem;
      }),
    ],
  };
}

function routeItems(topology: Topology, parentId: string, route: Route, role: string): ExplorerItem[] {
  const items: ExplorerItem[] = route.backends.map((b) =>
    backendItem(
      topology,
      parentId,
      b.backend,
      [
        role === 'default' ? 'default' : undefined,
        b.role === 'weighted' ? `weight ${b.weight}` : b.role === 'mirror' ? 'mirror' : b.role === 'errors' ? 'errors' : undefined,
      ]
        .filter(Boolean)
        .join(', '),
    ),
  );
  if (route.redirect) {
    const r = route.redirect;
    items.push({
      id: `${parentId}/redirect`,
      label: r.httpsRedirect ? 'Redirect to HTTPS' : 'Redirect',
      icon: { codicon: 'arrow-swap' },
      context: ['detail'],
      description:
        [r.hostRedirect, r.pathRedirect ?? r.prefixRedirect, r.responseCode?.replace(/_/g, ' ').toLowerCase()]
          .filter(Boolean)
          .join(' · ') || undefined,
    });
  }
  return items;
}

function backendItem(topology: Topology, parentId: string, node: BackendNode, note: string): ExplorerItem {
  if (node.kind === 'missing') return missingItem(parentId, node);
  if (node.kind === 'backendBucket') return backendBucketItem(topology, parentId, node, note);
  return backendServiceItem(topology, parentId, node, note);
}

function backendBucketItem(topology: Topology, parentId: string, bucket: BackendBucketNode, note: string): ExplorerItem {
  return {
    id: `${parentId}/${bucket.id}`,
    label: bucket.name,
    description: ['backend bucket', bucket.bucketName && `gs://${bucket.bucketName}`, bucket.cdn && 'CDN', note]
      .filter(Boolean)
      .join(' · '),
    icon: { codicon: 'archive' },
    context: [...RESOURCE_TOKENS, 'backendBucket'],
    resource: resourceBase(topology, bucket),
  };
}

function backendServiceItem(topology: Topology, parentId: string, service: BackendServiceNode, note: string): ExplorerItem {
  const id = `${parentId}/${service.id}`;
  return {
    id,
    label: service.name,
    description: [
      'backend service',
      service.scheme,
      service.cdn ? 'CDN on' : 'CDN off',
      service.securityPolicy && `Cloud Armor ${service.securityPolicy.split('/').pop()}`,
      note,
    ]
      .filter(Boolean)
      .join(' · '),
    icon: { codicon: 'server' },
    context: [...RESOURCE_TOKENS, 'backendService'],
    resource: resourceBase(topology, service),
    children: () => [
      ...(service.securityPolicy ? [securityPolicyItem(topology, id, service.securityPolicy)] : []),
      ...(service.groups.length
        ? service.groups.map((group) =>
            group.kind === 'missing'
              ? missingItem(id, group)
              : group.kind === 'unmodelled'
                ? unmodelledItem(id, group)
                : negItem(topology, id, group),
          )
        : [placeholder(id, 'No backends')]),
    ],
  };
}

/** The Cloud Armor policy a backend service names: the policy itself is read only on demand, so the row holds its link. */
function securityPolicyItem(topology: Topology, parentId: string, policy: string): ExplorerItem {
  const name = policy.split('/').pop() ?? policy;
  return {
    id: `${parentId}/securityPolicy/${name}`,
    label: name,
    description: 'Cloud Armor policy',
    tooltip: `Cloud Armor security policy **${name}**: its rules are checked before requests reach this backend service.`,
    icon: { codicon: 'shield' },
    context: ['resource', 'console', 'copyName', 'copySelfLink', 'securityPolicy'],
    resource: {
      kind: 'securityPolicy',
      name,
      selfLink: policy,
      consoleUrl: consoleUrl(topology.project, { kind: 'securityPolicy', name }),
    },
  };
}

export function negItem(topology: Topology, parentId: string, neg: NetworkEndpointGroupNode): ExplorerItem {
  const id = `${parentId}/${neg.id}`;
  const where = neg.region ?? neg.zone ?? 'global';
  const what = neg.cloudRun ? `Cloud Run ${neg.cloudRun.service ?? '(by URL mask)'}` : (neg.otherTarget ?? neg.endpointType);
  const unknown = neg.runService?.kind === 'missing' && (topology as ExplorerTopology).servicesUnavailable;
  const run = unknown ? undefined : neg.runService;
  return {
    id,
    label: neg.name,
    description: `${where} · ${neg.endpointType.toLowerCase()} · ${what}${run?.kind === 'missing' ? ' (not deployed there)' : unknown ? ' (unknown: Cloud Run services could not be listed)' : ''}`,
    icon: run?.kind === 'missing' ? { codicon: 'warning', color: YELLOW } : { codicon: 'location' },
    context: [...RESOURCE_TOKENS, 'networkEndpointGroup'],
    resource: {
      ...resourceBase(topology, neg),
      region: neg.region,
      consoleUrl: consoleUrl(topology.project, { kind: 'networkEndpointGroup', name: neg.name, region: neg.region, zone: neg.zone }),
    },
    children: run
      ? () => [
          run.kind === 'missing'
            ? {
                ...missingItem(id, run),
                description: `Cloud Run service — not deployed in ${where}`,
                tooltip: `No Cloud Run service ${run.name} exists in ${where}: this region serves errors. Deploy it there, or remove the NEG.`,
              }
            : serviceItem(id, run.service, topology),
        ]
      : undefined,
  };
}

// ---------------------------------------------------------------- unattached

export function unattachedItems(topology: Topology): ExplorerItem[] {
  const u = topology.unattached;
  const groups: [string, string, ExplorerItem[]][] = [
    ['addresses', 'Addresses', u.addresses.map((a) => addressItem(topology, `${SECTION_UNATTACHED}/addresses`, a))],
    ['certificates', 'Certificates', u.sslCertificates.map((c) => certificateItem(topology, `${SECTION_UNATTACHED}/certificates`, c))],
    ['proxies', 'Target proxies', u.targetProxies.map((p) => targetItem(topology, `${SECTION_UNATTACHED}/proxies`, p))],
    ['urlMaps', 'URL maps', u.urlMaps.map((m) => urlMapItem(topology, `${SECTION_UNATTACHED}/urlMaps`, m))],
    [
      'backendServices',
      'Backend services',
      u.backendServices.map((b) => backendServiceItem(topology, `${SECTION_UNATTACHED}/backendServices`, b, '')),
    ],
    [
      'backendBuckets',
      'Backend buckets',
      u.backendBuckets.map((b) => backendBucketItem(topology, `${SECTION_UNATTACHED}/backendBuckets`, b, '')),
    ],
    ['negs', 'Network endpoint groups', u.networkEndpointGroups.map((n) => negItem(topology, `${SECTION_UNATTACHED}/negs`, n))],
  ];
  return groups
    .filter(([, , items]) => items.length)
    .map(([key, label, items]) => ({
      id: `${SECTION_UNATTACHED}/${key}`,
      label,
      description: String(items.length),
      context: ['group'],
      icon: { codicon: 'folder' },
      // Only these rows, not their children (which a load balancer may use), offer Delete.
      children: () => items.map((item) => ({ ...item, context: [...item.context, 'unattached'] })),
    }));
}

export function unattachedCount(topology: Topology): number {
  return Object.values(topology.unattached).reduce((n, list) => n + list.length, 0);
}
