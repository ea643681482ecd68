// The plan as a Terraform configuration (hashicorp/google provider): one resource per step,
// wired together by references; resources that exist already come with import blocks.
import { dnsTerraform } from './dnsRecords';
import { isCertificateManagerStep } from './certificateMap';
import type { Plan, PlanStep } from './types';
import { purposeOf } from '../purposes/table';

const TYPE: Record<Exclude<PlanStep['kind'], 'addBackend'>, string> = {
  deployService: 'google_cloud_run_v2_service',
  networkEndpointGroup: 'google_compute_region_network_endpoint_group',
  backendService: 'google_compute_backend_service',
  urlMap: 'google_compute_url_map',
  sslCertificate: 'google_compute_managed_ssl_certificate',
  targetHttpsProxy: 'google_compute_target_https_proxy',
  targetHttpProxy: 'google_compute_target_http_proxy',
  address: 'google_compute_global_address',
  forwardingRule: 'google_compute_global_forwarding_rule',
  invokerBinding: 'google_cloud_run_service_iam_member',
  attachCertificate: 'google_compute_target_https_proxy',
  dnsRecord: 'google_dns_record_set',
  dnsAuthorization: 'google_certificate_manager_dns_authorization',
  certificateManagerCertificate: 'google_certificate_manager_certificate',
  certificateMap: 'google_certificate_manager_certificate_map',
  certificateMapEntry: 'google_certificate_manager_certificate_map_entry',
};

const V2_INGRESS: Record<string, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

/** An HCL string literal (JSON's escapes, plus `${` and `%{` kept literal). */
export function hclString(value: string): string {
  return JSON.stringify(value)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
}

const localName = (step: PlanStep) => step.id.replace(/[^a-z0-9]+/gi, '_');
const last = (ref: unknown) =>
  String(ref ?? '')
    .split('/')
    .pop() ?? '';

/** The Google resource id an import block takes. */
function importId(step: PlanStep, project: string): string {
  if (step.kind === 'deployService') return `projects/${project}/locations/${step.region}/services/${step.name}`;
  if (step.kind === 'invokerBinding')
    return `projects/${project}/locations/${step.region}/services/${step.name} ${String(step.body.role)} ${String(step.body.member)}`;
  if (step.kind === 'certificateMapEntry')
    return `projects/${project}/locations/global/certificateMaps/${step.parent}/certificateMapEntries/${step.name}`;
  if (isCertificateManagerStep(step)) return `projects/${project}/locations/global/${step.collection}/${step.name}`;
  if (step.kind === 'networkEndpointGroup') return `projects/${project}/regions/${step.region}/networkEndpointGroups/${step.name}`;
  if (step.kind === 'dnsRecord')
    return `projects/${String(step.body.zoneProject)}/managedZones/${String(step.body.zone)}/rrsets/${step.name}./${String(step.body.type)}`;
  return `projects/${project}/global/${step.collection}/${step.name}`;
}

interface Block {
  lines: string[];
}

function block(header: string, body: string[], indent = ''): string[] {
  return [`${indent}${header} {`, ...body.map((l) => (l ? `${indent}  ${l}` : l)), `${indent}}`];
}

