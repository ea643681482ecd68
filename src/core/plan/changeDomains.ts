// Change Domains on a load balancer that exists. Managed certificates cannot be edited, so the plan
// creates a certificate for the new domain list and attaches it to the HTTPS proxy beside the old
// ones; the proxy serves the old until the new one is ACTIVE. The finish step (a separate use case,
// offered once the new certificate is ACTIVE) detaches and deletes the old ones. The new
// certificate's description names what it replaces, so a pending change is found in the live state
// after a reload, or after the exported script ran. Pure: no I/O.
import { MAX_CERTIFICATES_PER_PROXY } from '../kinds/targetHttpsProxy';
import { lastPart, normalizeRef } from '../gcp/refs';
import type { Inventory, SslCertificate } from '../gcp/types';
import { buildTopology } from '../topology/build';
import type { CertificateNode, Topology } from '../topology/model';
import { criticalPath, globalRef, judgeSteps } from './build';
import { shellQuote, type GcloudCommand } from './shell';
import { canonicalDomains, certificateName, deriveNames, isResourceName } from './names';
import type { ChangeDomainsRequest, DomainChange, Plan, PlanStep, ValidationIssue } from './types';
import { checkDomains, checkProject } from './validate';

const HTTPS_PROXY_SUFFIX = /-https-proxy$/;
const REPLACES = /^Replaces ([-a-z0-9, ]+) on target HTTPS proxy ([a-z](?:[-a-z0-9]*[a-z0-9])?)\./;

/** The new certificate's description: what the finish step removes, readable in the console too. */
export function replacementDescription(httpsProxy: string, oldCertificates: readonly string[]): string {
  return `Replaces ${oldCertificates.join(', ')} on target HTTPS proxy ${httpsProxy}. Once this certificate is ACTIVE, detach and delete those (Finish Domain Change).`;
}

/** What a certificate's description says it replaces, when it says so. */
export function replacementOf(description: string | null | undefined): { httpsProxy: string; certificates: string[] } | undefined {
  const match = REPLACES.exec(description ?? '');
  if (!match) return undefined;
  const certificates = match[1]
    .split(',')
    .map((c) => c.trim())
    .filter(isResourceName);
  return certificates.length ? { httpsProxy: match[2], certificates } : undefined;
}

/** The domains a certificate covers: managed ones as asked, uploaded ones as their SAN list says. */
export function certificateDomains(certificate: SslCertificate): string[] {
  return certificate.managed?.domains ?? certificate.subjectAlternativeNames ?? [];
}

/** Lower case, no trailing dot, no duplicates, in the order given. */
function cleanDomains(domains: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of domains.map((x) => x.trim().toLowerCase().replace(/\.$/, ''))) if (d && !out.includes(d)) out.push(d);
  return out;
}

/** The base of derived names: the proxy's name without its `-https-proxy` suffix. */
export function changeDomainsBase(httpsProxy: string): string {
  return httpsProxy.replace(HTTPS_PROXY_SUFFIX, '') || httpsProxy;
}

/**
 * Field checks, then checks against what exists: the proxy must exist, serve its own certificates
 * (not a certificate map), and the domains must differ from what its certificates cover today.
 */
export function validateChangeDomainsRequest(request: ChangeDomainsRequest, inventory?: Inventory): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string | undefined) => {
    if (message) issues.push({ field, message });
  };
  add('project', checkProject(request.project));
  if (!isResourceName(request.httpsProxy))
    add('httpsProxy', `"${request.httpsProxy}" is not the name of a target HTTPS proxy; pick the load balancer in the explorer.`);
  issues.push(...checkDomains(request.domains));
  if (request.certificate !== undefined && !isResourceName(request.certificate)) {
    add(
      'certificate',
      `"${request.certificate}" is not a valid certificate name: lower-case letters, digits and hyphens, starting with a letter, at most 63.`,
    );
  }
  if (!inventory || issues.length) return issues;
  const proxy = inventory.targetHttpsProxies.find((p) => p.name === request.httpsProxy);
  if (!proxy) {
    add(
      'httpsProxy',
      `Target HTTPS proxy ${request.httpsProxy} does not exist in ${request.project}. Refresh the explorer and pick the load balancer again.`,
    );
    return issues;
  }
  if (proxy.certificateMap) {
    add(
      'httpsProxy',
      `Target HTTPS proxy ${request.httpsProxy} serves certificate map ${lastPart(proxy.certificateMap)}, which overrides its certificates: change the domains in Certificate Manager instead.`,
    );
  }
  const attached = (proxy.sslCertificates ?? []).map((ref) =>
    inventory.sslCertificates.find(
      (c) =>
        normalizeRef(c.selfLink ?? globalRef(request.project, 'sslCertificates', c.name ?? ''), request.project) ===
        normalizeRef(ref, request.project),
    ),
  );
  const wanted = canonicalDomains(request.domains).join(',');
  const same = attached.find((c) => c && canonicalDomains(certificateDomains(c)).join(',') === wanted);
  if (same && attached.length === 1) {
    add(
      'domains',
      `${request.httpsProxy} already serves exactly these domains with certificate ${same.name}. Enter the domain list you want instead.`,
    );
  }
  return issues;
}

