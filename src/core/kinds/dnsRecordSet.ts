// Cloud DNS record sets: the A and AAAA records of the load balancer's domains, in zones the user can see. Never
// deleted with a load balancer: a record a plan wrote is removed or restored only by that plan's Undo.
import { addressIp, type DnsWrite } from '../apply/stepTools';
import { CloudError } from '../gcp/errors';
import type { DnsRecordSet, DnsZone } from '../gcp/cloudDns';
import { describeDnsStep, dnsBody, dnsGcloudCommand, dnsTerraform } from '../plan/dnsRecords';
import { hclString } from '../plan/hcl';
import { lastPart } from '../gcp/refs';
import { type KindDeclaration } from './kind';

export const dnsRecordSet: KindDeclaration = {
  kind: 'dnsRecordSet',
  label: 'Cloud DNS record',
  plural: 'Cloud DNS records',
  collection: 'dnsRecordSets',
  gcloud: 'dns record-sets',
  regional: false,
  consolePath: () => '/net-services/dns/zones',
  steps: [
    {
      step: 'dnsRecord',
      headline: { label: 'Cloud DNS record', detail: (s) => ` ${String(s.body.type)} in zone ${String(s.body.zone)}` },
      amends: true,
      describe: describeDnsStep,
      gcloud: (step, context) =>
        dnsGcloudCommand(step, { project: context.project, addressIp: context.addressIp, planProject: context.planProject ?? '' }),
      terraform: {
        type: 'google_dns_record_set',
        importId: (s) =>
          `projects/${String(s.body.zoneProject)}/managedZones/${String(s.body.zone)}/rrsets/${s.name}./${String(s.body.type)}`,
        lines(s, t) {
          // An existing record (an update) is imported too: Terraform then owns it and points it here.
          const dns = dnsTerraform(s, t.refOrLiteral(dnsBody(s).address, 'addresses', 'address'), hclString, t.plan.project);
          return [...(dns.importId && s.action !== 'exists' ? t.importBlock(dns.importId) : []), ...t.resource(dns.lines)];
        },
      },
      /**
       * Points a domain's A or AAAA record in its Cloud DNS zone at the address's IP. The record is read again first:
       * what is there now (not what the plan saw) is what the change replaces, atomically, and what Undo restores.
       */
      async execute(context) {
        const { step, clients, signal } = context;
        const body = dnsBody(step);
        if (!clients.dns)
          throw new CloudError('This plan writes Cloud DNS records but no Cloud DNS client was given.', { kind: 'invalid' });
        const ip = await addressIp(context, lastPart(body.address));
        const zone: DnsZone = { project: body.zoneProject, name: body.zone, dnsName: body.zoneDnsName, visibility: 'public' };
        const where = `Cloud DNS zone ${body.zone}`;
        const atName = await clients.dns.listRecordSets(zone, step.name, undefined, signal);
        const cname = atName.find((r) => r.type === 'CNAME');
        if (cname) {
          throw new CloudError(
            `${step.name} is a CNAME to ${cname.rrdatas.join(', ')} in ${where}; an ${body.type} record cannot sit beside it.`,
            {
              kind: 'conflict',
              action: `write the ${body.type} record of ${step.name}`,
              remedy:
                "Remove the CNAME in Cloud DNS (or point it at a name whose record is the load balancer's IP), then run the plan again.",
            },
          );
        }
        const current = atName.find((r) => r.type === body.type);
        const written: DnsRecordSet = { name: step.name, type: body.type, ttl: body.ttl, rrdatas: [ip] };
        if (current && current.rrdatas.length === 1 && current.rrdatas[0].toLowerCase() === ip.toLowerCase()) {
          return { outcome: 'adopted', message: `${where} already points ${step.name} ${body.type} at ${ip}.`, resource: undefined };
        }
        const previous: DnsRecordSet | undefined = current
          ? { name: current.name, type: current.type, ttl: current.ttl, rrdatas: [...current.rrdatas] }
          : undefined;
        context.sending();
        await clients.dns.change(zone, { remove: previous ? [previous] : [], add: [written] }, signal);
        const resource: DnsWrite = { written, previous };
        return previous
          ? { outcome: 'updated', message: `${where}: ${step.name} ${body.type} ${previous.rrdatas.join(', ')} → ${ip}.`, resource }
          : { outcome: 'created', message: `${where}: created ${step.name} ${body.type} → ${ip}.`, resource };
      },
    },
  ],
};
