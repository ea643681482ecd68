// The gcloud command equivalent to each step, and the whole plan as a bash script in the seed
// tutorial's style (with the forwarding rules' --load-balancing-scheme the tutorial forgets).
import { stringify } from 'yaml';
import { RESOURCE_KINDS } from '../gcp/resourceKinds';
import { stepResourceKind } from './build';
import { activeCheck, finishCommands } from './changeDomains';
import { describeDnsStep, dnsBody, dnsGcloudCommand } from './dnsRecords';
import { cnameScriptLines } from './certificateMap';
import { shellQuote, type GcloudCommand } from './shell';
import type { Plan, PlanStep } from './types';
import { purposeOf } from '../purposes/table';

export interface CommandContext {
  /** How the project is written (`demo-project`, or `"$PROJECT"` in a script). */
  project: string;
  /** How an address's IP is written in `--address=`. */
  addressIp: (addressName: string) => string;
  /** Where a deploy step's manifest file is. */
  manifestFile: (step: PlanStep) => string;
  /** The plan's project ID: a Cloud DNS zone in another project is named by its own. */
  planProject?: string;
}

/** `gcloud compute backend-services`: the command group of the step's resource kind. */
const group = (step: PlanStep) => ['gcloud', ...RESOURCE_KINDS[stepResourceKind(step.kind)].gcloud.split(' ')];
const last = (ref: unknown) =>
  String(ref ?? '')
    .split('/')
    .pop() ?? '';

export function addressLookup(addressName: string, project: string): string {
  return `gcloud compute addresses describe ${addressName} --global --project=${project} --format='value(address)'`;
}

/** The gcloud command that does what the step does. */
export function gcloudCommand(step: PlanStep, context: CommandContext): GcloudCommand {
  const body = step.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const project = `--project=${context.project}`;
  switch (step.kind) {
    case 'deployService':
      return { command: [...group(step), 'replace', context.manifestFile(step)], flags: [`--region=${step.region}`, project] };
    case 'networkEndpointGroup':
      return {
        command: [...group(step), 'create', step.name],
        flags: [`--region=${step.region}`, '--network-endpoint-type=SERVERLESS', `--cloud-run-service=${body.cloudRun.service}`, project],
      };
    case 'backendService':
      return {
        command: [...group(step), 'create', step.name],
        flags: ['--global', `--load-balancing-scheme=${body.loadBalancingScheme}`, ...(body.enableCDN ? ['--enable-cdn'] : []), project],
      };
    case 'addBackend':
      return {
        command: [...group(step), 'add-backend', step.name],
        flags: ['--global', `--network-endpoint-group=${last(body.group)}`, `--network-endpoint-group-region=${step.region}`, project],
      };
    case 'urlMap':
      if (body.defaultUrlRedirect) {
        // gcloud has no flag for a redirect-only map: it imports the resource from YAML.
        return { command: [...group(step), 'import', step.name], flags: ['--global', project], stdin: stringify(body).trimEnd() };
      }
      return {
        command: [...group(step), 'create', step.name],
        flags: [`--default-service=${last(body.defaultService)}`, '--global', project],
      };
    case 'sslCertificate':
      return {
        command: [...group(step), 'create', step.name],
        flags: [
          `--domains=${body.managed.domains.join(',')}`,
          ...(body.description ? [`--description=${body.description}`] : []),
          '--global',
          project,
        ],
      };
    case 'attachCertificate':
      // Replaces the proxy's list: the old certificates stay on it beside the new one.
      return {
        command: [...group(step), 'update', step.name],
        flags: [`--ssl-certificates=${(body.sslCertificates as string[]).map(last).join(',')}`, '--global', project],
      };
    case 'targetHttpsProxy':
      return {
        command: [...group(step), 'create', step.name],
        flags: [
          body.certificateMap
            ? `--certificate-map=${last(body.certificateMap)}`
            : `--ssl-certificates=${(body.sslCertificates as string[]).map(last).join(',')}`,
          `--url-map=${last(body.urlMap)}`,
          project,
        ],
      };
    case 'dnsAuthorization':
      return { command: [...group(step), 'create', step.name], flags: [`--domain=${body.domain}`, project] };
    case 'certificateManagerCertificate':
      return {
        command: [...group(step), 'create', step.name],
        flags: [
          `--domains=${body.managed.domains.join(',')}`,
          `--dns-authorizations=${(body.managed.dnsAuthorizations as string[]).map(last).join(',')}`,
          project,
        ],
      };
    case 'certificateMap':
      return { command: [...group(step), 'create', step.name], flags: [project] };
    case 'certificateMapEntry':
      return {
        command: [...group(step), 'create', step.name],
        flags: [
          `--map=${step.parent}`,
          `--certificates=${(body.certificates as string[]).map(last).join(',')}`,
          body.matcher === 'PRIMARY' ? '--set-primary' : `--hostname=${body.hostname}`,
          project,
        ],
      };
    case 'targetHttpProxy':
      return { command: [...group(step), 'create', step.name], flags: [`--url-map=${last(body.urlMap)}`, project] };
    case 'address':
      return {
        command: [...group(step), 'create', step.name],
        flags: ['--global', ...(body.ipVersion === 'IPV6' ? ['--ip-version=IPV6'] : []), project],
      };
    case 'dnsRecord':
      return dnsGcloudCommand(step, { project: context.project, addressIp: context.addressIp, planProject: context.planProject ?? '' });
    case 'invokerBinding':
      return {
        command: [...group(step), 'add-iam-policy-binding', step.name],
        flags: [`--region=${step.region}`, `--member=${body.member}`, `--role=${body.role}`, project],
      };
    case 'forwardingRule': {
      const target = String(body.target);
      const targetFlag = target.includes('/targetHttpsProxies/')
        ? `--target-https-proxy=${last(target)}`
        : `--target-http-proxy=${last(target)}`;
      const addressName = last(body.IPAddress);
      return {
        command: [...group(step), 'create', step.name],
        flags: [
          `--address=${context.addressIp(addressName)}`,
          '--global',
          targetFlag,
          `--ports=${String(body.portRange).split('-')[0]}`,
          `--load-balancing-scheme=${body.loadBalancingScheme}`,
          project,
        ],
      };
    }
  }
}

