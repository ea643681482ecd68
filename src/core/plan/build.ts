// Request + live inventory → the step graph: what to create, what exists already (adopted), what
// needs a change, and what conflicts. Pure: no I/O.
import { normalizeRef } from '../gcp/refs';
import { isCertificateManagerStep, stepCollection, stepForm, stepLabel } from '../kinds/registry';
import type { ComputeKind, ComputeResources } from '../gcp/compute';
import type { BackendService, Inventory } from '../gcp/types';
import { buildTopology } from '../topology/build';
import { frontingOf } from '../topology/queries';
import { dnsRecordSteps } from './dnsRecords';
import { certificateManagerGuidance, liveCertificateManagerResource } from './certificateMap';
import { certificateManagerDifferences, resourceDifferences, withAddressIp } from './differences';
import { canonicalDomains, deriveNames, negName } from './names';
import { CHOICE_OPTIONS, GLOBALIZE_OPTIONS, resolveOptions } from './options';
import type {
  AddRegionRequest,
  GlobalizeChoices,
  GlobalizeOptions,
  GlobalizeRequest,
  Plan,
  PlanStep,
  ResourceNames,
  StepBuilder,
} from './types';

const LOCATION_LABEL = 'cloud.googleapis.com/location';
const SCHEME = 'EXTERNAL_MANAGED';

export const globalRef = (project: string, collection: ComputeKind, name: string) => `projects/${project}/global/${collection}/${name}`;
export const negRef = (project: string, region: string, name: string) =>
  `projects/${project}/regions/${region}/networkEndpointGroups/${name}`;

/** A proxy step that conflicts only by its certificates: the load balancer serves other domains (a domain change). */
export function servesOtherDomains(step: PlanStep): boolean {
  return (
    step.action === 'conflict' && step.kind === 'targetHttpsProxy' && (step.differences ?? []).every((d) => d.startsWith('sslCertificates'))
  );
}

/** What an invoker step grants: anyone may call the service, as a load balancer without IAP needs. */
export const PUBLIC_INVOKER = { role: 'roles/run.invoker', member: 'allUsers' } as const;

/**
 * Whether the regions a plan deploys get public access, and why: the same access the regions where
 * the service already runs have. A service that runs nowhere yet gets it (a load balancer without IAP
 * needs it, as `gcloud run deploy --allow-unauthenticated` gives it); so does one whose policy could
 * not be read. A service that is private where it runs stays private (a warning says what follows).
 */
export function sourceAccess(
  inventory: Pick<Inventory, 'services' | 'invokers'>,
  service: string,
  deployRegions: readonly string[],
): { grant: boolean; reason: string } {
  const sources = inventory.services.filter((s) => s.name === service && !deployRegions.includes(s.region));
  if (!sources.length)
    return { grant: true, reason: `${service} runs nowhere yet; a load balancer without IAP needs roles/run.invoker for allUsers.` };
  const known = sources.map((s) => ({ s, access: inventory.invokers?.get(s.resourceName) })).filter((x) => x.access && !x.access.error);
  const publicSource = known.find((x) => x.access?.public);
  if (publicSource)
    return { grant: true, reason: `The same public access as ${service} in ${publicSource.s.region} (roles/run.invoker for allUsers).` };
  if (known.length) {
    return {
      grant: false,
      reason: `${service} is not public in ${known.map((x) => x.s.region).join(', ')}; the new region stays private like it, and requests through the load balancer get 403 there unless IAP fronts it.`,
    };
  }
  return {
    grant: true,
    reason: `Public access (roles/run.invoker for allUsers): the policy of ${service} in ${sources.map((s) => s.region).join(', ')} could not be read, and a load balancer without IAP needs it.`,
  };
}

/** The invoker steps for the regions a plan deploys, when the source grants public access. */
function invokerSteps(
  inventory: Pick<Inventory, 'services' | 'invokers'>,
  service: string,
  deployRegions: readonly string[],
  warnings: string[],
): PlanStep[] {
  if (!deployRegions.length) return [];
  const access = sourceAccess(inventory, service, deployRegions);
  if (!access.grant) {
    warnings.push(access.reason);
    return [];
  }
  return deployRegions.map((region) =>
    step({
      id: `invoker:${region}`,
      kind: 'invokerBinding',
      name: service,
      region,
      body: { ...PUBLIC_INVOKER },
      dependsOn: [`deploy:${region}`],
      note: access.reason,
    }),
  );
}