export function exportTerraform(plan: Plan): string {
  const byName = new Map<string, PlanStep>();
  for (const s of plan.steps)
    if (s.kind !== 'addBackend' && s.kind !== 'invokerBinding' && s.kind !== 'attachCertificate' && s.kind !== 'dnsRecord')
      byName.set(`${s.collection}/${s.name}/${s.region ?? ''}`, s);
  /** A reference to the step that makes `collection/name`, or the literal when the plan does not make it. */
  const ref = (collection: string, name: string, attribute: string, region = '') => {
    const s = byName.get(`${collection}/${name}/${region}`);
    return s && s.kind !== 'addBackend' ? `${TYPE[s.kind]}.${localName(s)}.${attribute}` : undefined;
  };
  const refOrLiteral = (link: unknown, collection: string, attribute = 'id') =>
    ref(collection, last(link), attribute, /\/regions\/([^/]+)\//.exec(String(link))?.[1]) ?? hclString(String(link));

  const change = plan.domainChange;
  const title = purposeOf(plan).terraformTitle(plan);
  const out: string[] = [
    `# ${title}.`,
    `# Regions: ${plan.regions.join(', ')}. Domains: ${plan.domains.join(', ') || '(unchanged)'}${change ? ` (were ${change.previousDomains.join(', ') || 'none'})` : ''}.`,
    '# Resources that exist already are imported (import blocks need Terraform 1.5 or later).',
    '',
    ...block('terraform', block('required_providers', ['google = {', '  source  = "hashicorp/google"', '  version = ">= 5.0"', '}'])),
    '',
    ...block('variable "project"', ['type    = string', `default = ${hclString(plan.project)}`]),
    '',
    ...block('provider "google"', ['project = var.project']),
  ];
  const blocks: Block[] = [];
  const addBackends = plan.steps.filter((s) => s.kind === 'addBackend');

  for (const s of plan.steps) {
    const body = s.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const lines: string[] = [];
    if (s.action === 'conflict') lines.push(`# CONFLICT: ${(s.differences ?? []).join('; ')}. ${s.note ?? ''}`.trimEnd());
    if (s.action === 'exists' && s.kind !== 'addBackend')
      lines.push(...block('import', [`to = ${TYPE[s.kind]}.${localName(s)}`, `id = ${hclString(importId(s, plan.project))}`]));
    const resource = (content: string[]) =>
      lines.push(...block(`resource "${TYPE[s.kind as Exclude<PlanStep['kind'], 'addBackend'>]}" "${localName(s)}"`, content));
    switch (s.kind) {
      case 'deployService':
        resource(cloudRunService(s));
        break;
      case 'networkEndpointGroup': {
        const service = ref('runServices', body.cloudRun.service, 'name', s.region) ?? hclString(body.cloudRun.service);
        resource([
          `name                  = ${hclString(s.name)}`,
          `region                = ${hclString(s.region ?? '')}`,
          'network_endpoint_type = "SERVERLESS"',
          ...block('cloud_run', [`service = ${service}`]),
        ]);
        break;
      }
      case 'backendService': {
        const backends = addBackends
          .filter((a) => a.name === s.name)
          .flatMap((a) => block('backend', [`group = ${refOrLiteral(a.body.group, 'networkEndpointGroups')}`]));
        // Serverless NEGs: no health checks, timeout, port name or balancing mode.
        resource([
          `name                  = ${hclString(s.name)}`,
          `load_balancing_scheme = ${hclString(body.loadBalancingScheme)}`,
          `enable_cdn            = ${body.enableCDN ? 'true' : 'false'}`,
          ...backends,
        ]);
        break;
      }
      case 'addBackend':
        if (!byName.has(`backendServices/${s.name}/`)) {
          lines.push(
            `# Add to the google_compute_backend_service named "${s.name}", where it is defined:`,
            '#   backend {',
            `#     group = ${refOrLiteral(s.body.group, 'networkEndpointGroups')}`,
            '#   }',
          );
        }
        break;
      case 'urlMap':
        if (body.defaultUrlRedirect) {
          resource([
            `name = ${hclString(s.name)}`,
            ...block('default_url_redirect', [
              'https_redirect         = true',
              `redirect_response_code = ${hclString(body.defaultUrlRedirect.redirectResponseCode)}`,
              `strip_query            = ${body.defaultUrlRedirect.stripQuery ? 'true' : 'false'}`,
            ]),
          ]);
        } else {
          resource([`name            = ${hclString(s.name)}`, `default_service = ${refOrLiteral(body.defaultService, 'backendServices')}`]);
        }
        break;
      case 'sslCertificate':
        resource([
          `name = ${hclString(s.name)}`,
          ...(body.description ? [`description = ${hclString(body.description)}`] : []),
          ...block('managed', [`domains = [${(body.managed.domains as string[]).map(hclString).join(', ')}]`]),
        ]);
        break;
      case 'attachCertificate': {
        // The proxy exists: imported, and restated with the new certificate beside the old ones.
        if (s.action !== 'exists')
          lines.push(...block('import', [`to = ${TYPE[s.kind]}.${localName(s)}`, `id = ${hclString(importId(s, plan.project))}`]));
        const newCert = last(body.certificate);
        const finish = change?.oldCertificates.length
          ? [
              `# Once ${newCert} is ACTIVE, finish: keep only ${newCert} in ssl_certificates, apply, then delete ${change.oldCertificates.join(', ')}`,
              '# (gcloud compute ssl-certificates delete … --global). Removing them earlier leaves the old domains without a certificate.',
            ]
          : [];
        resource([
          ...finish,
          `name             = ${hclString(s.name)}`,
          `url_map          = ${refOrLiteral(body.urlMap, 'urlMaps')}`,
          `ssl_certificates = [${(body.sslCertificates as string[]).map((c) => refOrLiteral(c, 'sslCertificates')).join(', ')}]`,
        ]);
        break;
      }
      case 'targetHttpsProxy': {
        // The provider takes the map as Google's full resource name: "//certificatemanager.googleapis.com/" + its id.
        const map = body.certificateMap ? ref('certificateMaps', last(body.certificateMap), 'id') : undefined;
        resource([
          `name             = ${hclString(s.name)}`,
          `url_map          = ${refOrLiteral(body.urlMap, 'urlMaps')}`,
          body.certificateMap
            ? `certificate_map  = ${map ? `"//certificatemanager.googleapis.com/\${${map}}"` : hclString(String(body.certificateMap))}`
            : `ssl_certificates = [${(body.sslCertificates as string[]).map((c) => refOrLiteral(c, 'sslCertificates')).join(', ')}]`,
        ]);
        break;
      }
      case 'dnsAuthorization':
        resource([`name   = ${hclString(s.name)}`, `domain = ${hclString(String(body.domain))}`]);
        break;
      case 'certificateManagerCertificate':
        resource([
          `name = ${hclString(s.name)}`,
          ...block('managed', [
            `domains            = [${(body.managed.domains as string[]).map(hclString).join(', ')}]`,
            `dns_authorizations = [${(body.managed.dnsAuthorizations as string[]).map((a) => ref('dnsAuthorizations', last(a), 'id') ?? hclString(a)).join(', ')}]`,
          ]),
        ]);
        break;
      case 'certificateMap':
        resource([`name = ${hclString(s.name)}`]);
        break;
      case 'certificateMapEntry':
        resource([
          `name         = ${hclString(s.name)}`,
          `map          = ${ref('certificateMaps', s.parent ?? '', 'name') ?? hclString(s.parent ?? '')}`,
          `certificates = [${(body.certificates as string[]).map((c) => ref('certificates', last(c), 'id') ?? hclString(c)).join(', ')}]`,
          body.matcher ? `matcher      = ${hclString(String(body.matcher))}` : `hostname     = ${hclString(String(body.hostname))}`,
        ]);
        break;
      case 'targetHttpProxy':
        resource([`name    = ${hclString(s.name)}`, `url_map = ${refOrLiteral(body.urlMap, 'urlMaps')}`]);
        break;
      case 'address':
        resource([`name       = ${hclString(s.name)}`, `ip_version = ${hclString(body.ipVersion)}`]);
        break;
      case 'invokerBinding': {
        // A deployed Cloud Run v2 service takes the v1 IAM member resource (one policy per service).
        const service = ref('runServices', s.name, 'name', s.region) ?? hclString(s.name);
        resource([
          `location = ${hclString(s.region ?? '')}`,
          `service  = ${service}`,
          `role     = ${hclString(String(body.role))}`,
          `member   = ${hclString(String(body.member))}`,
        ]);
        break;
      }
      case 'dnsRecord': {
        // An existing record (an update) is imported too: Terraform then owns it and points it here.
        const dns = dnsTerraform(s, refOrLiteral(body.address, 'addresses', 'address'), hclString, plan.project);
        if (dns.importId && s.action !== 'exists')
          lines.push(...block('import', [`to = ${TYPE[s.kind]}.${localName(s)}`, `id = ${hclString(dns.importId)}`]));
        resource(dns.lines);
        break;
      }
      case 'forwardingRule': {
        const target = String(body.target);
        const collection = target.includes('/targetHttpsProxies/') ? 'targetHttpsProxies' : 'targetHttpProxies';
        resource([
          `name                  = ${hclString(s.name)}`,
          `ip_address            = ${refOrLiteral(body.IPAddress, 'addresses', 'address')}`,
          `ip_protocol           = ${hclString(body.IPProtocol)}`,
          `port_range            = ${hclString(String(body.portRange).split('-')[0])}`,
          `target                = ${refOrLiteral(target, collection)}`,
          `load_balancing_scheme = ${hclString(body.loadBalancingScheme)}`,
        ]);
        break;
      }
    }
    if (lines.length) blocks.push({ lines });
  }
  for (const b of blocks) out.push('', ...b.lines);
  for (const s of plan.steps.filter((x) => x.kind === 'dnsAuthorization')) {
    out.push(
      '',
      ...block(`output "${localName(s)}_cname"`, [
        `description = ${hclString(`Create this CNAME record for ${String(s.body.domain)}; the certificate becomes ACTIVE once it resolves, before the A record moves.`)}`,
        `value       = ${TYPE.dnsAuthorization}.${localName(s)}.dns_resource_record`,
      ]),
    );
  }
  for (const s of plan.steps.filter((x) => x.kind === 'address')) {
    out.push(
      '',
      ...block(`output "${localName(s)}"`, [
        `description = ${hclString(`Point the DNS ${s.body.ipVersion === 'IPV6' ? 'AAAA' : 'A'} records of the domains here.`)}`,
        `value       = ${TYPE.address}.${localName(s)}.address`,
      ]),
    );
  }
  return out.join('\n') + '\n';
}

/** The Knative manifest's main settings as a Cloud Run v2 resource; the rest is named in a comment. */
function cloudRunService(s: PlanStep): string[] {
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
        .filter((e) => e.name && e.value !== undefined)
        .flatMap((e) => block('env', [`name  = ${hclString(e.name!)}`, `value = ${hclString(String(e.value))}`])),
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
