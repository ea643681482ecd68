// The plan as a Terraform configuration (hashicorp/google provider): one resource per step,
// wired together by references; resources that exist already come with import blocks.
import { lastPart } from '../gcp/refs';
import type { TerraformContext } from '../kinds/kind';
import { KINDS, kindOfCollection, RESOURCE_KINDS, stepForm } from '../kinds/registry';
import { block, hclString } from './hcl';
import type { Plan, PlanStep } from './types';
import { purposeOf } from '../purposes/table';

const localName = (step: PlanStep) => step.id.replace(/[^a-z0-9]+/gi, '_');
const key = (collection: string, name: string, region = '') => `${collection}/${name}/${region}`;
/** `google_compute_backend_service.backend`: the Terraform address of a step's resource. */
const address = (step: PlanStep) => `${stepForm(step.kind).terraform.type}.${localName(step)}`;
/** The Google resource id an import block takes. */
const importId = (step: PlanStep, project: string) =>
  stepForm(step.kind).terraform.importId?.(step, project) ?? `projects/${project}/global/${step.collection}/${step.name}`;

interface Block {
  lines: string[];
}

export function exportTerraform(plan: Plan): string {
  const byName = new Map<string, PlanStep>();
  for (const s of plan.steps) if (!stepForm(s.kind).amends) byName.set(key(s.collection, s.name, s.region), s);
  /** A reference to the step that makes `collection/name`, or undefined when the plan does not make it. */
  const ref = (collection: string, name: string, attribute: string, region = '') => {
    const s = byName.get(key(collection, name, region));
    return s ? `${address(s)}.${attribute}` : undefined;
  };
  const refOrLiteral = (link: unknown, collection: string, attribute = 'id') =>
    ref(collection, lastPart(link), attribute, /\/regions\/([^/]+)\//.exec(String(link))?.[1]) ?? hclString(String(link));

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
  const contextOf = (s: PlanStep): TerraformContext => ({
    plan,
    ref,
    refOrLiteral,
    resource: (content) =>
      block(`resource "${stepForm(s.kind).terraform.type}" "${localName(s)}"`, [...content, ...(amendments.get(s) ?? [])]),
    importBlock: (id) => block('import', [`to = ${address(s)}`, `id = ${hclString(id)}`]),
  });
  // What amending steps (a backend, a policy) add to the resource of the step that makes their target.
  const amendments = new Map<PlanStep, string[]>();
  for (const s of plan.steps) {
    const attributes = stepForm(s.kind).terraform.attributes;
    // The step's collection is its target's (add-backend: the backend service, global though the NEG is regional).
    const target =
      attributes && byName.get(key(s.collection, s.name, RESOURCE_KINDS[kindOfCollection(s.collection)].regional ? s.region : ''));
    if (target) amendments.set(target, [...(amendments.get(target) ?? []), ...attributes(s, contextOf(s))]);
  }
  for (const s of plan.steps) {
    const form = stepForm(s.kind).terraform;
    const context = contextOf(s);
    const lines: string[] = [];
    if (s.action === 'conflict') lines.push(`# CONFLICT: ${(s.differences ?? []).join('; ')}. ${s.note ?? ''}`.trimEnd());
    if (s.action === 'exists' && form.type) lines.push(...context.importBlock(importId(s, plan.project)));
    lines.push(...form.lines(s, context));
    if (lines.length) blocks.push({ lines });
  }
  for (const b of blocks) out.push('', ...b.lines);
  // Outputs by kind, in the registry's order: the DNS authorizations' CNAMEs, then the addresses' IPs.
  for (const kind of KINDS)
    for (const form of kind.steps)
      if (form.terraform.outputs)
        for (const s of plan.steps.filter((x) => x.kind === form.step)) out.push('', ...form.terraform.outputs(s, address(s)));
  return out.join('\n') + '\n';
}