type Draft = Omit<PlanStep, 'action' | 'collection'>;

function step(draft: Draft): PlanStep {
  return { ...draft, collection: stepCollection(draft.kind) as PlanStep['collection'], action: 'create' };
}

/** The Knative manifest as it will be deployed to one region: the project as namespace, the region as label. */
export function manifestForRegion(manifest: Record<string, unknown>, project: string, region: string): Record<string, unknown> {
  const metadata = (manifest.metadata ?? {}) as Record<string, unknown>;
  const labels = (metadata.labels ?? {}) as Record<string, string>;
  return { ...manifest, metadata: { ...metadata, namespace: project, labels: { ...labels, [LOCATION_LABEL]: region } } };
}

export function resolveNames(request: Pick<GlobalizeRequest, 'service' | 'regions' | 'domains' | 'names'>): ResourceNames {
  const derived = deriveNames(request.service, { regions: request.regions, domains: request.domains });
  const { networkEndpointGroups, ...rest } = request.names ?? {};
  return { ...derived, ...rest, networkEndpointGroups: { ...derived.networkEndpointGroups, ...(networkEndpointGroups ?? {}) } };
}

/** Lower case, no trailing dot, no duplicates, in the order given. */
function normalizeDomains(domains: readonly string[]): string[] {
  const canonical = new Set(canonicalDomains(domains));
  const out: string[] = [];
  for (const d of domains.map((x) => x.trim().toLowerCase().replace(/\.$/, ''))) if (canonical.has(d) && !out.includes(d)) out.push(d);
  return out;
}

/** The steps of a full "make global", before looking at what exists. */
function globalizeSteps(
  project: string,
  service: string,
  regions: string[],
  domains: string[],
  options: GlobalizeOptions,
  choices: GlobalizeChoices,
  names: ResourceNames,
  deploy?: GlobalizeRequest['deploy'],
): PlanStep[] {
  const g = (collection: ComputeKind, name: string) => globalRef(project, collection, name);
  const steps: PlanStep[] = [];
  const deployRegions = new Set(deploy?.regions ?? []);
  for (const region of regions) {
    if (deploy && deployRegions.has(region)) {
      steps.push(
        step({
          id: `deploy:${region}`,
          kind: 'deployService',
          name: service,
          region,
          body: manifestForRegion(deploy.manifest, project, region),
          dependsOn: [],
        }),
      );
    }
  }
  for (const region of regions) {
    steps.push(
      step({
        id: `neg:${region}`,
        kind: 'networkEndpointGroup',
        name: names.networkEndpointGroups[region],
        region,
        body: { name: names.networkEndpointGroups[region], networkEndpointType: 'SERVERLESS', cloudRun: { service } },
        dependsOn: deployRegions.has(region) ? [`deploy:${region}`] : [],
      }),
    );
  }
  // Serverless NEG backends take no health check, timeout, port name or balancing mode: Google's defaults only.
  steps.push(
    step({
      id: 'backend',
      kind: 'backendService',
      name: names.backendService,
      body: { name: names.backendService, loadBalancingScheme: SCHEME },
      dependsOn: [],
    }),
  );
  for (const region of regions) {
    steps.push(
      step({
        id: `add-backend:${region}`,
        kind: 'addBackend',
        name: names.backendService,
        region,
        body: { group: negRef(project, region, names.networkEndpointGroups[region]) },
        dependsOn: [`neg:${region}`, 'backend'],
        serializeWith: `backendServices/${names.backendService}`,
      }),
    );
  }
  steps.push(
    step({
      id: 'url-map',
      kind: 'urlMap',
      name: names.urlMap,
      body: { name: names.urlMap, defaultService: g('backendServices', names.backendService) },
      dependsOn: ['backend'],
    }),
  );
  steps.push(
    step({
      id: 'cert',
      kind: 'sslCertificate',
      name: names.certificate,
      body: { name: names.certificate, type: 'MANAGED', managed: { domains } },
      dependsOn: [],
    }),
  );
  steps.push(
    step({
      id: 'https-proxy',
      kind: 'targetHttpsProxy',
      name: names.httpsProxy,
      body: { name: names.httpsProxy, urlMap: g('urlMaps', names.urlMap), sslCertificates: [g('sslCertificates', names.certificate)] },
      dependsOn: ['url-map', 'cert'],
    }),
  );
  steps.push(
    step({ id: 'address', kind: 'address', name: names.address, body: { name: names.address, ipVersion: 'IPV4' }, dependsOn: [] }),
  );
  const builder: StepBuilder = {
    names,
    options,
    choices,
    steps,
    ref: g,
    project,
    domains,
    add: (draft) => steps.push(step(draft)),
    rule: (id, name, port, proxy, address) =>
      steps.push(
        step({
          id,
          kind: 'forwardingRule',
          name,
          body: {
            name,
            IPAddress: g('addresses', address.name),
            IPProtocol: 'TCP',
            portRange: `${port}-${port}`,
            target: g(proxy.collection, proxy.name),
            loadBalancingScheme: SCHEME,
          },
          dependsOn: [proxy.step, address.step],
        }),
      ),
  };
  builder.rule(
    'https-rule',
    names.httpsRule,
    '443',
    { step: 'https-proxy', collection: 'targetHttpsProxies', name: names.httpsProxy },
    { step: 'address', name: names.address },
  );
  for (const option of GLOBALIZE_OPTIONS) option.build(builder, options[option.key]);
  for (const choice of CHOICE_OPTIONS) {
    const picked = choices[choice.key];
    if (picked) choice.build(builder, picked);
  }
  return steps;
}

