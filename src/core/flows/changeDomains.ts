// Change Domains as use cases, without vscode: the wizard (which load balancer, which domains) → a
// plan applied like any other; and the finish step, which removes the old certificates only once the
// new one is ACTIVE, so the proxy always serves a certificate.
import { CloudError } from '../gcp/errors';
import { normalizeRef } from '../gcp/refs';
import { COMPUTE_PARTS } from '../model/projectModel';
import {
  buildChangeDomainsPlan,
  certificateDomains,
  pendingDomainChanges,
  validateChangeDomainsRequest,
  type PendingDomainChange,
} from '../plan/changeDomains';
import type { ChangeDomainsRequest } from '../plan/types';
import type { LoadBalancer, TargetHttpsProxyNode } from '../topology/model';
import type { FlowDeps, PlannedChange } from './makeGlobal';
import { domainsProblem, factsFor, parseDomains, projectStep, type WizardShared } from './makeGlobalSteps';
import type { UseCaseDeps } from './undoAndDelete';
import { runWizard, type WizardStep } from './wizard';

/** What "Change Domains…" takes; what it fills, the wizard does not ask. Documented in the README. */
export interface ChangeDomainsArgs {
  project?: string;
  /** The load balancer (explorer id, `projects/P/global/loadBalancers/<IP>`), or its proxy by name. */
  loadBalancerId?: string;
  httpsProxy?: string;
  /** From a Knative YAML: the load balancer that fronts this service, when there is one. */
  service?: string;
  /** The whole new list (what the certificate covers afterwards). */
  domains?: string[];
  /** Name of the new certificate (default: derived from the domains). */
  certificate?: string;
  documentUri?: string;
  documentIndex?: number;
}

export interface ChangeDomainsContext extends ChangeDomainsArgs, WizardShared {}

/** The HTTPS proxies of a load balancer that serve their own certificates (not a certificate map). */
function httpsProxies(lb: LoadBalancer): TargetHttpsProxyNode[] {
  const proxies = new Map<string, TargetHttpsProxyNode>();
  for (const rule of lb.rules) if (rule.target?.kind === 'targetHttpsProxy') proxies.set(rule.target.id, rule.target);
  return [...proxies.values()];
}

const changeLoadBalancerStep: WizardStep<ChangeDomainsContext> = {
  shouldPrompt: (c) => !c.loadBalancerId && !c.httpsProxy,
  async prompt(c, ui) {
    const items = factsFor(c)
      .loadBalancers()
      .then((lbs) => {
        const https = lbs.filter((lb) => httpsProxies(lb).length);
        if (!https.length)
          throw new CloudError(`Project ${c.project} has no load balancer with an HTTPS proxy. Make a service global first.`, {
            kind: 'invalid',
          });
        return https.map((lb) => ({
          label: lb.name,
          description: `${lb.ip ?? ''} · ${lb.domains.join(', ') || 'no domain'}`,
          value: lb.id,
        }));
      });
    c.loadBalancerId = await ui.pick({ placeholder: 'Which load balancer gets other domains?', items });
  },
};

const proxyStep: WizardStep<ChangeDomainsContext> = {
  shouldPrompt: (c) => !c.httpsProxy,
  async prompt(c, ui) {
    const lb = (await factsFor(c).loadBalancers()).find((l) => l.id === c.loadBalancerId);
    if (!lb) throw new CloudError('That load balancer no longer exists. Refresh the explorer.', { kind: 'notFound' });
    const proxies = httpsProxies(lb);
    if (!proxies.length)
      throw new CloudError(
        `Load balancer ${lb.name} serves no HTTPS, so it has no certificate to change. Make the service global with a domain instead.`,
        { kind: 'invalid' },
      );
    c.httpsProxy =
      proxies.length === 1
        ? proxies[0].name
        : await ui.pick({
            placeholder: `Load balancer ${lb.name} has several HTTPS proxies: which one?`,
            items: proxies.map((p) => ({ label: p.name, description: p.certificates.map((x) => x.name).join(', '), value: p.name })),
          });
  },
};

const newDomainsStep: WizardStep<ChangeDomainsContext> = {
  shouldPrompt: (c) => !c.domains?.length,
  async prompt(c, ui) {
    const inventory = await factsFor(c).inventory();
    const proxy = inventory.targetHttpsProxies.find((p) => p.name === c.httpsProxy);
    const current = [
      ...new Set(
        (proxy?.sslCertificates ?? []).flatMap((ref) => {
          const cert = inventory.sslCertificates.find(
            (x) => normalizeRef(x.selfLink, inventory.project) === normalizeRef(ref, inventory.project) || x.name === ref.split('/').pop(),
          );
          return cert ? certificateDomains(cert) : [];
        }),
      ),
    ];
    const text = await ui.text({
      prompt: `Every domain ${c.httpsProxy} should serve, comma-separated (now: ${current.join(', ') || 'none'}). A new certificate covers them; the old one serves until it is ACTIVE.`,
      value: current.join(', '),
      placeholder: 'shop.example.com, www.shop.example.com',
      validate: domainsProblem,
    });
    c.domains = parseDomains(text);
  },
};

