// The DNS finding's quick fix as a use case: write the domain's record in the public Cloud DNS zone that holds it.
// The record is read again first (what the finding saw may be old), the person confirms old → new, and the change
// replaces exactly what was read, so a record someone changed meanwhile is refused rather than overwritten.
import type { CloudDnsClient, DnsRecordSet, DnsZone } from '../gcp/cloudDns';
import { CloudError } from '../gcp/errors';
import type { CloudDnsRecordFix } from '../findings/finding';
import type { ProjectModel } from '../model/projectModel';
import { DNS_RECORD_TTL } from '../plan/dnsRecords';
import type { FlowUi } from './flowUi';

export interface WriteDnsRecordDeps {
  model: Pick<ProjectModel, 'afterWrite'>;
  dns: CloudDnsClient;
  ui: FlowUi;
}

export type WriteDnsRecordOutcome = 'created' | 'updated' | 'unchanged' | 'declined';

const same = (a: readonly string[], b: readonly string[]) =>
  [...a]
    .map((x) => x.toLowerCase())
    .sort()
    .join(',') ===
  [...b]
    .map((x) => x.toLowerCase())
    .sort()
    .join(',');

export async function writeDnsRecordFlow(
  fix: CloudDnsRecordFix,
  deps: WriteDnsRecordDeps,
  options: { confirmed?: boolean } = {},
): Promise<WriteDnsRecordOutcome> {
  const { domain, type, ips } = fix;
  if (!domain || (type !== 'A' && type !== 'AAAA') || !ips?.length || !fix.zone || !fix.zoneProject) {
    throw new CloudError('The Cloud DNS record to write is incomplete.', {
      kind: 'invalid',
      remedy: 'Use the quick fix on a DNS finding, or pass { domain, type, ips, zone, zoneProject, zoneDnsName }.',
    });
  }
  const zone: DnsZone = { project: fix.zoneProject, name: fix.zone, dnsName: fix.zoneDnsName, visibility: 'public' };
  const where = `Cloud DNS zone ${zone.name}${zone.project ? ` (project ${zone.project})` : ''}`;
  const atName = await deps.dns.listRecordSets(zone, domain);
  const cname = atName.find((r) => r.type === 'CNAME');
  if (cname) {
    throw new CloudError(`${domain} is a CNAME to ${cname.rrdatas.join(', ')} in ${where}; an ${type} record cannot sit beside it.`, {
      kind: 'conflict',
      remedy: "Remove the CNAME there (or point it at a name whose record is the load balancer's IP), then re-check.",
    });
  }
  const current = atName.find((r) => r.type === type);
  if (current && same(current.rrdatas, ips)) {
    deps.ui.info(
      `${where} already points ${domain} ${type} at ${ips.join(', ')}; DNS caches may still hold the old answer for up to ${current.ttl} s.`,
    );
    await deps.model.afterWrite(['cloudDns', 'dns']);
    return 'unchanged';
  }
  const wanted: DnsRecordSet = { name: domain, type, ttl: current?.ttl ?? DNS_RECORD_TTL, rrdatas: [...ips] };
  if (!options.confirmed) {
    const detail = current
      ? `${domain} ${type} ${current.rrdatas.join(', ')} → ${ips.join(', ')} (TTL ${wanted.ttl} s). Until caches expire some clients still reach the old address.`
      : `${domain} ${type} → ${ips.join(', ')} (TTL ${wanted.ttl} s).`;
    if (
      !(await deps.ui.confirm(
        `${current ? 'Change' : 'Create'} the ${type} record of ${domain} in ${where}?`,
        detail,
        current ? 'Change Record' : 'Create Record',
      ))
    )
      return 'declined';
  }
  const previous = current ? { name: current.name, type: current.type, ttl: current.ttl, rrdatas: current.rrdatas } : undefined;
  try {
    await deps.ui.withProgress(`Writing ${domain} ${type} in ${where}`, (_report, signal) =>
      deps.dns.change(zone, { remove: previous ? [previous] : [], add: [wanted] }, signal),
    );
  } finally {
    await deps.model.afterWrite(['cloudDns', 'dns']);
  }
  const message = `${where}: ${domain} ${type} ${previous ? `${previous.rrdatas.join(', ')} → ` : '→ '}${ips.join(', ')}.`;
  deps.ui.log(message);
  deps.ui.info(`${message} The certificate check runs again as DNS caches catch up.`);
  return previous ? 'updated' : 'created';
}