/** Looks up live resources by name (NEGs by name and region). */
class LiveState {
  constructor(readonly inventory: Inventory) {}

  find<K extends ComputeKind>(collection: K, name: string, region?: string): ComputeResources[K] | undefined {
    const list = (this.inventory as unknown as Record<string, ComputeResources[K][]>)[collection] ?? [];
    return list.find(
      (r) =>
        (r as { name?: string | null }).name === name &&
        (!region || ((r as { region?: string | null }).region ?? '').split('/').pop() === region),
    );
  }

  serviceRuns(service: string, region: string): boolean {
    return this.inventory.services.some((s) => s.name === service && s.region === region);
  }
}

const REMEDY = 'Choose another name for it, or delete the existing resource if nothing uses it.';

/**
 * The one place that judges planned steps against what exists: each step's action (create, exists,
 * update, conflict) with what differs. Planning and Apply's preflight both come here.
 */
export function judgeSteps(steps: readonly PlanStep[], inventory: Inventory, service: string): PlanStep[] {
  const judged = steps.map((s) => ({ ...s, action: 'create' as const, differences: undefined, note: undefined }) as PlanStep);
  diffAgainst(judged, new LiveState(inventory), inventory.project, service);
  return judged;
}

/** Sets each step's action from the live state. */
function diffAgainst(steps: PlanStep[], live: LiveState, project: string, service: string): void {
  const ipOf = (name: string) => live.find('addresses', name)?.address ?? undefined;
  for (const s of steps) {
    if (s.kind === 'dnsRecord') continue; // judged against Cloud DNS by dnsRecordSteps
    if (s.kind === 'deployService') {
      if (live.serviceRuns(service, s.region ?? '')) {
        s.action = 'exists';
        s.note = `${service} already runs in ${s.region}; it is not redeployed.`;
      }
      continue;
    }
    if (s.kind === 'addBackend') {
      diffAddBackend(s, live.find('backendServices', s.name), project);
      continue;
    }
    const judge = stepForm(s.kind).judge;
    if (judge) {
      Object.assign(s, judge(s, live.inventory, project));
      continue;
    }
    if (isCertificateManagerStep(s)) {
      const found = liveCertificateManagerResource(s, project, live.inventory.certificateManager);
      const diff = found ? certificateManagerDifferences(s, found, project) : [];
      if (found) s.action = diff.length ? 'conflict' : 'exists';
      if (diff.length) {
        s.differences = diff;
        s.note = `A ${label(s)} named ${s.name} already exists with other settings. ${REMEDY}`;
      }
      continue;
    }
    const existing = live.find(s.collection as ComputeKind, s.name, s.region);
    if (!existing) continue;
    const wanted = s.kind === 'forwardingRule' ? withAddressIp(s.body, ipOf) : s.body;
    const diff = resourceDifferences(s, wanted, existing, project);
    if (diff.length) {
      s.action = 'conflict';
      s.differences = diff;
      s.note = servesOtherDomains(s)
        ? `Target HTTPS proxy ${s.name} serves other certificates: the load balancer has other domains. Managed certificates cannot be edited; use "Change Domains…" on this load balancer, which puts a certificate for the new domains beside the old one and removes the old one once the new one is ACTIVE.`
        : `A ${label(s)} named ${s.name} already exists with other settings. ${REMEDY}`;
    } else {
      s.action = 'exists';
    }
  }
  // A new rule on an existing address must not take a port another rule already serves there.
  for (const s of steps) {
    if (s.kind !== 'forwardingRule' || s.action !== 'create') continue;
    const wanted = withAddressIp(s.body, ipOf);
    const ip = wanted.IPAddress;
    if (typeof ip !== 'string' || ip.includes('/')) continue;
    const clash = live.inventory.forwardingRules.find(
      (r) => r.name !== s.name && r.IPAddress === ip && samePort(r.portRange, String(s.body.portRange)),
    );
    if (clash) {
      s.action = 'conflict';
      s.differences = [`${ip} already serves port ${String(s.body.portRange).split('-')[0]} through forwarding rule ${clash.name}`];
      s.note = `The address's IP is taken on that port. Choose another address name (a new IP), or delete forwarding rule ${clash.name}.`;
    }
  }
}

