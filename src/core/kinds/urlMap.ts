// URL maps: which backend serves which host and path, or a redirect (HTTP to HTTPS).
import { stringify } from 'yaml';
import { createOrAdopt } from '../apply/stepTools';
import { block, hclString } from '../plan/hcl';
import { lastPart } from '../gcp/refs';
import { gcloudGroup, loadBalancingPage, type KindDeclaration } from './kind';

const kind = {
  kind: 'urlMap',
  label: 'URL map',
  plural: 'URL maps',
  collection: 'urlMaps',
  gcloud: 'compute url-maps',
  regional: false,
  deletePhase: 2,
  consolePath: loadBalancingPage('details/httpAdvanced'),
  compute: { collection: 'urlMaps', param: 'urlMap', regional: false, api: (c) => c.urlMaps },
} satisfies Omit<KindDeclaration, 'steps'>;

type Redirect = { redirectResponseCode: string; stripQuery?: boolean };

export const urlMap: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'urlMap',
      describe: (s) =>
        s.body.defaultUrlRedirect
          ? `URL map ${s.name} redirecting HTTP to HTTPS`
          : `URL map ${s.name} sending everything to ${lastPart(s.body.defaultService)}`,
      gcloud(step, context) {
        const project = `--project=${context.project}`;
        // gcloud has no flag for a redirect-only map: it imports the resource from YAML.
        if (step.body.defaultUrlRedirect)
          return {
            command: [...gcloudGroup(kind), 'import', step.name],
            flags: ['--global', project],
            stdin: stringify(step.body).trimEnd(),
          };
        return {
          command: [...gcloudGroup(kind), 'create', step.name],
          flags: [`--default-service=${lastPart(step.body.defaultService)}`, '--global', project],
        };
      },
      terraform: {
        type: 'google_compute_url_map',
        lines(s, t) {
          const redirect = s.body.defaultUrlRedirect as Redirect | undefined;
          if (redirect) {
            return t.resource([
              `name = ${hclString(s.name)}`,
              ...block('default_url_redirect', [
                'https_redirect         = true',
                `redirect_response_code = ${hclString(redirect.redirectResponseCode)}`,
                `strip_query            = ${redirect.stripQuery ? 'true' : 'false'}`,
              ]),
            ]);
          }
          return t.resource([
            `name            = ${hclString(s.name)}`,
            `default_service = ${t.refOrLiteral(s.body.defaultService, 'backendServices')}`,
          ]);
        },
      },
      execute: (c) => createOrAdopt(c),
    },
  ],
};
