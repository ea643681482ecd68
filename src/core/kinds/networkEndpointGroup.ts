// Serverless network endpoint groups: one per region, each pointing at the Cloud Run service there.
import { createOrAdopt } from '../apply/stepTools';
import { block, hclString } from '../plan/hcl';
import { gcloudGroup, type KindDeclaration } from './kind';

const e = encodeURIComponent;

const kind = {
  kind: 'networkEndpointGroup',
  label: 'network endpoint group',
  plural: 'network endpoint groups',
  collection: 'networkEndpointGroups',
  gcloud: 'compute network-endpoint-groups',
  regional: true,
  deletePhase: 4,
  consolePath: (name: string, region?: string) => `/compute/networkendpointgroups/details/${e(region ?? 'global')}/${e(name)}`,
  compute: {
    collection: 'networkEndpointGroups',
    param: 'networkEndpointGroup',
    regional: true,
    api: (c) => c.regionNetworkEndpointGroups,
  },
} satisfies Omit<KindDeclaration, 'steps'>;

const service = (body: Record<string, unknown>) => (body.cloudRun as { service: string }).service;

export const networkEndpointGroup: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'networkEndpointGroup',
      describe: (s) => `serverless NEG ${s.name} in ${s.region} for Cloud Run service ${service(s.body)}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: [
          `--region=${step.region}`,
          '--network-endpoint-type=SERVERLESS',
          `--cloud-run-service=${service(step.body)}`,
          `--project=${context.project}`,
        ],
      }),
      terraform: {
        type: 'google_compute_region_network_endpoint_group',
        importId: (s, project) => `projects/${project}/regions/${s.region}/networkEndpointGroups/${s.name}`,
        lines: (s, t) =>
          t.resource([
            `name                  = ${hclString(s.name)}`,
            `region                = ${hclString(s.region ?? '')}`,
            'network_endpoint_type = "SERVERLESS"',
            ...block('cloud_run', [`service = ${t.ref('runServices', service(s.body), 'name', s.region) ?? hclString(service(s.body))}`]),
          ]),
      },
      execute: (c) => createOrAdopt(c),
    },
  ],
};