/** The plan: create the new certificate, then attach it beside the old ones. */
export function buildChangeDomainsPlan(request: ChangeDomainsRequest, inventory: Inventory): Plan {
  const { project } = request;
  const domains = cleanDomains(request.domains);
  const proxy = inventory.targetHttpsProxies.find((p) => p.name === request.httpsProxy);
  const oldRefs = proxy?.sslCertificates ?? [];
  const oldNames = oldRefs.map(lastPart);
  const oldCertificates = oldNames.map((name) => inventory.sslCertificates.find((c) => c.name === name));
  const previousDomains = cleanDomains(oldCertificates.flatMap((c) => (c ? certificateDomains(c) : [])));
  const base = changeDomainsBase(request.httpsProxy);
  const certificate = request.certificate ?? certificateName(base, domains);
  const urlMap = lastPart(proxy?.urlMap);
  const newRef = globalRef(project, 'sslCertificates', certificate);
  // The proxy keeps the old certificates first, so clients without SNI keep getting the old one until the finish step.
  const certificates = [...oldRefs.map((r) => globalRef(project, 'sslCertificates', lastPart(r))).filter((r) => r !== newRef), newRef];

  const drafts: PlanStep[] = [
    {
      id: 'cert',
      kind: 'sslCertificate',
      collection: 'sslCertificates',
      name: certificate,
      action: 'create',
      dependsOn: [],
      body: {
        name: certificate,
        type: 'MANAGED',
        managed: { domains },
        description: replacementDescription(
          request.httpsProxy,
          oldNames.filter((n) => n !== certificate),
        ),
      },
    },
    {
      id: 'attach-cert',
      kind: 'attachCertificate',
      collection: 'targetHttpsProxies',
      name: request.httpsProxy,
      action: 'create',
      dependsOn: ['cert'],
      body: { certificate: newRef, sslCertificates: certificates, urlMap: globalRef(project, 'urlMaps', urlMap) },
      serializeWith: `targetHttpsProxies/${request.httpsProxy}`,
    },
  ];
  const steps = judgeSteps(drafts, inventory, '');
  const attach = steps[1];
  if (!proxy) {
    attach.action = 'conflict';
    attach.differences = [`target HTTPS proxy ${request.httpsProxy} does not exist`];
    attach.note = 'Change the domains of a load balancer that exists: refresh the explorer and pick it again.';
  } else if (proxy.certificateMap) {
    attach.action = 'conflict';
    attach.differences = [`target HTTPS proxy ${request.httpsProxy} serves certificate map ${lastPart(proxy.certificateMap)}`];
    attach.note =
      "A certificate map overrides the proxy's certificates, so a new certificate here would not be served. Change the domains in Certificate Manager.";
  } else if (attach.action === 'update' && oldRefs.length + 1 > MAX_CERTIFICATES_PER_PROXY) {
    attach.action = 'conflict';
    attach.differences = [
      `target HTTPS proxy ${request.httpsProxy} holds ${oldRefs.length} certificates; Google allows at most ${MAX_CERTIFICATES_PER_PROXY}`,
    ];
    attach.note = `There is no room for the new certificate. Finish (or undo) a pending domain change, or detach a certificate the load balancer no longer needs (gcloud compute target-https-proxies update ${request.httpsProxy} --ssl-certificates=…), then plan again.`;
  }
  if (steps[0].action === 'conflict') {
    steps[0].note = `A certificate named ${certificate} already exists with other settings. Name the new certificate yourself (the "certificate" argument), or delete the existing one if nothing uses it.`;
  }

  const topology = buildTopology(inventory);
  const proxyId = proxy ? normalizeRef(proxy.selfLink ?? globalRef(project, 'targetHttpsProxies', request.httpsProxy), project) : undefined;
  const lb = proxyId ? topology.loadBalancers.find((l) => (topology.usedBy.get(proxyId) ?? []).includes(l.id)) : undefined;
  const warnings: string[] = [];
  const added = domains.filter((d) => !previousDomains.includes(d));
  const dropped = previousDomains.filter((d) => !domains.includes(d));
  if (added.length) {
    warnings.push(
      `${certificate} becomes ACTIVE only once the DNS A record${added.length === 1 ? '' : 's'} of ${added.join(', ')} point${added.length === 1 ? 's' : ''} at ${lb?.ip ?? "the load balancer's IP"}; until then the old certificate keeps serving.`,
    );
  }
  if (dropped.length)
    warnings.push(`${dropped.join(', ')} will no longer be served once the change is finished (the old certificate is then removed).`);
  const uploaded = oldCertificates.filter((c) => c && c.type === 'SELF_MANAGED').map((c) => c!.name);
  if (uploaded.length)
    warnings.push(
      `The finish step also detaches and deletes the uploaded certificate${uploaded.length === 1 ? '' : 's'} ${uploaded.join(', ')}.`,
    );
  const pending = topology && proxy ? pendingDomainChanges(topology).filter((p) => p.httpsProxy === request.httpsProxy) : [];
  for (const p of pending) {
    if (p.newCertificate.name === certificate) continue;
    warnings.push(`${p.newCertificate.name} from an earlier change is not finished yet; this certificate replaces it too.`);
  }
  if (attach.action === 'exists')
    warnings.push(
      `${certificate} is already attached to ${request.httpsProxy}: there is nothing to apply. Finish the change once it is ACTIVE.`,
    );

  const services = lb?.services ?? [];
  const domainChange: DomainChange = {
    httpsProxy: request.httpsProxy,
    urlMap,
    oldCertificates: oldNames.filter((n) => n !== certificate),
    newCertificate: certificate,
    previousDomains,
  };
  return {
    purpose: 'changeDomains',
    project,
    service: services[0]?.name ?? base,
    regions: [...new Set(services.flatMap((s) => s.regions.map((r) => r.region)))].sort(),
    domains,
    options: {
      cdn: lb?.backendServices.some((b) => b.cdn) ?? false,
      httpsRedirect: lb?.httpsRedirect ?? false,
      ipv6: false,
      cloudDns: false,
      certificateManager: false,
    },
    names: { ...deriveNames(base), certificate, httpsProxy: request.httpsProxy, urlMap: urlMap || deriveNames(base).urlMap },
    steps,
    applicable: steps.every((s) => s.action !== 'conflict'),
    criticalPath: criticalPath(steps),
    warnings,
    knownIp: lb?.ip,
    domainChange,
  };
}

