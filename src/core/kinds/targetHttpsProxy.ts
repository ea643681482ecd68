// Target HTTPS proxies: TLS with classic certificates or a Certificate Manager map, in front of a URL map. Change
// Domains attaches a new certificate beside the old ones.
import { CloudError } from '../gcp/errors';
import { lastPart, normalizeRef } from '../gcp/refs';
import { createOrAdopt, whenReferencesReady } from '../apply/stepTools';
import { hclString } from '../plan/hcl';
import { gcloudGroup, loadBalancingPage, type KindDeclaration } from './kind';

/** Google's limit: "Each target HTTPS proxy can reference up to 15 SSL certificates". */
export const MAX_CERTIFICATES_PER_PROXY = 15;

const kind = {
  kind: 'targetHttpsProxy',
  label: 'target HTTPS proxy',
  plural: 'target HTTPS proxies',
  collection: 'targetHttpsProxies',
  gcloud: 'compute target-https-proxies',
  regional: false,
  deletePhase: 1,
  consolePath: loadBalancingPage('advanced/targetHttpsProxies/details'),
  compute: { collection: 'targetHttpsProxies', param: 'targetHttpsProxy', regional: false, api: (c) => c.targetHttpsProxies },
} satisfies Omit<KindDeclaration, 'steps'>;

const certificates = (body: Record<string, unknown>) => (body.sslCertificates as string[]).map(lastPart).join(',');

export const targetHttpsProxy: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'targetHttpsProxy',
      describe: (s) => `target HTTPS proxy ${s.name}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'create', step.name],
        flags: [
          step.body.certificateMap
            ? `--certificate-map=${lastPart(step.body.certificateMap)}`
            : `--ssl-certificates=${certificates(step.body)}`,
          `--url-map=${lastPart(step.body.urlMap)}`,
          `--project=${context.project}`,
        ],
      }),
      terraform: {
        type: 'google_compute_target_https_proxy',
        lines(s, t) {
          // The provider takes the map as Google's full resource name: "//certificatemanager.googleapis.com/" + its id.
          const map = s.body.certificateMap ? t.ref('certificateMaps', lastPart(s.body.certificateMap), 'id') : undefined;
          return t.resource([
            `name             = ${hclString(s.name)}`,
            `url_map          = ${t.refOrLiteral(s.body.urlMap, 'urlMaps')}`,
            s.body.certificateMap
              ? `certificate_map  = ${map ? `"//certificatemanager.googleapis.com/\${${map}}"` : hclString(String(s.body.certificateMap))}`
              : `ssl_certificates = [${(s.body.sslCertificates as string[]).map((c) => t.refOrLiteral(c, 'sslCertificates')).join(', ')}]`,
          ]);
        },
      },
      execute: (c) => createOrAdopt(c),
    },
    {
      step: 'attachCertificate',
      amends: true,
      label: 'attach certificate',
      describe: (s) =>
        `attach certificate ${lastPart(s.body.certificate)} to target HTTPS proxy ${s.name} beside ${
          (s.body.sslCertificates as string[])
            .map(lastPart)
            .filter((c) => c !== lastPart(s.body.certificate))
            .join(', ') || 'nothing'
        }`,
      // Replaces the proxy's list: the old certificates stay on it beside the new one.
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'update', step.name],
        flags: [`--ssl-certificates=${certificates(step.body)}`, '--global', `--project=${context.project}`],
      }),
      terraform: {
        type: 'google_compute_target_https_proxy',
        lines(s, t) {
          // The proxy exists: imported, and restated with the new certificate beside the old ones.
          const change = t.plan.domainChange;
          const newCert = lastPart(s.body.certificate);
          const finish = change?.oldCertificates.length
            ? [
                `# Once ${newCert} is ACTIVE, finish: keep only ${newCert} in ssl_certificates, apply, then delete ${change.oldCertificates.join(', ')}`,
                '# (gcloud compute ssl-certificates delete … --global). Removing them earlier leaves the old domains without a certificate.',
              ]
            : [];
          return [
            ...(s.action !== 'exists' ? t.importBlock(`projects/${t.plan.project}/global/${s.collection}/${s.name}`) : []),
            ...t.resource([
              ...finish,
              `name             = ${hclString(s.name)}`,
              `url_map          = ${t.refOrLiteral(s.body.urlMap, 'urlMaps')}`,
              `ssl_certificates = [${(s.body.sslCertificates as string[]).map((c) => t.refOrLiteral(c, 'sslCertificates')).join(', ')}]`,
            ]),
          ];
        },
      },
      judge(step, live, project) {
        const proxy = live.targetHttpsProxies.find((p) => p.name === step.name);
        const wanted = normalizeRef(String(step.body.certificate), project);
        return { action: proxy && (proxy.sslCertificates ?? []).some((c) => normalizeRef(c, project) === wanted) ? 'exists' : 'update' };
      },
      /**
       * The new certificate joins the proxy's list (read afresh, so a certificate attached meanwhile stays);
       * nothing when it is there already. The old ones stay until the finish step.
       */
      async execute(context) {
        const { step, clients, signal } = context;
        const compute = clients.compute;
        const certificate = String(step.body.certificate);
        const proxy = await compute.get('targetHttpsProxies', step.name, { signal });
        const current = proxy.sslCertificates ?? [];
        const wanted = normalizeRef(certificate, compute.project);
        if (current.some((c) => normalizeRef(c, compute.project) === wanted)) {
          return {
            outcome: 'adopted',
            message: `Certificate ${lastPart(certificate)} is already on target HTTPS proxy ${step.name}.`,
            resource: proxy,
          };
        }
        if (current.length >= MAX_CERTIFICATES_PER_PROXY) {
          throw new CloudError(
            `Target HTTPS proxy ${step.name} already holds ${current.length} certificates, Google's limit (${MAX_CERTIFICATES_PER_PROXY}).`,
            {
              kind: 'invalid',
              action: `attach certificate ${lastPart(certificate)}`,
              remedy: 'Finish or undo a pending domain change, or detach a certificate it no longer needs, then run the plan again.',
            },
          );
        }
        context.sending();
        const updated = await whenReferencesReady(() => compute.setSslCertificates(step.name, [...current, certificate], signal), signal);
        return {
          outcome: 'updated',
          message: `Attached certificate ${lastPart(certificate)} to target HTTPS proxy ${step.name} beside ${current.map(lastPart).join(', ') || 'nothing'}.`,
          resource: updated,
        };
      },
    },
  ],
};
