// Make global and Add region as use cases: wizard answers → a validated request → a plan against the
// live project. No vscode: the VS Code layer supplies the prompts (WizardUi) and renders the plan.
import type { GcpConnection } from '../gcp/connection';
import { CloudError } from '../gcp/errors';
import type { KnativeService } from '../knative/parse';
import type { ProjectModel } from '../model/projectModel';
import { buildAddRegionPlan, buildPlan } from '../plan/build';
import { deriveNames } from '../plan/names';
import { CHOICE_OPTIONS, resolveOptions } from '../plan/options';
import { validateAddRegionRequest, validateRequest } from '../plan/validate';
import type { GlobalizeRequest, Plan } from '../plan/types';
import { frontingLoadBalancers } from '../topology/queries';
import {
  ADD_REGION_STEPS,
  AddRegionArgs,
  AddRegionContext,
  factsFor,
  MAKE_GLOBAL_STEPS,
  type ProjectFacts,
  MakeGlobalArgs,
  MakeGlobalContext,
} from './makeGlobalSteps';
import { runWizard, type WizardUi } from './wizard';

export interface FlowDeps {
  connection: GcpConnection;
  /** The current project (from settings), used when the arguments name none. */
  project?: string;
  model: ProjectModel;
  ui: WizardUi;
}

function invalid(issues: { field: string; message: string }[]): CloudError {
  return new CloudError(issues.map((i) => `${i.field}: ${i.message}`).join(' '), { kind: 'invalid' });
}

/** A plan, and the manifest it deploys where the service does not run yet. */
export interface PlannedChange {
  plan: Plan;
  manifest?: Record<string, unknown>;
}

/** A picked resource must exist in the project and fit its option (a backend security policy, not an edge one). */
async function checkChoices(request: GlobalizeRequest, facts: ProjectFacts): Promise<void> {
  for (const choice of CHOICE_OPTIONS) {
    const name = request.choices?.[choice.key];
    if (!name) continue;
    const resources = await facts.list(choice.collection);
    const found = resources.find((r) => r.name === name);
    const fits = found ? choice.fits(found as { type?: string | null }) : undefined;
    if (fits === true) continue;
    const others = resources.filter((r) => choice.fits(r as { type?: string | null }) === true).map((r) => r.name);
    throw new CloudError(
      found ? `${choice.label} ${name} cannot be used: ${fits}.` : `${choice.label} ${name} does not exist in project ${request.project}.`,
      {
        kind: 'invalid',
        remedy: others.length
          ? `Pick one of ${others.join(', ')}, or none.`
          : `Create one with \`${choice.howToCreate(request.project)}\`, or pick none.`,
      },
    );
  }
}

export async function planMakeGlobal(args: MakeGlobalArgs, yaml: KnativeService | undefined, deps: FlowDeps): Promise<PlannedChange> {
  const context: MakeGlobalContext = {
    ...args,
    connection: deps.connection,
    model: deps.model,
    project: args.project ?? deps.project,
    service: args.service ?? yaml?.name,
    manifest: yaml?.manifest,
    preferredRegions: yaml?.region ? [yaml.region] : undefined,
  };
  await runWizard(MAKE_GLOBAL_STEPS, context, deps.ui);
  const facts = factsFor(context);
  const deployed = await facts.serviceRegions(context.service!);
  const missing = context.missingRegions ?? (context.regions ?? []).filter((r) => !deployed.includes(r));
  const regions = context.deployMissing === false ? context.regions!.filter((r) => !missing.includes(r)) : context.regions!;
  if (!regions.length)
    throw new CloudError(`${context.service} runs in none of the chosen regions.`, {
      kind: 'invalid',
      remedy: 'Pick a region where it runs, or start from its YAML to deploy it.',
    });
  let deploy: GlobalizeRequest['deploy'];
  if (missing.length && context.deployMissing !== false) {
    if (!context.manifest)
      throw new CloudError(`${context.service} does not run in ${missing.join(', ')}.`, {
        kind: 'invalid',
        remedy: 'Pick regions where it runs, or start from its Knative YAML so the plan can deploy it there first.',
      });
    deploy = { regions: missing, manifest: context.manifest };
  }
  const request: GlobalizeRequest = {
    project: context.project!,
    service: context.service!,
    regions,
    domains: context.domains!,
    names: context.names ?? (context.namePrefix ? deriveNames(context.namePrefix, { regions, domains: context.domains }) : undefined),
    options: context.options,
    choices: context.choices,
    deploy,
  };
  const issues = validateRequest(request);
  if (issues.length) throw invalid(issues);
  await checkChoices(request, facts);
  let inventory = deploy ? await facts.inventoryWithAccess(request.service) : await facts.inventory();
  let dnsProblem: string | undefined;
  if (resolveOptions(request.options).cloudDns) ({ inventory, problem: dnsProblem } = await facts.withCloudDns(inventory, request.domains));
  const plan = buildPlan(request, inventory);
  if (dnsProblem) plan.warnings.push(dnsProblem);
  return { plan, manifest: deploy?.manifest };
}

export async function planAddRegion(args: AddRegionArgs, yaml: KnativeService | undefined, deps: FlowDeps): Promise<PlannedChange> {
  const context: AddRegionContext = {
    ...args,
    connection: deps.connection,
    model: deps.model,
    project: args.project ?? deps.project,
    service: args.service ?? yaml?.name,
    manifest: yaml?.manifest,
  };
  if (!context.loadBalancerId && context.service && context.project) {
    // From YAML: the load balancer that already fronts this service, when there is exactly one.
    await factsFor(context).inventory();
    const topology = factsFor(context).model.topology;
    const fronting = topology ? frontingLoadBalancers(topology, { name: context.service }) : [];
    if (fronting.length === 1) context.loadBalancerId = fronting[0].loadBalancer.id;
  }
  await runWizard(ADD_REGION_STEPS, context, deps.ui);
  const lb = (await factsFor(context).loadBalancers()).find((l) => l.id === context.loadBalancerId);
  if (!lb) throw new CloudError('That load balancer no longer exists. Refresh the explorer.', { kind: 'notFound' });
  const served = lb.services.find((s) => s.name === context.service);
  const backendService = served?.regions[0]
    ? lb.backendServices.find((b) => b.id === served.regions[0].backendServiceId)?.name
    : lb.backendServices[0]?.name;
  if (!backendService) throw new CloudError(`Load balancer ${lb.name} has no backend service for ${context.service}.`, { kind: 'invalid' });
  const request = {
    project: context.project!,
    service: context.service!,
    backendService,
    region: context.region!,
    deploy: context.deployMissing && context.manifest ? { manifest: context.manifest } : undefined,
  };
  const issues = validateAddRegionRequest(request);
  if (issues.length) throw invalid(issues);
  const inventory = request.deploy ? await factsFor(context).inventoryWithAccess(request.service) : await factsFor(context).inventory();
  return { plan: buildAddRegionPlan(request, inventory), manifest: request.deploy?.manifest };
}
