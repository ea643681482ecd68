// Cloud Armor security policies. The extension never makes or deletes one: a plan attaches a backend security policy
// the project has to the backend service (`backend-services update --security-policy`), and its Undo puts back the
// policy that was there before.
import { lastPart, normalizeRef } from '../gcp/refs';
import type { BackendService } from '../gcp/types';
import { backendService } from './backendService';
import { gcloudGroup, type KindDeclaration, type StepJudgement } from './kind';

/** What an attachment's Undo needs: the policy it set, and the one it replaced (null: none). */
interface PolicyChange {
  policy: string;
  previous: string | null;
}

const same = (a: string | null | undefined, b: string | null | undefined, project: string) =>
  (a ? normalizeRef(a, project) : '') === (b ? normalizeRef(b, project) : '');

export const securityPolicy: KindDeclaration = {
  kind: 'securityPolicy',
  label: 'Cloud Armor policy',
  plural: 'Cloud Armor policies',
  collection: 'securityPolicies',
  gcloud: 'compute security-policies',
  regional: false,
  consolePath: (name) => `/net-security/securitypolicies/details/${encodeURIComponent(name)}`,
  compute: { collection: 'securityPolicies', param: 'securityPolicy', regional: false, api: (c) => c.securityPolicies },
  onDemand: true,
  steps: [
    {
      step: 'attachSecurityPolicy',
      headline: { label: 'Cloud Armor policy', detail: (s) => ` ← ${lastPart(s.body.securityPolicy)}` },
      label: 'Cloud Armor policy of backend service',
      changes: 'backendServices',
      amends: true,
      describe: (s) => `attach Cloud Armor policy ${lastPart(s.body.securityPolicy)} to backend service ${s.name}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(backendService), 'update', step.name],
        flags: [`--security-policy=${lastPart(step.body.securityPolicy)}`, '--global', `--project=${context.project}`],
      }),
      terraform: {
        attributes: (s, t) => [`security_policy       = ${t.refOrLiteral(s.body.securityPolicy, 'securityPolicies')}`],
        // A backend service the plan does not make is not in the configuration: say where the attribute goes.
        lines: (s, t) =>
          t.ref('backendServices', s.name, 'id')
            ? []
            : [
                `# Set on the google_compute_backend_service named "${s.name}", where it is defined:`,
                `#   security_policy = ${t.refOrLiteral(s.body.securityPolicy, 'securityPolicies')}`,
              ],
      },
      judge(step, live, project): StepJudgement {
        const service = live.backendServices.find((b) => b.name === step.name);
        return service && same(service.securityPolicy, String(step.body.securityPolicy), project)
          ? { action: 'exists' }
          : { action: 'update' };
      },
      /** Reads the backend service, then sets the policy; nothing when it is set already. */
      async execute(context) {
        const { step, clients, signal } = context;
        const compute = clients.compute;
        const policy = String(step.body.securityPolicy);
        const service: BackendService = await compute.get('backendServices', step.name, { signal });
        if (same(service.securityPolicy, policy, compute.project))
          return {
            outcome: 'adopted',
            message: `Backend service ${step.name} already uses Cloud Armor policy ${lastPart(policy)}.`,
            resource: service,
          };
        context.sending();
        const updated = await compute.setSecurityPolicy(step.name, policy, signal);
        const change: PolicyChange = { policy, previous: service.securityPolicy ?? null };
        return {
          outcome: 'updated',
          message: `Attached Cloud Armor policy ${lastPart(policy)} to backend service ${step.name}${change.previous ? ` (was ${lastPart(change.previous)})` : ''}.`,
          resource: updated,
          undo: change,
        };
      },
      /** Puts back the policy that was there, unless someone changed it since. */
      async undo({ name: backendService, record }, { compute }, signal) {
        const change = record as PolicyChange;
        const service = await compute.find('backendServices', backendService, { signal });
        if (!service) return undefined;
        if (!same(service.securityPolicy, change.policy, compute.project))
          return `Backend service ${backendService} now uses ${service.securityPolicy ? `Cloud Armor policy ${lastPart(service.securityPolicy)}` : 'no Cloud Armor policy'}, not ${lastPart(change.policy)} as this plan left it; Undo leaves it as it is.`;
        await compute.setSecurityPolicy(backendService, change.previous, signal);
        return undefined;
      },
    },
  ],
};
