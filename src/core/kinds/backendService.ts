// Global backend services: the serverless NEGs of a Cloud Run service, one per region, with CDN and the scheme.
import { createOrAdopt, whenReferencesReady } from '../apply/stepTools';
import { block, hclString } from '../plan/hcl';
import { lastPart } from '../gcp/refs';
import { gcloudGroup, loadBalancingPage, type KindDeclaration } from './kind';

const kind = {
  kind: 'backendService',
  label: 'backend service',
  plural: 'backend services',
  collection: 'backendServices',
  gcloud: 'compute backend-services',
  regional: false,
  deletePhase: 3,
  consolePath: loadBalancingPage('backends/details/backendService'),
  compute: { collection: 'backendServices', param: 'backendService', regional: false, api: (c) => c.backendServices },
} satisfies Omit<KindDeclaration, 'steps'>;

export const backendService: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'backendService',
      describe: (s) => `backend service ${s.name} (${String(s.body.loadBalancingScheme)}${s.body.enableCDN ? ', Cloud CDN' : ''})`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: [
          '--global',
          `--load-balancing-scheme=${String(step.body.loadBalancingScheme)}`,
          ...(step.body.enableCDN ? ['--enable-cdn'] : []),
          `--project=${context.project}`,
        ],
      }),
      terraform: {
        type: 'google_compute_backend_service',
        // Serverless NEGs: no health checks, timeout, port name or balancing mode. Backends come from the add-backend steps.
        lines: (s, t) =>
          t.resource([
            `name                  = ${hclString(s.name)}`,
            `load_balancing_scheme = ${hclString(String(s.body.loadBalancingScheme))}`,
            `enable_cdn            = ${s.body.enableCDN ? 'true' : 'false'}`,
          ]),
      },
      execute: (c) => createOrAdopt(c),
    },
    {
      step: 'addBackend',
      headline: { label: 'add backend', detail: (s) => ` + ${lastPart(s.body.group)}` },
      amends: true,
      describe: (s) => `add NEG ${lastPart(s.body.group)} (${s.region}) to backend service ${s.name}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'add-backend', step.name],
        flags: [
          '--global',
          `--network-endpoint-group=${lastPart(step.body.group)}`,
          `--network-endpoint-group-region=${step.region}`,
          `--project=${context.project}`,
        ],
      }),
      terraform: {
        // A backend block of the backend service's resource; said in a comment when the plan does not make that service.
        attributes: (s, t) => block('backend', [`group = ${t.refOrLiteral(s.body.group, 'networkEndpointGroups')}`]),
        lines: (s, t) =>
          t.ref('backendServices', s.name, 'id')
            ? []
            : [
                `# Add to the google_compute_backend_service named "${s.name}", where it is defined:`,
                '#   backend {',
                `#     group = ${t.refOrLiteral(s.body.group, 'networkEndpointGroups')}`,
                '#   }',
              ],
      },
      /** gcloud's add-backend: read, append the NEG, write back with the fingerprint; nothing when attached. */
      async execute(context) {
        const { step, clients, signal } = context;
        const group = String(step.body.group);
        context.sending();
        const { service, changed } = await whenReferencesReady(() => clients.compute.addBackend(step.name, group, signal), signal);
        return changed
          ? {
              outcome: 'updated',
              message: `Added NEG ${lastPart(group)} (${step.region}) to backend service ${step.name}.`,
              resource: service,
            }
          : {
              outcome: 'adopted',
              message: `NEG ${lastPart(group)} (${step.region}) is already a backend of ${step.name}.`,
              resource: service,
            };
      },
    },
  ],
};
