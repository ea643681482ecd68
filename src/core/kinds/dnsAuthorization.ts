// Certificate Manager DNS authorizations: a `_acme-challenge` CNAME per domain lets Google issue the certificate
// before the A record moves.
import { createOrAdoptInCertificateManager } from '../apply/stepTools';
import { block, hclString } from '../plan/hcl';
import { gcloudGroup, type KindDeclaration } from './kind';

const kind = {
  kind: 'dnsAuthorization',
  label: 'DNS authorization',
  plural: 'DNS authorizations',
  collection: 'dnsAuthorizations',
  gcloud: 'certificate-manager dns-authorizations',
  regional: false,
  // Last among Certificate Manager's resources: a certificate names its authorizations.
  deletePhase: 4,
  consolePath: () => '/security/ccm/list/certificates',
  certificateManager: { collection: 'dnsAuthorizations', api: (l) => l.dnsAuthorizations },
} satisfies Omit<KindDeclaration, 'steps'>;

export const dnsAuthorization: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'dnsAuthorization',
      describe: (s) => `DNS authorization ${s.name} for ${String(s.body.domain)} (a _acme-challenge CNAME)`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: [`--domain=${String(step.body.domain)}`, `--project=${context.project}`],
      }),
      terraform: {
        type: 'google_certificate_manager_dns_authorization',
        importId: (s, project) => `projects/${project}/locations/global/${s.collection}/${s.name}`,
        lines: (s, t) => t.resource([`name   = ${hclString(s.name)}`, `domain = ${hclString(String(s.body.domain))}`]),
        outputs: (s, address) =>
          block(`output "${address.split('.')[1]}_cname"`, [
            `description = ${hclString(`Create this CNAME record for ${String(s.body.domain)}; the certificate becomes ACTIVE once it resolves, before the A record moves.`)}`,
            `value       = ${address}.dns_resource_record`,
          ]),
      },
      execute: createOrAdoptInCertificateManager,
    },
  ],
};
