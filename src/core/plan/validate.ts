// Field-level checks of a request, each message saying what to do. An empty list means valid.
import { isIP } from 'net';
import { canonicalDomains, deriveNames, isResourceName } from './names';
import type { ComputeKind } from '../gcp/compute';
import { GLOBALIZE_OPTIONS, resolveOptions } from './options';
import type { AddRegionRequest, DeployRequest, GlobalizeRequest, ResourceNames, ValidationIssue } from './types';

export const MAX_DOMAINS_PER_CERTIFICATE = 100;
const PROJECT_ID = /^([a-z0-9][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const SERVICE_NAME = /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/;
const REGION = /^[a-z]+-[a-z]+[1-9][0-9]*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function checkProject(project: string): string | undefined {
  if (!project) return 'Choose a Google Cloud project.';
  if (/^\d+$/.test(project)) return `"${project}" is a project number; use the project ID (as \`gcloud projects list\` shows it).`;
  if (!PROJECT_ID.test(project)) {
    return `"${project}" is not a project ID: 6 to 30 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen. Use the ID, not the display name.`;
  }
  return undefined;
}

export function checkServiceName(service: string): string | undefined {
  if (!service) return 'Name the Cloud Run service.';
  if (!SERVICE_NAME.test(service)) {
    return `"${service}" is not a Cloud Run service name: up to 49 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen.`;
  }
  return undefined;
}

export function checkRegion(region: string): string | undefined {
  if (!region) return 'Enter a region such as us-central1.';
  if (!REGION.test(region)) {
    const zone = /^([a-z]+-[a-z]+[1-9][0-9]*)-[a-z]$/.exec(region);
    if (zone) return `"${region}" is a zone; use its region, ${zone[1]}.`;
    return `"${region}" is not a region name; use the form us-central1 or europe-west1.`;
  }
  return undefined;
}

/** Why a host name cannot go on a Google-managed certificate, or undefined when it can. */
export function checkDomain(raw: string): string | undefined {
  const domain = raw.trim();
  if (!domain) return 'Enter a domain such as www.example.com.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(domain)) {
    return `Remove the scheme: enter ${domain.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/?#].*$/, '')}, not ${domain}.`;
  }
  if (domain.includes('*')) {
    return `${domain}: Google-managed certificates do not cover wildcard domains. List each host name (for example www.${domain.replace(/^\*\./, '')}), or use Certificate Manager with DNS authorization.`;
  }
  if (/[/?#]/.test(domain)) return `Enter only the host name, without a path: ${domain.replace(/[/?#].*$/, '')}.`;
  if (isIP(domain.replace(/^\[|\]$/g, '')))
    return `${domain} is an IP address; a certificate needs a host name that points at the load balancer.`;
  if (/:\d+$/.test(domain)) return `Remove the port: enter ${domain.replace(/:\d+$/, '')}. The load balancer serves HTTPS on 443.`;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(domain)) return `${domain}: enter an internationalized name in its ASCII (punycode, xn--…) form.`;
  const name = domain.toLowerCase().replace(/\.$/, '');
  if (name.length > 253) return `${domain} is longer than 253 characters.`;
  const labels = name.split('.');
  if (labels.length < 2) return `${domain} is not a fully qualified domain name; enter one such as ${name}.example.com.`;
  const bad = labels.find((label) => !DNS_LABEL.test(label));
  if (bad !== undefined) {
    return bad === ''
      ? `${domain} has an empty label (two dots in a row, or a leading dot).`
      : `${domain}: "${bad}" is not a valid DNS label (letters, digits and inner hyphens, at most 63 characters).`;
  }
  if (!/^[a-z]/.test(labels[labels.length - 1])) return `${domain} does not end in a top-level domain such as .com.`;
  return undefined;
}

export function checkDomains(domains: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!domains.length)
    issues.push({ field: 'domains', message: 'Enter at least one domain; its DNS A record will point at the load balancer.' });
  if (domains.length > MAX_DOMAINS_PER_CERTIFICATE) {
    issues.push({
      field: 'domains',
      message: `A Google-managed certificate covers at most ${MAX_DOMAINS_PER_CERTIFICATE} domains (you entered ${domains.length}); split them across load balancers, or use Certificate Manager.`,
    });
  }
  const seen = new Set<string>();
  domains.forEach((domain, index) => {
    const problem = checkDomain(domain);
    if (problem) issues.push({ field: `domains[${index}]`, message: problem });
    const key = canonicalDomains([domain])[0];
    if (key && seen.has(key)) issues.push({ field: `domains[${index}]`, message: `${domain} is listed twice; remove one.` });
    if (key) seen.add(key);
  });
  return issues;
}

function checkRegions(regions: readonly string[], field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  regions.forEach((region, index) => {
    const problem = checkRegion(region);
    if (problem) issues.push({ field: `${field}[${index}]`, message: problem });
    if (seen.has(region))
      issues.push({
        field: `${field}[${index}]`,
        message: `${region} is listed twice; a backend service takes one serverless NEG per region.`,
      });
    seen.add(region);
  });
  return issues;
}

export function checkManifest(manifest: Record<string, unknown> | undefined, service: string): string | undefined {
  if (!manifest || typeof manifest !== 'object') return 'Provide the Knative Service YAML to deploy.';
  if (manifest.apiVersion !== 'serving.knative.dev/v1' || manifest.kind !== 'Service') {
    return 'Only a Knative Service (apiVersion: serving.knative.dev/v1, kind: Service) can be deployed.';
  }
  const name = (manifest.metadata as { name?: unknown } | undefined)?.name;
  if (name !== service) return `The YAML describes service "${String(name ?? '')}", not "${service}"; deploy the YAML of ${service}.`;
  return undefined;
}

function checkDeploy(deploy: DeployRequest, regions: readonly string[], service: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const manifest = checkManifest(deploy.manifest, service);
  if (manifest) issues.push({ field: 'deploy.manifest', message: manifest });
  deploy.regions.forEach((region, index) => {
    if (!regions.includes(region))
      issues.push({
        field: `deploy.regions[${index}]`,
        message: `${region} is not one of the load balancer's regions; add it to the regions, or do not deploy there.`,
      });
  });
  return issues;
}

export function validateRequest(request: GlobalizeRequest): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string | undefined) => {
    if (message) issues.push({ field, message });
  };
  add('project', checkProject(request.project));
  add('service', checkServiceName(request.service));
  if (!request.regions.length) add('regions', 'Choose at least one region where the service runs (or will be deployed).');
  issues.push(...checkRegions(request.regions, 'regions'));
  issues.push(...checkDomains(request.domains));
  if (request.deploy) issues.push(...checkDeploy(request.deploy, request.regions, request.service));

  // Names: each valid, and distinct within one Compute collection.
  const derived = deriveNames(request.service || 'service', { regions: request.regions, domains: request.domains });
  const overrides = request.names ?? {};
  for (const [key, value] of Object.entries(overrides)) {
    if (key === 'networkEndpointGroups') {
      for (const [region, name] of Object.entries(value as Record<string, string>)) {
        if (!isResourceName(name)) add(`names.networkEndpointGroups.${region}`, nameProblem(name));
      }
    } else if (typeof value === 'string' && !isResourceName(value)) {
      add(`names.${key}`, nameProblem(value));
    }
  }
  const names = { ...derived, ...overrides };
  const options = resolveOptions(request.options);
  const named: [keyof Omit<ResourceNames, 'networkEndpointGroups'>, ComputeKind][] = [
    ['backendService', 'backendServices'],
    ['urlMap', 'urlMaps'],
    ['certificate', 'sslCertificates'],
    ['httpsProxy', 'targetHttpsProxies'],
    ['address', 'addresses'],
    ['httpsRule', 'forwardingRules'],
    ...GLOBALIZE_OPTIONS.filter((o) => options[o.key]).flatMap((o) => o.names(options)),
  ];
  const byCollection = new Map<ComputeKind, [string, string][]>();
  for (const [key, collection] of named)
    byCollection.set(collection, [...(byCollection.get(collection) ?? []), [`names.${key}`, names[key]]]);
  const groups = [...byCollection.values()];
  for (const group of groups) {
    const seen = new Map<string, string>();
    for (const [field, name] of group) {
      const other = seen.get(name);
      if (other) add(field, `"${name}" is already the name of ${other.replace('names.', '')}; choose another.`);
      else seen.set(name, field);
    }
  }
  return issues;
}

export function validateAddRegionRequest(request: AddRegionRequest): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string | undefined) => {
    if (message) issues.push({ field, message });
  };
  add('project', checkProject(request.project));
  add('service', checkServiceName(request.service));
  add('region', checkRegion(request.region));
  if (!isResourceName(request.backendService)) add('backendService', nameProblem(request.backendService));
  if (request.networkEndpointGroup !== undefined && !isResourceName(request.networkEndpointGroup))
    add('networkEndpointGroup', nameProblem(request.networkEndpointGroup));
  if (request.deploy) add('deploy.manifest', checkManifest(request.deploy.manifest, request.service));
  return issues;
}

function nameProblem(name: string): string {
  if (!name) return 'Enter a name.';
  if (name.length > 63) return `"${name}" is ${name.length} characters long; Google allows at most 63.`;
  return `"${name}" is not a valid resource name: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen.`;
}
