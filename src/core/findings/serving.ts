// How a certificate is served: the proxies that list it, the forwarding rules on those proxies, and
// for each frontend IP whether a rule listens on 443 (where Google validates managed certificates).
import type { CertificateNode, ForwardingRuleNode, IpVersion, TargetHttpsProxyNode, Topology } from '../topology/model';

export interface ServingIp {
  ip: string;
  version: IpVersion;
  rules: ForwardingRuleNode[];
  /** Some rule on this IP listens on 443. */
  has443: boolean;
}

export interface CertificateServing {
  certificate: CertificateNode;
  /** Target HTTPS proxies that list the certificate. */
  proxies: TargetHttpsProxyNode[];
  /** Forwarding rules that target one of those proxies. */
  rules: ForwardingRuleNode[];
  /** Proxies no forwarding rule targets. */
  proxiesWithoutRules: TargetHttpsProxyNode[];
  ips: ServingIp[];
  /** IPv4 and IPv6 addresses with a rule on 443: where the domain's A and AAAA records must point. */
  ipv4On443: string[];
  ipv6On443: string[];
  /** Proxies whose Certificate Manager map makes Google ignore this certificate. */
  certificateMaps: { proxy: TargetHttpsProxyNode; map: NonNullable<TargetHttpsProxyNode['certificateMap']> }[];
}

export function certificateServing(topology: Topology, certificate: CertificateNode): CertificateServing {
  const proxies = referrers(topology, certificate.id).filter((node): node is TargetHttpsProxyNode => node.kind === 'targetHttpsProxy');
  const rules: ForwardingRuleNode[] = [];
  const proxiesWithoutRules: TargetHttpsProxyNode[] = [];
  for (const proxy of proxies) {
    const proxyRules = referrers(topology, proxy.id).filter(
      (node): node is ForwardingRuleNode => node.kind === 'forwardingRule' && node.target?.id === proxy.id,
    );
    if (proxyRules.length === 0) proxiesWithoutRules.push(proxy);
    for (const rule of proxyRules) if (!rules.includes(rule)) rules.push(rule);
  }
  const byIp = new Map<string, ServingIp>();
  for (const rule of rules) {
    if (!rule.ip) continue;
    const entry = byIp.get(rule.ip) ?? { ip: rule.ip, version: rule.ipVersion, rules: [], has443: false };
    entry.rules.push(rule);
    entry.has443 ||= listensOn(rule, 443);
    byIp.set(rule.ip, entry);
  }
  const ips = [...byIp.values()];
  return {
    certificate,
    proxies,
    rules,
    proxiesWithoutRules,
    ips,
    ipv4On443: ips.filter((entry) => entry.has443 && entry.version === 'IPV4').map((entry) => entry.ip),
    ipv6On443: ips.filter((entry) => entry.has443 && entry.version === 'IPV6').map((entry) => entry.ip),
    certificateMaps: proxies.filter((proxy) => proxy.certificateMap).map((proxy) => ({ proxy, map: proxy.certificateMap! })),
  };
}

function referrers(topology: Topology, id: string) {
  return (topology.referencedBy.get(id) ?? []).map((ref) => topology.nodes.get(ref)).filter((node) => node !== undefined);
}

/** A rule's `portRange` (`443-443`, `443`, `80-8080`) or `ports` list includes the port. */
export function listensOn(rule: ForwardingRuleNode, port: number): boolean {
  const resource = rule.resource;
  if (resource.allPorts) return true;
  if (resource.portRange) {
    const [from, to = from] = resource.portRange.split('-').map((p) => Number.parseInt(p, 10));
    return from <= port && port <= to;
  }
  return (resource.ports ?? []).some((p) => Number.parseInt(p, 10) === port);
}
