// Explorer rows for a certificate map under its HTTPS proxy: map → entries → certificate → DNS authorizations, each
// with its state. No vscode: the tree provider maps these like every other row.
import { consoleUrl } from '../gcp/consoleUrl';
import type {
  CertificateManagerCertificateNode,
  CertificateMapEntryNode,
  CertificateMapNode,
  DnsAuthorizationNode,
  LoadBalancer,
  MissingNode,
  Topology,
} from '../topology/model';
import { describeNode } from '../topology/queries';
import type { ExplorerItem, IconSpec, ResourceRef } from './item';

const GREEN = 'charts.green';
const YELLOW = 'charts.yellow';
const RED = 'charts.red';
const TOKENS = ['resource', 'console', 'yaml', 'copyName'];

function base(topology: Topology, node: { kind: string; id: string; name: string; resource: unknown }): ResourceRef {
  return {
    kind: node.kind,
    id: node.id,
    name: node.name,
    selfLink: node.id,
    json: node.resource,
    consoleUrl: consoleUrl(topology.project, { kind: node.kind as 'certificateMap', name: node.name }),
  };
}

function missing(parentId: string, node: MissingNode): ExplorerItem {
  return {
    id: `${parentId}/missing/${node.id}`,
    label: node.name,
    description: `${describeNode(node).replace(` ${node.name}`, '')} — does not exist`,
    tooltip: `Referenced as \`${node.ref}\`, but no such resource exists. It was deleted, or never created.`,
    icon: { codicon: 'warning', color: YELLOW },
    context: ['missing'],
    resource: { kind: 'missing', name: node.name, selfLink: node.ref },
  };
}

const stateIcon = (state: string | undefined): IconSpec =>
  /FAILED/.test(state ?? '')
    ? { codicon: 'error', color: RED }
    : state === 'ACTIVE' || state === 'AUTHORIZED'
      ? { codicon: 'pass', color: GREEN }
      : { codicon: 'watch', color: YELLOW };
const words = (state: string) => state.toLowerCase().replace(/_/g, ' ');

/** The Certificate Manager certificates the load balancer's maps serve. */
export function mapCertificates(lb: LoadBalancer): CertificateManagerCertificateNode[] {
  const out = new Map<string, CertificateManagerCertificateNode>();
  for (const rule of lb.rules) {
    const map = rule.target?.kind === 'targetHttpsProxy' ? rule.target.certificateMap : undefined;
    if (map?.kind !== 'certificateMap') continue;
    for (const entry of map.entries) for (const c of entry.certificates) if (c.kind === 'certificateManagerCertificate') out.set(c.id, c);
  }
  return [...out.values()];
}

export function certificateMapItem(topology: Topology, parentId: string, map: CertificateMapNode): ExplorerItem {
  const id = `${parentId}/${map.id}`;
  return {
    id,
    label: map.name,
    description: `certificate map · ${map.entries.length} entr${map.entries.length === 1 ? 'y' : 'ies'}`,
    tooltip: `Certificate map **${map.name}** (Certificate Manager): the proxy serves these certificates instead of its own.`,
    icon: { codicon: 'references' },
    context: [...TOKENS, 'certificateMap'],
    resource: base(topology, map),
    children: () => map.entries.map((entry) => entryItem(topology, id, entry)),
  };
}

function entryItem(topology: Topology, parentId: string, entry: CertificateMapEntryNode): ExplorerItem {
  const id = `${parentId}/${entry.id}`;
  return {
    id,
    label: entry.primary ? 'primary' : (entry.hostname ?? entry.name),
    description: `map entry ${entry.name}${entry.primary ? ' · clients without SNI' : ''}`,
    icon: { codicon: 'symbol-key' },
    context: [...TOKENS, 'certificateMapEntry'],
    resource: base(topology, entry),
    children: () => entry.certificates.map((c) => (c.kind === 'missing' ? missing(id, c) : certificateItem(topology, id, c))),
  };
}

function certificateItem(topology: Topology, parentId: string, cert: CertificateManagerCertificateNode): ExplorerItem {
  const id = `${parentId}/${cert.id}`;
  const state = cert.managed ? (cert.state ?? 'PROVISIONING') : 'SELF_MANAGED';
  const icon = cert.managed ? stateIcon(state) : { codicon: 'lock', color: GREEN };
  const issue = cert.provisioningIssue?.details ? `\n\n${cert.provisioningIssue.details}` : '';
  return {
    id,
    label: cert.name,
    description: `${words(state)}${cert.domains.length ? ` · ${cert.domains.join(', ')}` : ''}`,
    tooltip: `Certificate Manager certificate **${cert.name}** (${cert.managed ? 'Google-managed, DNS authorization' : 'self-managed'}): ${state}${issue}${cert.expireTime ? `\n\nExpires ${cert.expireTime}` : ''}`,
    // 'certificate' offers "Diagnose certificate" on the row, as on a classic certificate.
    icon,
    context: [...TOKENS, 'certificate', 'certificateManagerCertificate', `cert:${state.toLowerCase()}`],
    resource: base(topology, cert),
    children: () => [
      ...cert.domains.map((domain): ExplorerItem => {
        const attempt = cert.attempts.find((a) => a.domain === domain);
        const domainState = cert.state === 'ACTIVE' ? 'AUTHORIZED' : (attempt?.state ?? 'AUTHORIZING');
        return {
          id: `${id}/domain/${domain}`,
          label: domain,
          description: `${words(domainState)}${attempt?.failureReason ? ` (${attempt.failureReason})` : ''}`,
          tooltip: attempt?.details,
          icon: stateIcon(domainState),
          context: ['detail', 'domain'],
        };
      }),
      ...cert.authorizations.map((a) => (a.kind === 'missing' ? missing(id, a) : authorizationItem(topology, id, a))),
    ],
  };
}

function authorizationItem(topology: Topology, parentId: string, auth: DnsAuthorizationNode): ExplorerItem {
  return {
    id: `${parentId}/${auth.id}`,
    label: auth.record?.name.replace(/\.$/, '') ?? auth.name,
    description: `DNS authorization ${auth.name}${auth.record ? ` · CNAME → ${auth.record.data}` : ''}`,
    tooltip: auth.record
      ? `Create the DNS record \`${auth.record.name} CNAME ${auth.record.data}\`: it lets Google issue the certificate for ${auth.domain} before its A record points here.`
      : undefined,
    icon: { codicon: 'link' },
    context: [...TOKENS, 'dnsAuthorization'],
    resource: base(topology, auth),
  };
}
