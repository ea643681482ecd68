// Target HTTP proxies: plain HTTP in front of a URL map (the HTTP-to-HTTPS redirect).
import { createOrAdopt } from '../apply/stepTools';
import { hclString } from '../plan/hcl';
import { lastPart } from '../gcp/refs';
import { gcloudGroup, loadBalancingPage, type KindDeclaration } from './kind';

const kind = {
  kind: 'targetHttpProxy',
  label: 'target HTTP proxy',
  plural: 'target HTTP proxies',
  collection: 'targetHttpProxies',
  gcloud: 'compute target-http-proxies',
  regional: false,
  deletePhase: 1,
  consolePath: loadBalancingPage('advanced/targetHttpProxies/details'),
  compute: { collection: 'targetHttpProxies', param: 'targetHttpProxy', regional: false, api: (c) => c.targetHttpProxies },
} satisfies Omit<KindDeclaration, 'steps'>;

export const targetHttpProxy: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'targetHttpProxy',
      describe: (s) => `target HTTP proxy ${s.name}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: [`--url-map=${lastPart(step.body.urlMap)}`, `--project=${context.project}`],
      }),
      terraform: {
        type: 'google_compute_target_http_proxy',
        lines: (s, t) => t.resource([`name    = ${hclString(s.name)}`, `url_map = ${t.refOrLiteral(s.body.urlMap, 'urlMaps')}`]),
      },
      execute: (c) => createOrAdopt(c),
    },
  ],
};