/** A change whose new certificate is attached beside the ones it replaces. */
export interface PendingDomainChange {
  /** The load balancer whose proxy it is, when one serves it. */
  loadBalancerId?: string;
  httpsProxy: string;
  newCertificate: CertificateNode;
  /** Those it replaces that are still on the proxy. */
  oldCertificates: string[];
  /** The new certificate is ACTIVE: finishing is safe. */
  ready: boolean;
}

const pendingByTopology = new WeakMap<Topology, Map<string | undefined, PendingDomainChange[]>>();

/** The pending changes of one load balancer: the project's are found once per topology (an explorer of 1,000 asks 1,000 times). */
export function pendingDomainChangesOf(topology: Topology, loadBalancerId: string): PendingDomainChange[] {
  let byLoadBalancer = pendingByTopology.get(topology);
  if (!byLoadBalancer) {
    byLoadBalancer = new Map();
    for (const change of pendingDomainChanges(topology))
      byLoadBalancer.set(change.loadBalancerId, [...(byLoadBalancer.get(change.loadBalancerId) ?? []), change]);
    pendingByTopology.set(topology, byLoadBalancer);
  }
  return byLoadBalancer.get(loadBalancerId) ?? [];
}

/** Every pending change in the project, found from the certificates' descriptions. */
export function pendingDomainChanges(topology: Topology): PendingDomainChange[] {
  const changes: PendingDomainChange[] = [];
  for (const node of topology.nodes.values()) {
    if (node.kind !== 'targetHttpsProxy') continue;
    const attached = node.certificates.filter((c): c is CertificateNode => c.kind === 'sslCertificate');
    const names = new Set(node.certificates.map((c) => c.name));
    const found = attached.flatMap((certificate) => {
      const replaces = replacementOf(certificate.resource.description);
      if (!replaces || replaces.httpsProxy !== node.name) return [];
      const old = replaces.certificates.filter((n) => n !== certificate.name && names.has(n));
      return old.length ? [{ certificate, old }] : [];
    });
    // A change planned over an unfinished one replaces it too: offer the latest only.
    const superseded = new Set(found.flatMap((f) => f.old));
    for (const { certificate, old } of found) {
      if (superseded.has(certificate.name)) continue;
      changes.push({
        loadBalancerId: topology.usedBy.get(node.id)?.[0],
        httpsProxy: node.name,
        newCertificate: certificate,
        oldCertificates: old,
        ready: certificate.managed ? certificate.status === 'ACTIVE' : true,
      });
    }
  }
  return changes;
}

/** The gcloud commands of the finish step: keep only the new certificate on the proxy, then delete the old ones. */
export function finishCommands(
  change: Pick<DomainChange, 'httpsProxy' | 'newCertificate' | 'oldCertificates'>,
  project: string,
): GcloudCommand[] {
  return [
    {
      command: ['gcloud', 'compute', 'target-https-proxies', 'update', change.httpsProxy],
      flags: [`--ssl-certificates=${change.newCertificate}`, '--global', `--project=${project}`],
    },
    ...(change.oldCertificates.length
      ? [
          {
            command: ['gcloud', 'compute', 'ssl-certificates', 'delete', ...change.oldCertificates],
            flags: ['--global', '--quiet', `--project=${project}`],
          },
        ]
      : []),
  ];
}

/** The gcloud test that the new certificate is ACTIVE, which the finish step waits for. */
export function activeCheck(certificate: string, project: string): string {
  return `test "$(gcloud compute ssl-certificates describe ${shellQuote(certificate)} --global --project=${project} --format='value(managed.status)')" = ACTIVE`;
}
