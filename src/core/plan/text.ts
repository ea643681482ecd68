// The plan as the text of the read-only preview document (language `cloudrun-plan`, coloured by
// syntaxes/cloudrun-plan.tmLanguage.json): a header, then one block per step.
import type { CommandContext } from '../kinds/kind';
import { addressLookup, formatCommand, gcloudCommand } from './gcloud';
import { stepForm, stepLabel } from '../kinds/registry';
import { finishCommands } from './changeDomains';
import { CHOICE_OPTIONS, GLOBALIZE_OPTIONS } from './options';
import type { Plan, PlanStep, StepAction } from './types';
import { purposeOf } from '../purposes/table';

export const PLAN_LANGUAGE_ID = 'cloudrun-plan';

const ACTION_WIDTH = 9;
const LABEL_WIDTH = 23;

function onOff(on: boolean): string {
  return on ? 'on' : 'off';
}

function count(plan: Plan, action: StepAction): number {
  return plan.steps.filter((s) => s.action === action).length;
}

/** The first line of a step's block: `create   backend service        web-backend  [backend]`. */
export function stepHeadline(step: PlanStep): string {
  const headline = stepForm(step.kind).headline;
  const detail = headline?.detail?.(step) ?? '';
  const region = step.region ? ` (${step.region})` : '';
  const label = headline?.label ?? stepLabel(step.kind);
  return `${step.action.padEnd(ACTION_WIDTH)}${label.padEnd(LABEL_WIDTH)} ${step.name}${detail}${region}  [${step.id}]`;
}

export function planText(plan: Plan, options: { manifestFile?: string } = {}): string {
  const lines: string[] = [];
  const purpose = purposeOf(plan);
  lines.push(
    purpose.previewTitle(plan),
    `# project:  ${plan.project}`,
    `# service:  ${plan.service}`,
    `# regions:  ${plan.regions.join(', ')}`,
    `# domains:  ${plan.domains.join(', ') || '(none)'}${plan.domainChange ? ` (now ${plan.domainChange.previousDomains.join(', ') || 'none'})` : ''}`,
    ...(purpose.showsOptions
      ? [
          `# options:  ${[
            ...GLOBALIZE_OPTIONS.map((o) => `${o.label} ${onOff(plan.options[o.key])}`),
            ...CHOICE_OPTIONS.map((c) => `${c.label} ${plan.choices?.[c.key] ?? 'none'}`),
          ].join(', ')}`,
        ]
      : []),
    `# steps:    ${count(plan, 'create')} create, ${count(plan, 'exists')} exists, ${count(plan, 'update')} update, ${count(plan, 'conflict')} conflict`,
    `# critical path:  ${plan.criticalPath.join(' → ') || '(nothing to do)'}`,
  );
  if (plan.knownIp) lines.push(`# IP address:  ${plan.knownIp}`);
  for (const warning of plan.warnings) lines.push(`# warning:  ${warning}`);
  if (!plan.applicable) lines.push('# conflict:  this plan cannot be applied until the conflicts below are resolved.');

  const context: CommandContext = {
    project: plan.project,
    addressIp: (name) => (name === plan.names.address && plan.knownIp ? plan.knownIp : `$(${addressLookup(name, plan.project)})`),
    manifestFile: () => options.manifestFile ?? 'service.yaml',
    planProject: plan.project,
  };
  for (const step of plan.steps) {
    lines.push('', stepHeadline(step));
    for (const difference of step.differences ?? []) lines.push(`    ! ${difference}`);
    if (step.note) lines.push(`    # ${step.note}`);
    if (step.dependsOn.length) lines.push(`    # after: ${step.dependsOn.join(', ')}`);
    const command = formatCommand(gcloudCommand(step, context), '    ');
    command[0] = command[0].replace(/^ {4}/, '    $ ');
    lines.push(...command.map((l, i) => (i === 0 ? l : l.replace(/^ {4}/, '      '))));
  }
  const change = plan.domainChange;
  if (change?.oldCertificates.length) {
    lines.push(
      '',
      `then     finish domain change      ${change.httpsProxy}  [finish]`,
      `    # Once ${change.newCertificate} is ACTIVE: the explorer, the lens and a notification offer "Finish Domain Change", which refuses until then.`,
      `    # It keeps only ${change.newCertificate} on ${change.httpsProxy} and deletes ${change.oldCertificates.join(', ')}; the proxy is never without a certificate.`,
    );
    for (const command of finishCommands(change, plan.project)) {
      const formatted = formatCommand(command, '    ');
      formatted[0] = formatted[0].replace(/^ {4}/, '    $ ');
      lines.push(...formatted.map((l, i) => (i === 0 ? l : l.replace(/^ {4}/, '      '))));
    }
  }
  return lines.join('\n') + '\n';
}