export const CHANGE_DOMAINS_STEPS: WizardStep<ChangeDomainsContext>[] = [projectStep, changeLoadBalancerStep, proxyStep, newDomainsStep];

function invalid(issues: { field: string; message: string }[]): CloudError {
  return new CloudError(issues.map((i) => `${i.field}: ${i.message}`).join(' '), { kind: 'invalid' });
}

export async function planChangeDomains(args: ChangeDomainsArgs, deps: FlowDeps): Promise<PlannedChange> {
  const context: ChangeDomainsContext = { ...args, connection: deps.connection, model: deps.model, project: args.project ?? deps.project };
  if (!context.loadBalancerId && !context.httpsProxy && context.service && context.project) {
    // From YAML: the load balancer that fronts this service, when there is exactly one.
    const fronting = (await factsFor(context).loadBalancers()).filter(
      (lb) => lb.services.some((s) => s.name === context.service) && httpsProxies(lb).length,
    );
    if (fronting.length === 1) context.loadBalancerId = fronting[0].id;
  }
  await runWizard(CHANGE_DOMAINS_STEPS, context, deps.ui);
  const request: ChangeDomainsRequest = {
    project: context.project!,
    httpsProxy: context.httpsProxy!,
    domains: context.domains!,
    certificate: context.certificate,
  };
  const issues = validateChangeDomainsRequest(request);
  if (issues.length) throw invalid(issues);
  // The plan compares with what exists now.
  const inventory = await factsFor(context).inventory();
  const live = validateChangeDomainsRequest(request, inventory);
  if (live.length) throw invalid(live);
  return { plan: buildChangeDomainsPlan(request, inventory) };
}

export interface FinishArgs {
  loadBalancerId?: string;
  httpsProxy?: string;
  /** Skip the confirmation (scripts and tests). */
  confirmed?: boolean;
}

export interface FinishReport {
  httpsProxy: string;
  certificate: string;
  detached: string[];
  deleted: string[];
  /** Old certificates another proxy still uses: detached here, not deleted. */
  kept: string[];
}

/** The pending change of a load balancer or proxy, from a fresh read. */
async function pendingChange(args: FinishArgs, deps: UseCaseDeps): Promise<PendingDomainChange> {
  await deps.model.read(COMPUTE_PARTS, 'refresh');
  if (deps.model.problem) throw deps.model.problem;
  const topology = deps.model.topology;
  if (!topology)
    throw deps.model.loadBalancingError ?? new CloudError('The load balancers could not be listed; see the log.', { kind: 'unknown' });
  const changes = pendingDomainChanges(topology).filter((p) =>
    args.httpsProxy ? p.httpsProxy === args.httpsProxy : !args.loadBalancerId || p.loadBalancerId === args.loadBalancerId,
  );
  if (!changes.length) {
    throw new CloudError(
      'There is no domain change to finish here: no certificate on this load balancer replaces another that is still attached.',
      {
        kind: 'invalid',
        remedy: 'Run "Change Domains…" first; once its certificate is ACTIVE, finish it.',
      },
    );
  }
  if (changes.length > 1 && !args.httpsProxy) {
    throw new CloudError(`Several HTTPS proxies have a pending domain change (${changes.map((c) => c.httpsProxy).join(', ')}).`, {
      kind: 'invalid',
      remedy: 'Name the proxy: { httpsProxy: "…" }.',
    });
  }
  return changes[0];
}

function notActive(certificate: string, status: string | undefined, domainStatus: Record<string, string>): CloudError {
  const domains = Object.entries(domainStatus)
    .map(([d, s]) => `${d} ${s}`)
    .join(', ');
  return new CloudError(
    `Certificate ${certificate} is ${status ?? 'not ACTIVE'}${domains ? ` (${domains})` : ''}; finishing now would leave its domains without a serving certificate, so nothing was changed.`,
    {
      kind: 'conflict',
      remedy:
        'Point the domains\' DNS A records at the load balancer and wait until it is ACTIVE ("Diagnose Certificate…" says what is missing); the explorer, the lens and a notification offer Finish then.',
    },
  );
}

/**
 * Detaches and deletes the certificates the new one replaces. Refuses unless the new certificate is
 * ACTIVE, as read just before the proxy changes; an old certificate another proxy uses is only detached.
 */
