// Certificate Manager map entries: a host name (or the primary entry, for clients without SNI) and its certificates.
// They go with the proxies' certificates when a load balancer is deleted.
import { createOrAdoptInCertificateManager } from '../apply/stepTools';
import { hclString } from '../plan/hcl';
import { lastPart } from '../gcp/refs';
import { gcloudGroup, type KindDeclaration } from './kind';

const kind = {
  kind: 'certificateMapEntry',
  label: 'certificate map entry',
  plural: 'certificate map entries',
  collection: 'certificateMapEntries',
  gcloud: 'certificate-manager maps entries',
  regional: false,
  deletePhase: 2,
  consolePath: () => '/security/ccm/list/certificates',
  certificateManager: { collection: 'certificateMapEntries', api: (l) => l.certificateMaps.certificateMapEntries },
} satisfies Omit<KindDeclaration, 'steps'>;

const certificates = (body: Record<string, unknown>) => body.certificates as string[];

export const certificateMapEntry: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'certificateMapEntry',
      describe: (s) =>
        `certificate map entry ${s.name} in ${s.parent}: ${s.body.matcher === 'PRIMARY' ? 'primary (no SNI)' : String(s.body.hostname)} → ${certificates(s.body).map(lastPart).join(', ')}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: [
          `--map=${step.parent}`,
          `--certificates=${certificates(step.body).map(lastPart).join(',')}`,
          step.body.matcher === 'PRIMARY' ? '--set-primary' : `--hostname=${String(step.body.hostname)}`,
          `--project=${context.project}`,
        ],
      }),
      terraform: {
        type: 'google_certificate_manager_certificate_map_entry',
        importId: (s, project) => `projects/${project}/locations/global/certificateMaps/${s.parent}/certificateMapEntries/${s.name}`,
        lines: (s, t) =>
          t.resource([
            `name         = ${hclString(s.name)}`,
            `map          = ${t.ref('certificateMaps', s.parent ?? '', 'name') ?? hclString(s.parent ?? '')}`,
            `certificates = [${certificates(s.body)
              .map((c) => t.ref('certificates', lastPart(c), 'id') ?? hclString(c))
              .join(', ')}]`,
            s.body.matcher ? `matcher      = ${hclString(String(s.body.matcher))}` : `hostname     = ${hclString(String(s.body.hostname))}`,
          ]),
      },
      execute: createOrAdoptInCertificateManager,
    },
  ],
};
