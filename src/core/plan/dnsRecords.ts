// The last mile of a plan: where a domain falls in a public Cloud DNS zone the user can see, steps that point
// its A (and, with IPv6, AAAA) record at the load balancer once the address exists. A record that points
// elsewhere is an update (old → new, shown in the preview); one that already points there is adopted.
// Pure: the zones and record sets come from the live model's last read.
import { normalizeName, recordAt, zoneFor, type CloudDnsState, type DnsRecordSet } from '../gcp/cloudDns';
import type { GlobalizeOptions, PlanStep, ResourceNames } from './types';

/** The TTL of the records a plan writes: short, so a later move of the load balancer is seen within minutes. */
export const DNS_RECORD_TTL = 300;

/** What a DNS step writes: in which zone, which type, from which address step's IP; what it replaces, if known. */
export interface DnsRecordBody {
  zone: string;
  /** The project that holds the zone (may differ from the load balancer's). */
  zoneProject: string;
  /** The zone's DNS name, without the trailing dot. */
  zoneDnsName: string;
  type: 'A' | 'AAAA';
  ttl: number;
  /** The address resource whose IP the record gets: `projects/P/global/addresses/NAME`. */
  address: string;
  /** The record set as last read, when there is one (an update). */
  current?: DnsRecordSet;
}

export const dnsStepId = (domain: string, type: 'A' | 'AAAA') => `dns:${type}:${domain}`;
const sameData = (a: readonly string[], b: readonly string[]) =>
  [...a]
    .map((x) => x.toLowerCase())
    .sort()
    .join(',') ===
  [...b]
    .map((x) => x.toLowerCase())
    .sort()
    .join(',');

export interface DnsStepInput {
  project: string;
  domains: readonly string[];
  options: GlobalizeOptions;
  names: ResourceNames;
  state?: CloudDnsState;
  /** The IPs of the plan's addresses when they exist already. */
  ips: { v4?: string; v6?: string };
  warnings: string[];
}

type Draft = Omit<PlanStep, 'collection'>;

/** The DNS steps of a make-global plan (judged against the records last read), or none when the option is off. */
export function dnsRecordSteps(input: DnsStepInput): Draft[] {
  const { state, options, names, warnings } = input;
  if (!options.cloudDns || !state) return [];
  // Most projects never turn Cloud DNS on: its API being off in the plan's own project is no news.
  for (const p of state.problems) {
    if (p.kind === 'apiDisabled' && p.project === input.project) continue;
    warnings.push(`Cloud DNS records are not offered for zones of ${p.project}: ${p.message}`);
  }
  const steps: Draft[] = [];
  for (const domain of input.domains.map(normalizeName)) {
    const zone = zoneFor(domain, state.zones);
    if (!zone) continue;
    const where = `Cloud DNS zone ${zone.name}${zone.project === input.project ? '' : ` (project ${zone.project})`}`;
    const cname = recordAt(state, zone, domain, 'CNAME');
    if (cname) {
      warnings.push(
        `${domain} is a CNAME to ${cname.rrdatas.join(', ')} in ${where}: an A record cannot sit beside it, so the plan does not write one. Remove the CNAME there (or point it at a name whose A record is the load balancer's IP), then plan again.`,
      );
      continue;
    }
    const wanted: ['A' | 'AAAA', string, string | undefined][] = [['A', 'address', input.ips.v4]];
    if (options.ipv6) wanted.push(['AAAA', 'ipv6-address', input.ips.v6]);
    else {
      const stray = recordAt(state, zone, domain, 'AAAA');
      if (stray)
        warnings.push(
          `${where} holds an AAAA record for ${domain} (${stray.rrdatas.join(', ')}) and the plan has no IPv6 address: Google's managed certificate stays PROVISIONING until that record is removed or IPv6 is turned on.`,
        );
    }
    for (const [type, addressStep, ip] of wanted) {
      const address = `projects/${input.project}/global/addresses/${type === 'A' ? names.address : names.ipv6Address}`;
      const current = recordAt(state, zone, domain, type);
      const body: DnsRecordBody = {
        zone: zone.name,
        zoneProject: zone.project,
        zoneDnsName: zone.dnsName,
        type,
        ttl: DNS_RECORD_TTL,
        address,
      };
      const step: Draft = {
        id: dnsStepId(domain, type),
        kind: 'dnsRecord',
        name: domain,
        body: body as unknown as Record<string, unknown>,
        dependsOn: [addressStep],
        action: 'create',
      };
      if (current) {
        const record: DnsRecordSet = { name: current.name, type: current.type, ttl: current.ttl, rrdatas: [...current.rrdatas] };
        body.current = record;
        if (ip && sameData(current.rrdatas, [ip])) {
          step.action = 'exists';
          step.note = `${where} already points ${domain} at ${ip}.`;
        } else {
          step.action = 'update';
          step.note = `${where}: ${type} ${current.rrdatas.join(', ')} → ${ip ?? "the new address's IP"}. Until then ${domain} keeps going to the old address.`;
        }
      } else {
        step.note = `In ${where}, once the address exists: ${domain} ${type} → ${ip ?? 'its IP'}.`;
      }
      steps.push(step);
    }
  }
  return steps;
}

/** The body of a DNS step, typed. */
export const dnsBody = (step: Pick<PlanStep, 'body'>): DnsRecordBody => step.body as unknown as DnsRecordBody;

/** `gcloud dns record-sets create|update NAME. --zone=Z --type=A --ttl=300 --rrdatas=IP`. */
export function dnsGcloudCommand(
  step: PlanStep,
  context: { project: string; addressIp: (addressName: string) => string; planProject: string },
): { command: string[]; flags: string[] } {
  const body = dnsBody(step);
  const project = body.zoneProject === context.planProject ? context.project : body.zoneProject;
  return {
    command: ['gcloud', 'dns', 'record-sets', step.action === 'update' ? 'update' : 'create', `${step.name}.`],
    flags: [
      `--zone=${body.zone}`,
      `--type=${body.type}`,
      `--ttl=${body.ttl}`,
      `--rrdatas=${context.addressIp(body.address.split('/').pop() ?? '')}`,
      `--project=${project}`,
    ],
  };
}

export function describeDnsStep(step: PlanStep): string {
  const body = dnsBody(step);
  const verb = step.action === 'update' ? 'point' : 'create';
  return `${verb} ${body.type} record ${step.name} in Cloud DNS zone ${body.zone} at the IP of ${body.address.split('/').pop()}`;
}

/** Terraform: a google_dns_record_set; an existing record is imported (the plan takes it over). */
export function dnsTerraform(
  step: PlanStep,
  addressRef: string,
  hclString: (s: string) => string,
  planProject: string,
): { importId?: string; lines: string[] } {
  const body = dnsBody(step);
  const importId =
    step.action === 'create' ? undefined : `projects/${body.zoneProject}/managedZones/${body.zone}/rrsets/${step.name}./${body.type}`;
  return {
    importId,
    lines: [
      ...(body.zoneProject === planProject ? [] : [`project      = ${hclString(body.zoneProject)}`]),
      `managed_zone = ${hclString(body.zone)}`,
      `name         = ${hclString(`${step.name}.`)}`,
      `type         = ${hclString(body.type)}`,
      `ttl          = ${body.ttl}`,
      `rrdatas      = [${addressRef}]`,
    ],
  };
}
