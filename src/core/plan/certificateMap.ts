// "Issue the certificate before DNS moves": Certificate Manager with DNS authorization instead of a classic managed
// certificate. Per domain a DNS authorization (its `_acme-challenge` CNAME lets Google issue without the A record),
// one managed certificate using them, a certificate map with an entry per domain and a primary entry, and the HTTPS
// proxy pointing at the map. Pure: no I/O.
import {
  certificateManagerName,
  certificateMapUrl,
  type CertificateManagerInventory,
  type CertificateManagerKind,
} from '../gcp/certificateManager';
import { nameWithSuffix } from './names';
import type { Plan, PlanStep, StepBuilder } from './types';

/** One DNS authorization per domain (a wildcard is covered by its base domain's). */
export const dnsAuthorizationName = (domain: string): string => nameWithSuffix(domain.replace(/^\*\./, ''), '-dns-auth');
export const mapEntryName = (domain: string): string => nameWithSuffix(domain.replace(/^\*\./, 'wildcard.'), '-entry');
export const primaryEntryName = (map: string): string => nameWithSuffix(map, '-primary');

/** The option's steps: replaces the classic certificate and points the HTTPS proxy at the map. */
export function buildCertificateMapSteps(b: StepBuilder): void {
  const { names, project, domains } = b;
  const classic = b.steps.findIndex((s) => s.id === 'cert');
  if (classic >= 0) b.steps.splice(classic, 1);
  const bases = [...new Set(domains.map((d) => d.replace(/^\*\./, '')))];
  const firstAdded = b.steps.length;
  const authIds: string[] = [];
  for (const base of bases) {
    const name = dnsAuthorizationName(base);
    authIds.push(`dns-auth:${base}`);
    b.add({ id: `dns-auth:${base}`, kind: 'dnsAuthorization', name, body: { domain: base }, dependsOn: [] });
  }
  const certName = names.certificate;
  b.add({
    id: 'cm-cert',
    kind: 'certificateManagerCertificate',
    name: certName,
    body: {
      managed: {
        domains: [...domains],
        dnsAuthorizations: bases.map((d) => certificateManagerName(project, 'dnsAuthorizations', dnsAuthorizationName(d))),
      },
    },
    dependsOn: authIds,
  });
  const map = names.certificateMap;
  b.add({ id: 'cert-map', kind: 'certificateMap', name: map, body: {}, dependsOn: [] });
  const certificates = [certificateManagerName(project, 'certificates', certName)];
  const entryIds: string[] = [];
  for (const domain of domains) {
    entryIds.push(`cert-map-entry:${domain}`);
    b.add({
      id: `cert-map-entry:${domain}`,
      kind: 'certificateMapEntry',
      name: mapEntryName(domain),
      parent: map,
      body: { hostname: domain, certificates },
      dependsOn: ['cm-cert', 'cert-map'],
    });
  }
  // The primary entry serves clients that send no SNI (or a name no entry matches).
  entryIds.push('cert-map-entry:primary');
  b.add({
    id: 'cert-map-entry:primary',
    kind: 'certificateMapEntry',
    name: primaryEntryName(map),
    parent: map,
    body: { matcher: 'PRIMARY', certificates },
    dependsOn: ['cm-cert', 'cert-map'],
  });
  // Before the proxy, so the steps stay in dependency order (the gcloud script runs them as listed).
  const added = b.steps.splice(firstAdded);
  const at = b.steps.findIndex((s) => s.id === 'https-proxy');
  b.steps.splice(at < 0 ? b.steps.length : at, 0, ...added);
  const proxy = b.steps.find((s) => s.id === 'https-proxy');
  if (proxy) {
    const { sslCertificates: _classic, ...rest } = proxy.body;
    proxy.body = { ...rest, certificateMap: certificateMapUrl(project, map) };
    proxy.dependsOn = [...proxy.dependsOn.filter((d) => d !== 'cert'), 'cert-map', ...entryIds];
  }
}

/** The live resource a Certificate Manager step names, from what was read. */
export function liveCertificateManagerResource(
  step: PlanStep,
  project: string,
  inventory: CertificateManagerInventory | undefined,
): unknown {
  if (!inventory) return undefined;
  const kind = step.collection as CertificateManagerKind;
  const name = certificateManagerName(project, kind, step.name, step.parent);
  return (inventory[kind] as { name?: string | null }[]).find((r) => r.name === name);
}

/** The script's closing lines: the CNAME records to create, read from the authorizations it made. */
export function cnameScriptLines(plan: Pick<Plan, 'steps' | 'domains' | 'names'>): string[] {
  const auths = plan.steps.filter((s) => s.kind === 'dnsAuthorization');
  if (!auths.length) return [];
  return [
    '',
    'echo "Create these CNAME records; the certificate becomes ACTIVE once they resolve, before the A record moves:"',
    ...auths.map(
      (s) =>
        `gcloud certificate-manager dns-authorizations describe ${s.name} --project="$PROJECT" --format='value(dnsResourceRecord.name,dnsResourceRecord.type,dnsResourceRecord.data)'`,
    ),
    `echo "Move the A record of ${plan.domains.join(', ')} once this says ACTIVE:"`,
    `gcloud certificate-manager certificates describe ${plan.names.certificate} --project="$PROJECT" --format='value(managed.state)'`,
  ];
}

/**
 * What the user must do in DNS, in order: the `_acme-challenge` CNAMEs (with their targets when the authorizations
 * exist already), and when the A record may move.
 */
export function certificateManagerGuidance(
  plan: Pick<Plan, 'steps' | 'project' | 'names' | 'domains'>,
  inventory: CertificateManagerInventory | undefined,
): string[] {
  const auths = plan.steps.filter((s) => s.kind === 'dnsAuthorization');
  if (!auths.length) return [];
  const lines = auths.map((s) => {
    const live = liveCertificateManagerResource(s, plan.project, inventory) as
      { dnsResourceRecord?: { name?: string | null; data?: string | null } } | undefined;
    const record = live?.dnsResourceRecord;
    return record?.name && record.data
      ? `Create the DNS record ${record.name} CNAME ${record.data} (DNS authorization ${s.name}).`
      : `Create the DNS record _acme-challenge.${String(s.body.domain)}. CNAME <target>: DNS authorization ${s.name} gives the target once created (shown after Apply; \`gcloud certificate-manager dns-authorizations describe ${s.name}\`).`;
  });
  lines.push(
    `Keep the A record of ${plan.domains.join(', ')} where it points today until certificate ${plan.names.certificate} is ACTIVE; then move it to the load balancer's IP, with no gap in HTTPS.`,
  );
  return lines;
}