export async function finishDomainChange(args: FinishArgs, deps: UseCaseDeps): Promise<FinishReport | undefined> {
  const change = await pendingChange(args, deps);
  const cert = change.newCertificate;
  if (!change.ready) throw notActive(cert.name, cert.status, cert.domainStatus);
  if (!args.confirmed) {
    const detail = [
      `Certificate ${cert.name} (${cert.domains.join(', ')}) is ACTIVE.`,
      `Target HTTPS proxy ${change.httpsProxy} keeps only it; detached and deleted:`,
      ...change.oldCertificates.map((c) => `  • ${c}`),
    ].join('\n');
    if (!(await deps.ui.confirm(`Finish the domain change of ${change.httpsProxy}?`, detail, 'Finish'))) return undefined;
  }
  let report: FinishReport;
  try {
    report = await deps.ui.withProgress(`Finishing the domain change of ${change.httpsProxy}`, (progress, signal) =>
      finish(change, deps, progress, signal),
    );
  } finally {
    // Whatever got done, every view shows it.
    await deps.model.afterWrite(COMPUTE_PARTS);
  }
  deps.ui.log(summarizeFinish(report));
  deps.ui.info(summarizeFinish(report));
  return report;
}

async function finish(
  change: PendingDomainChange,
  { compute, model }: Pick<UseCaseDeps, 'compute' | 'model'>,
  progress: (message: string) => void,
  signal: AbortSignal,
): Promise<FinishReport> {
  const name = change.newCertificate.name;
  // The model's view may be a moment old: the certificate is read again right before the proxy changes.
  const fresh = await compute.get('sslCertificates', name, { signal });
  if (fresh.managed && fresh.managed.status !== 'ACTIVE')
    throw notActive(name, fresh.managed.status ?? undefined, (fresh.managed.domainStatus ?? {}) as Record<string, string>);
  const proxy = await compute.get('targetHttpsProxies', change.httpsProxy, { signal });
  const project = compute.project;
  const isOld = (ref: string) =>
    change.oldCertificates.some((old) => normalizeRef(ref, project) === normalizeRef(`global/sslCertificates/${old}`, project));
  const current = proxy.sslCertificates ?? [];
  const kept = current.filter((ref) => !isOld(ref));
  if (!kept.some((ref) => normalizeRef(ref, project) === normalizeRef(`global/sslCertificates/${name}`, project))) {
    throw new CloudError(`Certificate ${name} is no longer on target HTTPS proxy ${change.httpsProxy}; nothing was changed.`, {
      kind: 'conflict',
      remedy: 'Refresh the explorer and run Change Domains again.',
    });
  }
  const detached = current.filter(isOld).map((ref) => ref.split('/').pop() ?? ref);
  if (detached.length) {
    progress(`detaching ${detached.join(', ')}…`);
    await compute.setSslCertificates(change.httpsProxy, kept, signal);
  }
  // An old certificate another proxy serves stays; the rest go. The model reads the proxies as they are after our write.
  await model.afterWrite(['targetHttpsProxies', 'sslCertificates']);
  const topology = model.topology;
  if (!topology)
    throw (
      model.loadBalancingError ??
      new CloudError('The load balancers could not be read after the certificates were detached.', {
        kind: 'unknown',
        remedy: "Refresh, then delete the old certificates from the explorer's unattached resources.",
      })
    );
  const report: FinishReport = { httpsProxy: change.httpsProxy, certificate: name, detached, deleted: [], kept: [] };
  for (const old of change.oldCertificates) {
    const id = normalizeRef(`global/sslCertificates/${old}`, project) ?? old;
    if ((topology.referencedBy.get(id) ?? []).length) {
      report.kept.push(old);
      continue;
    }
    progress(`deleting ${old}…`);
    if (await compute.delete('sslCertificates', old, { signal })) report.deleted.push(old);
  }
  return report;
}

export function summarizeFinish(report: FinishReport): string {
  const parts = [`Target HTTPS proxy ${report.httpsProxy} now serves ${report.certificate}`];
  if (report.detached.length) parts.push(`detached ${report.detached.join(', ')}`);
  if (report.deleted.length) parts.push(`deleted ${report.deleted.join(', ')}`);
  if (report.kept.length) parts.push(`kept ${report.kept.join(', ')} (another proxy uses ${report.kept.length === 1 ? 'it' : 'them'})`);
  return `${parts.join('; ')}.`;
}

/** The pending changes that are ready and not yet announced, for the notification. */
export function newlyReady(changes: readonly PendingDomainChange[], announced: Set<string>): PendingDomainChange[] {
  const ready = changes.filter((c) => c.ready && !announced.has(`${c.httpsProxy}|${c.newCertificate.name}`));
  for (const c of ready) announced.add(`${c.httpsProxy}|${c.newCertificate.name}`);
  return ready;
}
