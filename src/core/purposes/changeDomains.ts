// Change domains: a new managed certificate beside the old ones on an existing HTTPS proxy; a finish
// step, offered once it is ACTIVE, removes the old.
import { dnsRecordLine } from '../findings/format';
import { globalAnnouncement } from './globalize';
import { conflictNotice } from './notices';
import type { PurposeModule } from './purpose';

export const changeDomains: PurposeModule = {
  wizardTitle: 'Change domains',
  documentPrefix: 'change-domains',
  previewTitle: (plan) => `# Change the domains of the load balancer of ${plan.service}`,
  // A domain change leaves the options as they are.
  showsOptions: false,
  scriptTitle: (plan) =>
    `Change the domains of the load balancer of ${plan.service}: a new managed certificate beside the old one on ${plan.domainChange?.httpsProxy ?? plan.names.httpsProxy}`,
  terraformTitle: (plan) =>
    `Cloud Run service ${plan.service}: new domains, a new managed certificate beside the old on ${plan.domainChange?.httpsProxy ?? plan.names.httpsProxy}`,
  progressTitle: (plan) => `Changing the domains of ${plan.domainChange?.httpsProxy ?? plan.service}`,
  conflictNotice: (plan) => conflictNotice(plan),
  announcement(plan, result) {
    const change = plan.domainChange;
    if (!change) return globalAnnouncement(plan, result);
    const records = plan.knownIp ? plan.domains.map((d) => dnsRecordLine(d, 'A', plan.knownIp!)) : [];
    return {
      severity: 'information',
      message:
        `Certificate ${change.newCertificate} is attached to ${change.httpsProxy} beside ${change.oldCertificates.join(', ') || 'nothing'}, which keeps serving. ` +
        `Once it is ACTIVE (DNS: ${records.join('  ') || 'the domains must point at the load balancer'}), finish the change to remove the old one; the explorer, the lens and a notification offer it.`,
      offers: [
        ...(records.length ? [{ label: 'Copy DNS Records', followUp: { kind: 'copyDnsRecords', records } } as const] : []),
        {
          label: 'Diagnose Certificate',
          followUp: {
            kind: 'diagnoseCertificate',
            certificateId: `projects/${plan.project}/global/sslCertificates/${change.newCertificate}`,
          },
        },
        { label: 'Undo', followUp: { kind: 'undo' } },
      ],
    };
  },
};
