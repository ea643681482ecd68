// Classic SSL certificates, Google-managed: provisioned once the domains point at a rule on 443.
import { createOrAdopt } from '../apply/stepTools';
import { block, hclString } from '../plan/hcl';
import { gcloudGroup, loadBalancingPage, type KindDeclaration } from './kind';

const kind = {
  kind: 'sslCertificate',
  label: 'SSL certificate',
  plural: 'SSL certificates',
  collection: 'sslCertificates',
  gcloud: 'compute ssl-certificates',
  regional: false,
  deletePhase: 2,
  consolePath: loadBalancingPage('advanced/sslCertificates/details'),
  compute: { collection: 'sslCertificates', param: 'sslCertificate', regional: false, api: (c) => c.sslCertificates },
} satisfies Omit<KindDeclaration, 'steps'>;

const domains = (body: Record<string, unknown>) => (body.managed as { domains: string[] }).domains;

export const sslCertificate: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'sslCertificate',
      describe: (s) => `Google-managed certificate ${s.name} for ${domains(s.body).join(', ')}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: [
          `--domains=${domains(step.body).join(',')}`,
          ...(step.body.description ? [`--description=${String(step.body.description)}`] : []),
          '--global',
          `--project=${context.project}`,
        ],
      }),
      terraform: {
        type: 'google_compute_managed_ssl_certificate',
        lines: (s, t) =>
          t.resource([
            `name = ${hclString(s.name)}`,
            ...(s.body.description ? [`description = ${hclString(String(s.body.description))}`] : []),
            ...block('managed', [`domains = [${domains(s.body).map(hclString).join(', ')}]`]),
          ]),
      },
      execute: (c) => createOrAdopt(c),
    },
  ],
};