/** One command over several lines, the seed's way: flags on continuation lines. */
export function formatCommand(command: GcloudCommand, indent = ''): string[] {
  const words = command.command.map((w) => (w.startsWith('"$') ? w : shellQuote(w))).join(' ');
  const flags = command.flags.map((f) => (f.includes('$') ? f : shellQuote(f)));
  const lines = flags.length
    ? [`${indent}${words} \\`, ...flags.map((f, i) => `${indent}  ${f}${i < flags.length - 1 ? ' \\' : ''}`)]
    : [`${indent}${words}`];
  if (command.stdin !== undefined) {
    lines[lines.length - 1] += ` <<'EOF'`;
    lines.push(...command.stdin.split('\n').map((l) => `${indent}${l}`), `${indent}EOF`);
  }
  return lines;
}

export interface GcloudExportOptions {
  /** A path to the service's Knative YAML to deploy (as it is) instead of the copy written by the script. */
  manifestFile?: string;
}

const variableFor = (addressName: string, plan: Plan) =>
  addressName === plan.names.ipv6Address
    ? 'IPV6_ADDRESS'
    : addressName === plan.names.address
      ? 'IP_ADDRESS'
      : `IP_${addressName.replace(/-/g, '_').toUpperCase()}`;

/** The plan as a bash script: every step that is not adopted, in dependency order. */
export function exportGcloud(plan: Plan, options: GcloudExportOptions = {}): string {
  const out: string[] = [
    '#!/usr/bin/env bash',
    `# ${scriptTitle(plan)}.`,
    `# Regions: ${plan.regions.join(', ')}. Domains: ${plan.domains.join(', ') || '(unchanged)'}${plan.domainChange ? ` (were ${plan.domainChange.previousDomains.join(', ') || 'none'})` : ''}.`,
    '# Resources that already exist with these settings are left out.',
    'set -euo pipefail',
    '',
    `PROJECT=${shellQuote(plan.project)}`,
  ];
  const conflicts = plan.steps.filter((s) => s.action === 'conflict');
  if (conflicts.length) {
    out.push('', '# This plan has conflicts; resolve them first (the commands concerned are commented out):');
    for (const s of conflicts) out.push(`#   ${s.id}: ${(s.differences ?? []).join('; ')}`);
  }
  const defined = new Set<string>();
  const context: CommandContext = {
    project: '"$PROJECT"',
    addressIp: (name) => `"$${variableFor(name, plan)}"`,
    manifestFile: (s) =>
      options.manifestFile ? shellQuote(options.manifestFile) : `"$SERVICE_YAML_${(s.region ?? '').replace(/-/g, '_').toUpperCase()}"`,
    planProject: plan.project,
  };
  for (const s of plan.steps) {
    if (s.action === 'exists') continue;
    const comment = s.action === 'conflict' ? '# ' : '';
    out.push('', `# ${s.id}: ${describeStep(s)}`);
    if (s.kind === 'deployService' && !options.manifestFile) {
      const variable = `SERVICE_YAML_${(s.region ?? '').replace(/-/g, '_').toUpperCase()}`;
      out.push(
        `${comment}${variable}=$(mktemp)`,
        `${comment}cat > "$${variable}" <<'EOF'`,
        ...stringify(s.body)
          .trimEnd()
          .split('\n')
          .map((l) => `${comment}${l}`),
        `${comment}EOF`,
      );
    }
    if (s.kind === 'forwardingRule' || s.kind === 'dnsRecord') {
      const addressName = last(s.kind === 'dnsRecord' ? dnsBody(s).address : s.body.IPAddress);
      const variable = variableFor(addressName, plan);
      if (!defined.has(variable)) {
        defined.add(variable);
        out.push(`${comment}${variable}=$(${addressLookup(addressName, '"$PROJECT"')})`);
      }
    }
    out.push(...formatCommand(gcloudCommand(s, context)).map((l) => `${comment}${l}`));
  }
  const change = plan.domainChange;
  if (change?.oldCertificates.length) {
    // Finishing early would leave no certificate for the new domains: the script stops here, and says how to finish.
    out.push(
      '',
      `# Then, once ${change.newCertificate} is ACTIVE (until then the proxy serves the old certificate${change.oldCertificates.length === 1 ? '' : 's'}),`,
      `# finish: keep only ${change.newCertificate} on ${change.httpsProxy}, and delete ${change.oldCertificates.join(', ')}:`,
      `#   ${activeCheck(change.newCertificate, '"$PROJECT"')} || { echo "${change.newCertificate} is not ACTIVE yet; the old certificate keeps serving." >&2; exit 1; }`,
      ...finishCommands(change, '"$PROJECT"').flatMap((c) => formatCommand(c).map((l) => `#   ${l}`)),
    );
  }
  out.push(...cnameScriptLines(plan));
  const ipVariables = [...defined];
  // Domains whose records the script writes in Cloud DNS need nothing more.
  const inCloudDns = new Set(plan.steps.filter((s) => s.kind === 'dnsRecord').map((s) => s.name));
  const byHand = plan.domains.filter((d) => !inCloudDns.has(d));
  if (ipVariables.length && byHand.length) {
    out.push('', `echo "Point the DNS records of ${byHand.join(', ')} at:${ipVariables.map((v) => ` $${v}`).join('')}"`);
  }
  return out.join('\n') + '\n';
}

