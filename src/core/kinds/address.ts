// Global static IP addresses, IPv4 or IPv6.
import { createOrAdopt } from '../apply/stepTools';
import { block, hclString } from '../plan/hcl';
import { gcloudGroup, type KindDeclaration } from './kind';

const kind = {
  kind: 'address',
  label: 'address',
  plural: 'addresses',
  collection: 'addresses',
  gcloud: 'compute addresses',
  regional: false,
  deletePhase: 5,
  consolePath: () => '/networking/addresses/list',
  compute: { collection: 'addresses', param: 'address', regional: false, api: (c) => c.globalAddresses },
} satisfies Omit<KindDeclaration, 'steps'>;

export const address: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'address',
      describe: (s) => `global ${s.body.ipVersion === 'IPV6' ? 'IPv6' : 'IPv4'} address ${s.name}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: ['--global', ...(step.body.ipVersion === 'IPV6' ? ['--ip-version=IPV6'] : []), `--project=${context.project}`],
      }),
      terraform: {
        type: 'google_compute_global_address',
        lines: (s, t) => t.resource([`name       = ${hclString(s.name)}`, `ip_version = ${hclString(String(s.body.ipVersion))}`]),
        outputs: (s, address) =>
          block(`output "${address.split('.')[1]}"`, [
            `description = ${hclString(`Point the DNS ${s.body.ipVersion === 'IPV6' ? 'AAAA' : 'A'} records of the domains here.`)}`,
            `value       = ${address}.address`,
          ]),
      },
      // Its IP is read back for the rules and the DNS records; nothing else needs the server's copy.
      execute: (c) => createOrAdopt(c, c.step.body, { readBack: true }),
    },
  ],
};
