// The gcloud command equivalent to each step, and the whole plan as a bash script in the seed
// tutorial's style (with the forwarding rules' --load-balancing-scheme the tutorial forgets).
import { lastPart } from '../gcp/refs';
import { stringify } from 'yaml';
import type { CommandContext } from '../kinds/kind';
import { stepForm } from '../kinds/registry';
import { activeCheck, finishCommands } from './changeDomains';
import { dnsBody } from './dnsRecords';
import { cnameScriptLines } from './certificateMap';
import { shellQuote, type GcloudCommand } from './shell';
import type { Plan, PlanStep } from './types';
import { purposeOf } from '../purposes/table';

export function addressLookup(addressName: string, project: string): string {
  return `gcloud compute addresses describe ${addressName} --global --project=${project} --format='value(address)'`;
}

/** The gcloud command that does what the step does. */
export function gcloudCommand(step: PlanStep, context: CommandContext): GcloudCommand {
  return stepForm(step.kind).gcloud(step, context);
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
      const addressName = lastPart(s.kind === 'dnsRecord' ? dnsBody(s).address : s.body.IPAddress);
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
  return stepForm(s.kind).describe(s);
}