function scriptTitle(plan: Plan): string {
  return purposeOf(plan).scriptTitle(plan);
}

export function describeStep(s: PlanStep): string {
  switch (s.kind) {
    case 'deployService':
      return `deploy Cloud Run service ${s.name} to ${s.region}`;
    case 'networkEndpointGroup':
      return `serverless NEG ${s.name} in ${s.region} for Cloud Run service ${(s.body.cloudRun as { service: string }).service}`;
    case 'backendService':
      return `backend service ${s.name} (${s.body.loadBalancingScheme}${s.body.enableCDN ? ', Cloud CDN' : ''})`;
    case 'addBackend':
      return `add NEG ${last(s.body.group)} (${s.region}) to backend service ${s.name}`;
    case 'urlMap':
      return s.body.defaultUrlRedirect
        ? `URL map ${s.name} redirecting HTTP to HTTPS`
        : `URL map ${s.name} sending everything to ${last(s.body.defaultService)}`;
    case 'sslCertificate':
      return `Google-managed certificate ${s.name} for ${(s.body.managed as { domains: string[] }).domains.join(', ')}`;
    case 'targetHttpsProxy':
      return `target HTTPS proxy ${s.name}`;
    case 'attachCertificate':
      return `attach certificate ${last(s.body.certificate)} to target HTTPS proxy ${s.name} beside ${
        (s.body.sslCertificates as string[])
          .map(last)
          .filter((c) => c !== last(s.body.certificate))
          .join(', ') || 'nothing'
      }`;
    case 'targetHttpProxy':
      return `target HTTP proxy ${s.name}`;
    case 'address':
      return `global ${s.body.ipVersion === 'IPV6' ? 'IPv6' : 'IPv4'} address ${s.name}`;
    case 'dnsRecord':
      return describeDnsStep(s);
    case 'invokerBinding':
      return `grant ${s.body.role} to ${s.body.member} on Cloud Run service ${s.name} in ${s.region}`;
    case 'forwardingRule':
      return `forwarding rule ${s.name}: ${last(s.body.IPAddress)} port ${String(s.body.portRange).split('-')[0]} → ${last(s.body.target)}`;
    case 'dnsAuthorization':
      return `DNS authorization ${s.name} for ${s.body.domain} (a _acme-challenge CNAME)`;
    case 'certificateManagerCertificate':
      return `Certificate Manager certificate ${s.name} for ${(s.body.managed as { domains: string[] }).domains.join(', ')}, authorized through DNS`;
    case 'certificateMap':
      return `certificate map ${s.name}`;
    case 'certificateMapEntry':
      return `certificate map entry ${s.name} in ${s.parent}: ${s.body.matcher === 'PRIMARY' ? 'primary (no SNI)' : String(s.body.hostname)} → ${(s.body.certificates as string[]).map(last).join(', ')}`;
  }
}
