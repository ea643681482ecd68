// What a rule reports: plain data a thin editor layer turns into diagnostics, related information and
// quick fixes. `code` is stable per rule; `key` identifies one finding (rule + subject) across checks.

export type FindingCode =
  | 'dns-missing-a'
  | 'dns-wrong-ip'
  | 'dns-partly-wrong'
  | 'dns-stray-aaaa'
  | 'dns-caa-forbids'
  | 'dns-lookup-failed'
  | 'cert-provisioning'
  | 'cert-failed-not-visible'
  | 'cert-failed-caa-checking'
  | 'cert-failed-caa-forbidden'
  | 'cert-rate-limited'
  | 'cert-provisioning-failed'
  | 'cert-failed-permanently'
  | 'cert-renewal-failed'
  | 'cert-not-served'
  | 'cert-no-443-rule'
  | 'cert-map-overrides'
  | 'cert-recent-change'
  | 'ingress-internal-blocks-lb'
  | 'ingress-all-bypass'
  | 'neg-region-missing-service'
  | 'run-invoker-not-public'
  | 'cm-cname-missing'
  | 'cm-cname-wrong'
  | 'cm-caa-forbids'
  | 'cm-provisioning'
  | 'cm-domain-failed'
  | 'cm-failed'
  | 'cm-a-can-move'
  | 'cm-entry-missing'
  | 'cm-entry-wrong-certificate';

export type Severity = 'error' | 'warning' | 'information';

/** The YAML node a finding sits on: the service name, or its ingress annotation. */
export type Anchor = 'name' | 'ingress';

export interface RelatedResource {
  /** The topology id (normalised selfLink path). */
  id: string;
  /** The resource's selfLink as Google returned it, when known. */
  selfLink?: string;
  message: string;
}

export type QuickFix =
  | { kind: 'copyDnsRecord'; record: string }
  | { kind: 'copyIp'; ip: string }
  | { kind: 'recheck' }
  | { kind: 'setIngress'; value: 'internal-and-cloud-load-balancing' }
  | { kind: 'openCertificate'; consoleUrl: string }
  | { kind: 'openTroubleshooting'; url: string }
  /** Grant roles/run.invoker to allUsers on the service in these regions (read-modify-write with the etag). */
  | { kind: 'grantInvoker'; service: string; regions: string[] }
  /** Write the domain's record in the public Cloud DNS zone that holds it (replacing what is there, if anything). */
  | { kind: 'writeCloudDnsRecord'; record: CloudDnsRecordFix };

/** What the Cloud DNS quick fix writes, and what it replaces as last read. */
export interface CloudDnsRecordFix {
  domain: string;
  type: 'A' | 'AAAA';
  ips: string[];
  zone: string;
  zoneProject: string;
  zoneDnsName: string;
  /** The record set's data as last read; absent: there is none. */
  current?: string[];
}

export interface Finding {
  code: FindingCode;
  /** Unique per finding: the code plus its subject (certificate, domain, load balancer, NEG). */
  key: string;
  severity: Severity;
  /** What is wrong, naming resources, IPs and domains. */
  message: string;
  /** What to do, with exact records or commands. */
  remedy: string;
  anchor: Anchor;
  related: RelatedResource[];
  fixes: QuickFix[];
  /** Something is still in progress: the check should run again (with backoff). */
  pending: boolean;
  domain?: string;
  certificateId?: string;
  loadBalancerId?: string;
  /** For invoker findings: the regions whose service refuses unauthenticated calls. */
  regions?: string[];
  /** Keys of the findings that explain this one (the DNS findings behind a failed domain). */
  explainedBy?: string[];
}

/** Google's troubleshooting page for managed certificates. */
export const CERTIFICATE_TROUBLESHOOTING_URL = 'https://cloud.google.com/load-balancing/docs/ssl-certificates/troubleshooting';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2 };

/** Errors first, then warnings, then information; stable otherwise. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** Drops repeats of one key (a certificate reached through two load balancers), keeping the first. */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => (seen.has(finding.key) ? false : (seen.add(finding.key), true)));
}
