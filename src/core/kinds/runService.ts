// Cloud Run services: deployed from the Knative YAML where a region lacks one, and opened to the load balancer's
// callers (roles/run.invoker for allUsers). A service this extension deployed is never deleted by it.
import type { run_v1 } from 'googleapis/build/src/apis/run/v1';
import { ServiceAlreadyRuns } from '../gcp/run';
import { block, hclString } from '../plan/hcl';
import { gcloudGroup, type KindDeclaration } from './kind';

const e = encodeURIComponent;

const kind = {
  kind: 'runService',
  label: 'Cloud Run service',
  plural: 'Cloud Run services',
  collection: 'runServices',
  gcloud: 'run services',
  regional: true,
  consolePath: (name: string, region?: string) => `/run/detail/${e(region ?? '')}/${e(name)}/metrics`,
} satisfies Omit<KindDeclaration, 'steps'>;

const V2_INGRESS: Record<string, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

/** The Knative manifest's main settings as a Cloud Run v2 resource; the rest is named in a comment. */
function cloudRunV2(s: { name: string; region?: string; body: Record<string, unknown> }): string[] {
  const manifest = s.body as {
    metadata?: { annotations?: Record<string, string> };
    spec?: { template?: { spec?: { containers?: Record<string, any>[] } } }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const containers = manifest.spec?.template?.spec?.containers ?? [];
  const ingress = V2_INGRESS[manifest.metadata?.annotations?.['run.googleapis.com/ingress'] ?? 'all'] ?? 'INGRESS_TRAFFIC_ALL';
  const containerBlocks = containers.flatMap((c) =>
    block('containers', [
      `image = ${hclString(String(c.image ?? ''))}`,
      ...((c.ports ?? []) as { containerPort?: number }[])
        .filter((p) => p.containerPort)
        .flatMap((p) => block('ports', [`container_port = ${p.containerPort}`])),
      ...((c.env ?? []) as { name?: string; value?: string }[])
        .filter((v) => v.name && v.value !== undefined)
        .flatMap((v) => block('env', [`name  = ${hclString(v.name!)}`, `value = ${hclString(String(v.value))}`])),
      ...(c.resources?.limits
        ? block('resources', [
            `limits = { ${Object.entries(c.resources.limits as Record<string, string>)
              .map(([k, v]) => `${hclString(k)} = ${hclString(String(v))}`)
              .join(', ')} }`,
          ])
        : []),
    ]),
  );
  return [
    '# From the Knative YAML: images, ports, plain env values and limits; translate any other settings by hand.',
    `name     = ${hclString(s.name)}`,
    `location = ${hclString(s.region ?? '')}`,
    `ingress  = ${hclString(ingress)}`,
    ...block('template', containerBlocks),
  ];
}

export const runService: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'deployService',
      headline: { label: 'deploy' },
      describe: (s) => `deploy Cloud Run service ${s.name} to ${s.region}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'replace', context.manifestFile(step)],
        flags: [`--region=${step.region}`, `--project=${context.project}`],
      }),
      terraform: {
        type: 'google_cloud_run_v2_service',
        importId: (s, project) => `projects/${project}/locations/${s.region}/services/${s.name}`,
        lines: (s, t) => t.resource(cloudRunV2(s)),
      },
      /** Deploys the Knative YAML to a region where the service does not run yet; never replaces a running one. */
      async execute(context) {
        const { step, clients, signal } = context;
        const region = step.region ?? '';
        const running = await clients.run.findService(region, step.name, signal);
        if (running && step.action !== 'update')
          return {
            outcome: 'adopted',
            message: `Cloud Run service ${step.name} already runs in ${region}; not redeployed.`,
            resource: running,
          };
        context.sending();
        try {
          const deployed = await clients.run.deployKnative(region, step.body as run_v1.Schema$Service, signal, {
            replace: step.action === 'update',
          });
          return { outcome: 'created', message: `Deployed Cloud Run service ${step.name} to ${region}.`, resource: deployed };
        } catch (err) {
          // It appeared between the look-up and the create (another deploy, or an earlier run's answer that was lost): it runs, keep it.
          if (!(err instanceof ServiceAlreadyRuns)) throw err;
          const existing = await clients.run.findService(region, step.name, signal);
          return {
            outcome: 'adopted',
            message: `Cloud Run service ${step.name} already runs in ${region}; not replaced.`,
            resource: existing,
          };
        }
      },
    },
    {
      step: 'invokerBinding',
      amends: true,
      label: 'invoker binding',
      describe: (s) => `grant ${String(s.body.role)} to ${String(s.body.member)} on Cloud Run service ${s.name} in ${s.region}`,
      gcloud: (step, context) => ({
        command: [...gcloudGroup(kind), 'add-iam-policy-binding', step.name],
        flags: [
          `--region=${step.region}`,
          `--member=${String(step.body.member)}`,
          `--role=${String(step.body.role)}`,
          `--project=${context.project}`,
        ],
      }),
      terraform: {
        type: 'google_cloud_run_service_iam_member',
        importId: (s, project) =>
          `projects/${project}/locations/${s.region}/services/${s.name} ${String(s.body.role)} ${String(s.body.member)}`,
        // A deployed Cloud Run v2 service takes the v1 IAM member resource (one policy per service).
        lines: (s, t) =>
          t.resource([
            `location = ${hclString(s.region ?? '')}`,
            `service  = ${t.ref('runServices', s.name, 'name', s.region) ?? hclString(s.name)}`,
            `role     = ${hclString(String(s.body.role))}`,
            `member   = ${hclString(String(s.body.member))}`,
          ]),
      },
      judge(step, live) {
        const running = live.services.find((x) => x.name === step.name && x.region === step.region);
        if (!running) return { action: step.action };
        return { action: live.invokers?.get(running.resourceName)?.public ? 'exists' : 'update' };
      },
      /** gcloud's add-iam-policy-binding: read the policy, add the member, write back with the etag; nothing when bound. */
      async execute(context) {
        const { step, clients, signal } = context;
        const region = step.region ?? '';
        const member = String(step.body.member);
        context.sending();
        const { policy, changed } = await clients.run.addInvoker(region, step.name, member, signal);
        return changed
          ? {
              outcome: 'updated',
              message: `Granted ${String(step.body.role)} to ${member} on Cloud Run service ${step.name} in ${region}.`,
              resource: policy,
            }
          : {
              outcome: 'adopted',
              message: `Cloud Run service ${step.name} in ${region} already grants ${String(step.body.role)} to ${member}.`,
              resource: policy,
            };
      },
    },
  ],
};
