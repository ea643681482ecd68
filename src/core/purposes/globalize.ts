// Make global: a Cloud Run service behind a new global external Application Load Balancer.
import type { ApplyResult } from '../apply/applyTypes';
import { servesOtherDomains } from '../plan/build';
import type { Plan } from '../plan/types';
import { conflictNotice, servingAnnouncement } from './notices';
import type { Notice, PurposeModule } from './purpose';

/** "The service is behind a load balancer; create these records", with Copy DNS Records. */
export function globalAnnouncement(plan: Plan, result: ApplyResult): Notice {
  return servingAnnouncement(
    plan,
    result,
    (records) =>
      `${plan.service} is behind a global load balancer at ${result.ip ?? 'its new IP'}. Create ${records.length === 1 ? 'this DNS record' : 'these DNS records'} so the certificate can be issued: ${records.join('  ')}`,
    { copy: true },
  );
}

export const globalize: PurposeModule = {
  wizardTitle: 'Make global',
  documentPrefix: 'make-global',
  previewTitle: (plan) => `# Make ${plan.service} global`,
  showsOptions: true,
  scriptTitle: (plan) => `Put Cloud Run service ${plan.service} behind a global external Application Load Balancer`,
  terraformTitle: (plan) => `Cloud Run service ${plan.service} behind a global external Application Load Balancer`,
  progressTitle: (plan) => `Making ${plan.service} global`,
  conflictNotice(plan) {
    // Other domains on an existing proxy are a domain change, which has its own command.
    const proxy = plan.steps.find(servesOtherDomains);
    if (!proxy) return conflictNotice(plan);
    return conflictNotice(plan, ` The load balancer serves other domains: use Change Domains to move it to ${plan.domains.join(', ')}.`, [
      {
        label: 'Change Domains…',
        followUp: { kind: 'changeDomains', project: plan.project, httpsProxy: proxy.name, domains: plan.domains },
      },
    ]);
  },
  announcement: globalAnnouncement,
};