function samePort(a: string | null | undefined, b: string): boolean {
  const first = (x: string) => x.split('-')[0];
  return !!a && first(a) === first(b);
}

function diffAddBackend(s: PlanStep, backend: BackendService | undefined, project: string): void {
  if (!backend) return; // created by this plan: attaching is part of the creation
  const group = String(s.body.group);
  const backends = backend.backends ?? [];
  if (backends.some((b) => b.group && normalizeRef(b.group, project) === normalizeRef(group, project))) {
    s.action = 'exists';
    return;
  }
  const sameRegion = backends.find(
    (b) => b.group && (normalizeRef(b.group, project) ?? '').includes(`/regions/${s.region}/networkEndpointGroups/`),
  );
  if (sameRegion) {
    s.action = 'conflict';
    s.differences = [`backend service ${s.name} already has network endpoint group ${sameRegion.group?.split('/').pop()} in ${s.region}`];
    s.note = `Google allows one serverless NEG per region in a backend service. Use that NEG's name, or remove it from ${s.name} first.`;
    return;
  }
  s.action = 'update';
}

function label(s: PlanStep): string {
  return stepLabel(s.kind);
}

/** The longest chain of steps that do work (adopted steps cost nothing), first-planned on ties. */
export function criticalPath(steps: readonly PlanStep[]): string[] {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const length = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  for (const s of steps) {
    let best: string | undefined;
    for (const d of s.dependsOn) if (index.has(d) && (best === undefined || length.get(d)! > length.get(best)!)) best = d;
    length.set(s.id, (best ? length.get(best)! : 0) + (s.action === 'exists' ? 0 : 1));
    via.set(s.id, best);
  }
  let end: string | undefined;
  for (const s of steps) if (end === undefined || length.get(s.id)! > length.get(end)!) end = s.id;
  const path: string[] = [];
  for (let at = end; at; at = via.get(at)) path.unshift(at);
  return path;
}

function finish(plan: Omit<Plan, 'applicable' | 'criticalPath'>): Plan {
  return { ...plan, applicable: plan.steps.every((s) => s.action !== 'conflict'), criticalPath: criticalPath(plan.steps) };
}

function serviceWarnings(live: LiveState, service: string, regions: string[], deployRegions: string[], ownBackend: string): string[] {
  const warnings: string[] = [];
  for (const region of regions) {
    const running = live.inventory.services.find((s) => s.name === service && s.region === region);
    if (!running && !deployRegions.includes(region)) {
      warnings.push(
        `${service} does not run in ${region}: its NEG will have nothing to serve there until the service is deployed to ${region}.`,
      );
    }
    if (running?.ingress === 'internal') {
      warnings.push(
        `${service} in ${region} has ingress "internal", which blocks the load balancer: set it to internal-and-cloud-load-balancing.`,
      );
    }
  }
  const topology = buildTopology(live.inventory);
  const others = new Set<string>();
  for (const region of regions) {
    for (const fronting of frontingOf(topology, region, service)) {
      if (!fronting.via.some((v) => v.backendServiceId.endsWith(`/backendServices/${ownBackend}`))) others.add(fronting.loadBalancerName);
    }
  }
  for (const name of others) warnings.push(`${service} is already served by load balancer ${name}; this plan adds another one.`);
  return warnings;
}

