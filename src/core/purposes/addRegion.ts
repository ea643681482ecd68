// Add region: one more region (a NEG there, and a deploy where the service does not run) for a load
// balancer that exists.
import { conflictNotice, servingAnnouncement } from './notices';
import type { PurposeModule } from './purpose';

export const addRegion: PurposeModule = {
  wizardTitle: 'Add region',
  documentPrefix: 'add-region',
  previewTitle: (plan) => `# Add region ${plan.regions.join(', ')} to the load balancer of ${plan.service}`,
  showsOptions: true,
  scriptTitle: (plan) => `Serve Cloud Run service ${plan.service} from ${plan.regions.join(', ')} too`,
  terraformTitle: (plan) => `Cloud Run service ${plan.service}: one more region (${plan.regions.join(', ')})`,
  progressTitle: (plan) => `Adding ${plan.regions.join(', ')} to ${plan.service}`,
  conflictNotice: (plan) => conflictNotice(plan),
  // The domains point at the load balancer already: no records to copy.
  announcement: (plan, result) =>
    servingAnnouncement(plan, result, () => `${plan.service} is now also served from ${plan.regions.join(', ')}.`, { copy: false }),
};
