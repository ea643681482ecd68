// Certificate Manager certificate maps: which certificate a proxy serves for which host name.
import { createOrAdoptInCertificateManager } from '../apply/stepTools';
import { hclString } from '../plan/hcl';
import { gcloudGroup, type KindDeclaration } from './kind';

const kind = {
  kind: 'certificateMap',
  label: 'certificate map',
  plural: 'certificate maps',
  collection: 'certificateMaps',
  gcloud: 'certificate-manager maps',
  regional: false,
  deletePhase: 3,
  consolePath: () => '/security/ccm/list/certificates',
  certificateManager: { collection: 'certificateMaps', api: (l) => l.certificateMaps },
} satisfies Omit<KindDeclaration, 'steps'>;

export const certificateMap: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'certificateMap',
      describe: (s) => `certificate map ${s.name}`,
      gcloud: (step, context) => ({ command: [...gcloudGroup(kind), 'create', step.name], flags: [`--project=${context.project}`] }),
      terraform: {
        type: 'google_certificate_manager_certificate_map',
        importId: (s, project) => `projects/${project}/locations/global/${s.collection}/${s.name}`,
        lines: (s, t) => t.resource([`name = ${hclString(s.name)}`]),
      },
      execute: createOrAdoptInCertificateManager,
    },
  ],
};