/** The plan for putting `request.service` behind a new global external Application Load Balancer. */
export function buildPlan(request: GlobalizeRequest, inventory: Inventory): Plan {
  const options = resolveOptions(request.options);
  const domains = normalizeDomains(request.domains);
  const names = resolveNames({ ...request, domains });
  const choices = { ...request.choices };
  const steps = globalizeSteps(request.project, request.service, request.regions, domains, options, choices, names, request.deploy);
  const warnings: string[] = [];
  const deployed = steps.filter((s) => s.kind === 'deployService').map((s) => s.region ?? '');
  steps.push(...invokerSteps(inventory, request.service, deployed, warnings));
  const live = new LiveState(inventory);
  diffAgainst(steps, live, request.project, request.service);
  const knownIp = live.find('addresses', names.address)?.address ?? undefined;
  const ips = { v4: knownIp, v6: options.ipv6 ? (live.find('addresses', names.ipv6Address)?.address ?? undefined) : undefined };
  steps.push(
    ...dnsRecordSteps({ project: request.project, domains, options, names, state: inventory.cloudDns, ips, warnings }).map((d) => ({
      ...step(d),
      action: d.action,
    })),
  );
  warnings.push(...certificateManagerGuidance({ steps, project: request.project, names, domains }, inventory.certificateManager));
  return finish({
    purpose: 'globalize',
    project: request.project,
    service: request.service,
    regions: [...request.regions],
    domains,
    options,
    choices,
    names,
    steps,
    warnings: [
      ...serviceWarnings(live, request.service, request.regions, request.deploy?.regions ?? [], names.backendService),
      ...warnings,
    ],
    knownIp,
  });
}

/** The plan for serving an existing load balancer's service from one more region. */
export function buildAddRegionPlan(request: AddRegionRequest, inventory: Inventory): Plan {
  const live = new LiveState(inventory);
  const region = request.region;
  const neg = request.networkEndpointGroup ?? negName(request.service, region);
  const names: ResourceNames = {
    ...deriveNames(request.service, { regions: [region] }),
    backendService: request.backendService,
    networkEndpointGroups: { [region]: neg },
  };
  const steps: PlanStep[] = [];
  if (request.deploy) {
    steps.push(
      step({
        id: `deploy:${region}`,
        kind: 'deployService',
        name: request.service,
        region,
        body: manifestForRegion(request.deploy.manifest, request.project, region),
        dependsOn: [],
      }),
    );
  }
  steps.push(
    step({
      id: `neg:${region}`,
      kind: 'networkEndpointGroup',
      name: neg,
      region,
      body: { name: neg, networkEndpointType: 'SERVERLESS', cloudRun: { service: request.service } },
      dependsOn: request.deploy ? [`deploy:${region}`] : [],
    }),
  );
  steps.push(
    step({
      id: `add-backend:${region}`,
      kind: 'addBackend',
      name: request.backendService,
      region,
      body: { group: negRef(request.project, region, neg) },
      dependsOn: [`neg:${region}`],
      serializeWith: `backendServices/${request.backendService}`,
    }),
  );
  const warnings: string[] = [];
  steps.push(...invokerSteps(inventory, request.service, request.deploy ? [region] : [], warnings));
  diffAgainst(steps, live, request.project, request.service);
  const backend = live.find('backendServices', request.backendService);
  const addBackend = steps[steps.length - 1];
  if (!backend) {
    addBackend.action = 'conflict';
    addBackend.differences = [`backend service ${request.backendService} does not exist`];
    addBackend.note = 'Add a region to a load balancer that exists, or make the service global first.';
  }
  // What the load balancer serves today, for the preview's header.
  const topology = buildTopology(inventory);
  const lb = topology.loadBalancers.find((l) => l.backendServices.some((b) => b.name === request.backendService));
  return finish({
    purpose: 'addRegion',
    project: request.project,
    service: request.service,
    regions: [region],
    domains: lb?.domains ?? [],
    options: {
      cdn: backend?.enableCDN ?? false,
      httpsRedirect: lb?.httpsRedirect ?? false,
      ipv6: false,
      cloudDns: false,
      certificateManager: false,
    },
    names,
    steps,
    warnings: [...serviceWarnings(live, request.service, [region], request.deploy ? [region] : [], request.backendService), ...warnings],
    knownIp: lb?.ip,
  });
}
