// Certificate Manager certificates, Google-managed and authorized through DNS.
import { createOrAdoptInCertificateManager } from '../apply/stepTools';
import { block, hclString } from '../plan/hcl';
import { lastPart } from '../gcp/refs';
import { gcloudGroup, type KindDeclaration } from './kind';

const kind = {
  kind: 'certificateManagerCertificate',
  label: 'Certificate Manager certificate',
  plural: 'Certificate Manager certificates',
  collection: 'certificates',
  gcloud: 'certificate-manager certificates',
  regional: false,
  deletePhase: 3,
  consolePath: () => '/security/ccm/list/certificates',
  certificateManager: { collection: 'certificates', api: (l) => l.certificates },
} satisfies Omit<KindDeclaration, 'steps'>;

const managed = (body: Record<string, unknown>) => body.managed as { domains: string[]; dnsAuthorizations: string[] };

export const certificateManagerCertificate: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'certificateManagerCertificate',
      describe: (s) => `Certificate Manager certificate ${s.name} for ${managed(s.body).domains.join(', ')}, authorized through DNS`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: [
          `--domains=${managed(step.body).domains.join(',')}`,
          `--dns-authorizations=${managed(step.body).dnsAuthorizations.map(lastPart).join(',')}`,
          `--project=${context.project}`,
        ],
      }),
      terraform: {
        type: 'google_certificate_manager_certificate',
        importId: (s, project) => `projects/${project}/locations/global/${s.collection}/${s.name}`,
        lines: (s, t) =>
          t.resource([
            `name = ${hclString(s.name)}`,
            ...block('managed', [
              `domains            = [${managed(s.body).domains.map(hclString).join(', ')}]`,
              `dns_authorizations = [${managed(s.body)
                .dnsAuthorizations.map((a) => t.ref('dnsAuthorizations', lastPart(a), 'id') ?? hclString(a))
                .join(', ')}]`,
            ]),
          ]),
      },
      execute: createOrAdoptInCertificateManager,
    },
  ],
};
