// The Make-global and Add-region wizards' steps. Each is skipped when its answer is already in the
// context, so a CodeLens, the palette, the explorer and tests (with an argument object) share them.
// No vscode here: the prompts go through WizardUi, and unit tests drive the steps with a script.
import type { GcpConnection } from '../gcp/connection';
import { PROJECT_ID_PATTERN } from '../gcp/project';
import type { Inventory } from '../gcp/types';
import { INVENTORY_PARTS, ProjectModel } from '../model/projectModel';
import { checkDomain } from '../plan/validate';
import { deriveNames, isResourceName } from '../plan/names';
import { CHOICE_OPTIONS, GLOBALIZE_OPTIONS, type ChoiceSpec } from '../plan/options';
import type { ComputeKind, ComputeResources } from '../gcp/compute';
import type { GlobalizeChoices, GlobalizeOptions, GlobalizeRequest, ResourceNames } from '../plan/types';
import type { LoadBalancer } from '../topology/model';
import { PickItem, WizardBack, WizardStep } from './wizard';

/** Every command takes this object; what it fills, the wizard does not ask. Documented in the README. */
export interface MakeGlobalArgs {
  project?: string;
  service?: string;
  regions?: string[];
  domains?: string[];
  /** A prefix for every resource name (default: the service name). */
  namePrefix?: string;
  /** Explicit resource names (any subset); skips the names step. */
  names?: GlobalizeRequest['names'];
  options?: Partial<GlobalizeOptions>;
  /** Options that pick a resource: `{ securityPolicy: 'armor' }` attaches that Cloud Armor policy (`{}`: none). */
  choices?: GlobalizeChoices;
  /** Deploy the YAML to chosen regions where the service does not run (default: ask). */
  deployMissing?: boolean;
  /** The Knative YAML the command started from, and which document in it. */
  documentUri?: string;
  documentIndex?: number;
}

export interface AddRegionArgs {
  project?: string;
  /** The load balancer (explorer id, `projects/P/global/loadBalancers/<IP>`). */
  loadBalancerId?: string;
  service?: string;
  region?: string;
  deployMissing?: boolean;
  documentUri?: string;
  documentIndex?: number;
}

/**
 * The project as one wizard run sees it: the live model read afresh once, when first asked (a plan
 * must compare with what exists now), then as the model holds it. Another project than the current
 * one gets a model of its own for the run.
 */
export class ProjectFacts {
  private fresh?: Promise<void>;

  constructor(
    readonly model: ProjectModel,
    readonly project: string,
  ) {}

  async inventory(): Promise<Inventory> {
    this.fresh ??= this.model.read(INVENTORY_PARTS);
    await this.fresh;
    const failed = this.model.problem ?? INVENTORY_PARTS.map((p) => this.model.error(p)).find((e) => e);
    const inventory = this.model.inventory;
    if (failed || !inventory) throw failed ?? new Error(`Project ${this.project} could not be read.`);
    return inventory;
  }

  /**
   * The inventory with who may call `service` where it runs: a plan that deploys a region gives it
   * the access the service has where it runs already.
   */
  async inventoryWithAccess(service: string): Promise<Inventory> {
    const inventory = await this.inventory();
    const names = inventory.services.filter((s) => s.name === service).map((s) => s.resourceName);
    if (names.length) await this.model.readInvokers(names);
    return this.model.inventory ?? inventory;
  }

  /**
   * The inventory with the public Cloud DNS zones and these domains' record sets (plans write records there);
   * what could not be read is returned as a sentence for the plan's warnings.
   */
  async withCloudDns(inventory: Inventory, domains: readonly string[]): Promise<{ inventory: Inventory; problem?: string }> {
    await this.model.readCloudDns(domains);
    const error = this.model.error('cloudDns');
    return {
      inventory: { ...inventory, cloudDns: this.model.cloudDns },
      problem: error ? `Cloud DNS could not be read, so no records are written there: ${error.message}` : undefined,
    };
  }

  /** Regions Cloud Run offers this project. */
  async regions(): Promise<string[]> {
    await this.model.ensure(['regions']);
    const regions = this.model.regions;
    if (!regions) throw this.model.error('regions') ?? new Error('The Cloud Run regions could not be listed.');
    return regions;
  }

  async serviceRegions(service: string): Promise<string[]> {
    return (await this.inventory()).services
      .filter((s) => s.name === service)
      .map((s) => s.region)
      .sort();
  }

  /** A Compute list the topology is not made of (Cloud Armor policies), read when first asked. */
  async list<K extends ComputeKind>(collection: K): Promise<ComputeResources[K][]> {
    await this.model.ensure([collection]);
    const list = this.model.computeList(collection);
    if (!list) throw this.model.error(collection) ?? new Error(`The ${collection} of ${this.project} could not be listed.`);
    return list;
  }

  async loadBalancers(): Promise<LoadBalancer[]> {
    await this.inventory();
    return this.model.topology?.loadBalancers ?? [];
  }
}

export interface WizardShared {
  project?: string;
  connection: GcpConnection;
  /** The live model of the current project. */
  model: ProjectModel;
  facts?: ProjectFacts;
  /** The Knative manifest when the wizard started from YAML (enables "deploy where missing"). */
  manifest?: Record<string, unknown>;
  /** Regions picked by default (the YAML's location label). */
  preferredRegions?: string[];
}

export interface MakeGlobalContext extends MakeGlobalArgs, WizardShared {
  namesConfirmed?: boolean;
  missingRegions?: string[];
}

export interface AddRegionContext extends AddRegionArgs, WizardShared {
  backendService?: string;
  missingRegion?: boolean;
}

export function factsFor(c: WizardShared): ProjectFacts {
  if (!c.project) throw new Error('No project chosen.');
  if (c.facts?.project !== c.project) {
    const project = c.project;
    const model =
      c.model.connectedProject() === project
        ? c.model
        : new ProjectModel({
            connect: () => ({ project, compute: c.connection.compute(project), run: c.connection.run(project) }),
            resolver: () => {
              throw new Error('no DNS in the wizard');
            },
          });
    c.facts = new ProjectFacts(model, project);
  }
  return c.facts;
}

export const projectStep: WizardStep<WizardShared> = {
  shouldPrompt: (c) => !c.project,
  async prompt(c, ui, previous) {
    // When the projects cannot be listed (no Resource Manager access), the ID is typed instead.
    const projects = await c.connection.listProjects().catch(() => []);
    c.project = projects.length
      ? await ui.pick({
          placeholder: 'Google Cloud project',
          items: projects.map((p) => ({ label: p.id, description: p.name, value: p.id })),
          activeValue: previous?.project,
        })
      : await ui.text({
          prompt: 'Google Cloud project ID (your projects could not be listed)',
          placeholder: 'my-project-123',
          value: previous?.project,
          validate: (v) =>
            PROJECT_ID_PATTERN.test(v.trim())
              ? undefined
              : 'A project ID has 6–30 lower-case letters, digits and hyphens, and starts with a letter.',
        });
    c.project = c.project.trim();
  },
};

export const serviceStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.service,
  async prompt(c, ui, previous) {
    const items = factsFor(c)
      .inventory()
      .then((inventory) => {
        const byName = new Map<string, string[]>();
        for (const s of inventory.services) byName.set(s.name, [...(byName.get(s.name) ?? []), s.region]);
        if (!byName.size)
          throw new Error(
            `Project ${c.project} has no Cloud Run services. Deploy one, or open its Knative YAML and use the Make global CodeLens.`,
          );
        return [...byName]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, regions]) => ({ label: name, description: regions.sort().join(', '), value: name }));
      });
    c.service = await ui.pick({ placeholder: 'Which Cloud Run service should be served globally?', items, activeValue: previous?.service });
  },
};

export const regionsStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.regions?.length,
  async prompt(c, ui, previous) {
    const facts = factsFor(c);
    const items = Promise.all([facts.serviceRegions(c.service!), facts.regions()]).then(([deployed, offered]) => {
      // Back to this step: the regions picked before, if it is still the same service.
      const preferred =
        previous?.regions && previous.service === c.service ? previous.regions : c.preferredRegions?.length ? c.preferredRegions : deployed;
      const all = [...new Set([...deployed, ...preferred, ...offered])];
      return all
        .map((r) => ({
          label: r,
          value: r,
          picked: preferred.includes(r),
          description: deployed.includes(r)
            ? 'the service runs here'
            : c.manifest
              ? '⚠ not deployed here: the plan can deploy this YAML first'
              : '⚠ the service does not run here',
        }))
        .sort((a, b) => Number(b.picked) - Number(a.picked) || a.label.localeCompare(b.label));
    });
    c.regions = await ui.pick({
      placeholder: `Regions that serve ${c.service} (one serverless NEG in each)`,
      items,
      canPickMany: true,
      validate: (picked) => (picked.length ? undefined : 'Pick at least one region.'),
    });
    const deployed = await facts.serviceRegions(c.service!);
    c.missingRegions = c.regions.filter((r) => !deployed.includes(r));
  },
};

export const deployStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => c.deployMissing === undefined && !!c.missingRegions?.length,
  async prompt(c, ui, previous) {
    const missing = c.missingRegions!;
    const items: PickItem<boolean>[] = [
      ...(c.manifest
        ? [{ label: `Deploy this YAML to ${missing.join(', ')} first`, description: 'one more step of the plan', value: true }]
        : []),
      { label: `Leave ${missing.join(', ')} out`, description: 'only regions where the service runs', value: false },
    ];
    c.deployMissing = await ui.pick({
      placeholder: `${c.service} does not run in ${missing.join(', ')}`,
      items,
      activeValue: previous?.deployMissing,
    });
  },
};

export function parseDomains(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
}

export function domainsProblem(text: string): string | undefined {
  const domains = parseDomains(text);
  if (!domains.length) return 'Enter at least one domain, e.g. shop.example.com';
  for (const d of domains) {
    const problem = checkDomain(d);
    if (problem) return problem;
  }
  return undefined;
}

export const domainsStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.domains?.length,
  async prompt(c, ui, previous) {
    const text = await ui.text({
      prompt: 'Domains for the Google-managed certificate, comma-separated. Each needs a DNS A record pointing at the load balancer’s IP.',
      placeholder: 'shop.example.com, www.example.com',
      validate: domainsProblem,
      value: previous?.domains?.join(', '),
    });
    c.domains = parseDomains(text);
  },
};

/** The regions the plan will serve: those picked, less any the person chose to leave out rather than deploy to. */
function servedRegions(c: Readonly<MakeGlobalContext>): string[] | undefined {
  return c.deployMissing === false ? c.regions?.filter((r) => !c.missingRegions?.includes(r)) : c.regions;
}

const EDITABLE_NAMES: [keyof Omit<ResourceNames, 'networkEndpointGroups'>, string][] = [
  ['backendService', 'backend service'],
  ['urlMap', 'URL map'],
  ['certificate', 'certificate'],
  ['httpsProxy', 'target HTTPS proxy'],
  ['address', 'global address'],
  ['httpsRule', 'HTTPS forwarding rule'],
  ['redirectUrlMap', 'redirect URL map'],
  ['httpProxy', 'target HTTP proxy'],
  ['httpRule', 'HTTP forwarding rule'],
];

const nameProblem = (v: string) =>
  isResourceName(v) ? undefined : 'Use 1–63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen.';

export const namesStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.namePrefix && !c.names && !c.namesConfirmed,
  async prompt(c, ui, previous) {
    let chosen: NonNullable<GlobalizeRequest['names']> = {};
    if (previous?.namesConfirmed) {
      // Back to this step: the prefix and the names changed before.
      if (previous.namePrefix) c.namePrefix = previous.namePrefix;
      chosen = changedNames(previous);
    }
    for (;;) {
      const derived = deriveNames(c.namePrefix ?? c.service!, { regions: servedRegions(c), domains: c.domains });
      const current = {
        ...derived,
        ...chosen,
        networkEndpointGroups: { ...derived.networkEndpointGroups, ...chosen.networkEndpointGroups },
      };
      type Choice = { key: string; region?: string } | 'done' | 'prefix';
      const items: PickItem<Choice>[] = [
        {
          label: '$(check) Use these names',
          description: `${current.backendService}, ${current.urlMap}, ${current.httpsProxy}, ${current.address}, …`,
          value: 'done',
        },
        { label: '$(edit) Use another prefix…', description: `now "${c.namePrefix ?? c.service}"`, value: 'prefix' },
        ...EDITABLE_NAMES.map(([key, label]) => ({ label: current[key], description: label, value: { key } })),
        ...Object.entries(current.networkEndpointGroups).map(([region, name]) => ({
          label: name,
          description: `serverless NEG in ${region}`,
          value: { key: 'networkEndpointGroups', region },
        })),
      ];
      const choice = await ui.pick<Choice>({ placeholder: 'Resource names: Enter to accept, or pick one to change', items });
      if (choice === 'done') break;
      try {
        if (choice === 'prefix') {
          c.namePrefix = await ui.text({
            prompt: 'Prefix for every resource name',
            value: c.namePrefix ?? c.service,
            validate: (v) =>
              /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(v)
                ? undefined
                : 'Use lower-case letters, digits and hyphens, starting with a letter (at most 40).',
          });
          chosen = {};
        } else if (choice.region) {
          const name = await ui.text({
            prompt: `Name of the serverless NEG in ${choice.region}`,
            value: current.networkEndpointGroups[choice.region],
            validate: nameProblem,
          });
          chosen = { ...chosen, networkEndpointGroups: { ...chosen.networkEndpointGroups, [choice.region]: name } };
        } else {
          const key = choice.key as (typeof EDITABLE_NAMES)[number][0];
          const label = EDITABLE_NAMES.find(([k]) => k === key)![1];
          chosen = { ...chosen, [key]: await ui.text({ prompt: `Name of the ${label}`, value: current[key], validate: nameProblem }) };
        }
      } catch (err) {
        if (!(err instanceof WizardBack)) throw err; // Back from an edit returns to the list
      }
    }
    if (Object.keys(chosen).length) {
      const derived = deriveNames(c.namePrefix ?? c.service!, { regions: servedRegions(c), domains: c.domains });
      c.names = { ...derived, ...chosen, networkEndpointGroups: { ...derived.networkEndpointGroups, ...chosen.networkEndpointGroups } };
    }
    c.namesConfirmed = true;
  },
};

/** The names a person changed by hand in an earlier pass of the names step (not those the prefix derives). */
function changedNames(c: Readonly<MakeGlobalContext>): NonNullable<GlobalizeRequest['names']> {
  if (!c.names) return {};
  const derived = deriveNames(c.namePrefix ?? c.service!, { regions: servedRegions(c), domains: c.domains });
  const negs = Object.fromEntries(
    Object.entries(c.names.networkEndpointGroups ?? {}).filter(([region, name]) => derived.networkEndpointGroups[region] !== name),
  );
  const names = Object.fromEntries(
    EDITABLE_NAMES.map(([key]) => [key, c.names![key]]).filter(
      ([key, name]) => name !== undefined && name !== derived[key as keyof typeof derived],
    ),
  );
  return { ...names, ...(Object.keys(negs).length ? { networkEndpointGroups: negs } : {}) };
}

type OptionKey = keyof GlobalizeOptions;
/** A pick of the options step: an on/off option's key, or `securityPolicy=NAME` for one resource of a choice option. */
type OptionPick = OptionKey | `${ChoiceSpec['key']}=${string}`;
const choicePick = (key: ChoiceSpec['key'], name: string): OptionPick => `${key}=${name}`;
const pickedChoice = (pick: OptionPick, key: ChoiceSpec['key']) => (pick.startsWith(`${key}=`) ? pick.slice(key.length + 1) : undefined);

/** The rows of the choice options: each resource that fits, named with the option's label. Unreadable lists offer none. */
async function choiceItems(c: MakeGlobalContext, previous?: Readonly<MakeGlobalContext>): Promise<PickItem<OptionPick>[]> {
  const chosen = previous?.choices ?? c.choices ?? {};
  const rows = await Promise.all(
    CHOICE_OPTIONS.map(async (choice) => {
      const resources = await factsFor(c)
        .list(choice.collection)
        .catch(() => []);
      return resources
        .filter((r) => r.name && choice.fits(r as { type?: string | null }) === true)
        .map((r) => ({
          label: `${choice.label}: ${r.name}`,
          description: choice.description(r as { description?: string | null; rules?: unknown[] | null }),
          value: choicePick(choice.key, r.name!),
          picked: chosen[choice.key] === r.name,
        }));
    }),
  );
  return rows.flat();
}

export const optionsStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.options,
  async prompt(c, ui, previous) {
    const toggles: PickItem<OptionPick>[] = GLOBALIZE_OPTIONS.map((o) => ({
      label: o.label,
      description: o.description,
      value: o.key,
      picked: previous?.options?.[o.key] ?? c.options?.[o.key] ?? o.default,
    }));
    const picked = await ui.pick<OptionPick>({
      placeholder: 'Options (Enter to accept)',
      canPickMany: true,
      items: choiceItems(c, previous).then((choices) => [...toggles, ...choices]),
      validate: (all) => {
        for (const choice of CHOICE_OPTIONS) {
          const names = all.flatMap((p) => pickedChoice(p, choice.key) ?? []);
          if (names.length > 1) return `Pick one ${choice.label} at most (${names.join(', ')} are picked).`;
        }
        return undefined;
      },
    });
    c.options = Object.fromEntries(GLOBALIZE_OPTIONS.map((o) => [o.key, picked.includes(o.key)])) as unknown as GlobalizeOptions;
    c.choices = Object.fromEntries(
      CHOICE_OPTIONS.flatMap((choice) => picked.flatMap((p) => pickedChoice(p, choice.key) ?? []).map((name) => [choice.key, name])),
    ) as GlobalizeChoices;
  },
};

export const MAKE_GLOBAL_STEPS: WizardStep<MakeGlobalContext>[] = [
  projectStep,
  serviceStep,
  regionsStep,
  deployStep,
  domainsStep,
  namesStep,
  optionsStep,
];

// ---------------------------------------------------------------- Add region

export const loadBalancerStep: WizardStep<AddRegionContext> = {
  shouldPrompt: (c) => !c.loadBalancerId,
  async prompt(c, ui, previous) {
    const items = factsFor(c)
      .loadBalancers()
      .then((lbs) =>
        lbs
          .filter((lb) => lb.services.length)
          .map((lb) => ({
            label: lb.name,
            description: `${lb.ip ?? ''} · ${lb.services.map((s) => `${s.name} (${s.regions.map((r) => r.region).join(', ')})`).join('; ')}`,
            value: lb.id,
          })),
      );
    c.loadBalancerId = await ui.pick({
      placeholder: 'Which load balancer gets another region?',
      items,
      activeValue: previous?.loadBalancerId,
    });
  },
};

export const addRegionServiceStep: WizardStep<AddRegionContext> = {
  shouldPrompt: (c) => !c.service,
  async prompt(c, ui, previous) {
    const lb = (await factsFor(c).loadBalancers()).find((l) => l.id === c.loadBalancerId);
    const items = (lb?.services ?? []).map((s) => ({
      label: s.name,
      description: s.regions.map((r) => r.region).join(', '),
      value: s.name,
    }));
    c.service =
      items.length === 1 ? items[0].value : await ui.pick({ placeholder: 'Which service?', items, activeValue: previous?.service });
  },
};

export const addRegionRegionStep: WizardStep<AddRegionContext> = {
  shouldPrompt: (c) => !c.region,
  async prompt(c, ui, previous) {
    const facts = factsFor(c);
    const items = Promise.all([facts.loadBalancers(), facts.serviceRegions(c.service!), facts.regions()]).then(
      ([lbs, deployed, offered]) => {
        const served =
          lbs
            .find((l) => l.id === c.loadBalancerId)
            ?.services.find((s) => s.name === c.service)
            ?.regions.map((r) => r.region) ?? [];
        return [...new Set([...deployed, ...offered])]
          .filter((r) => !served.includes(r))
          .map((r) => ({
            label: r,
            value: r,
            description: deployed.includes(r)
              ? 'the service runs here'
              : c.manifest
                ? '⚠ not deployed here: the plan can deploy this YAML first'
                : '⚠ the service does not run here',
          }))
          .sort(
            (a, b) => Number(!a.description.startsWith('the')) - Number(!b.description.startsWith('the')) || a.label.localeCompare(b.label),
          );
      },
    );
    c.region = await ui.pick({ placeholder: `Another region for ${c.service}`, items, activeValue: previous?.region });
  },
};

export const addRegionDeployStep: WizardStep<AddRegionContext> = {
  shouldPrompt: (c) => c.deployMissing === undefined && !!c.region,
  async prompt(c, ui) {
    const deployed = await factsFor(c).serviceRegions(c.service!);
    if (deployed.includes(c.region!)) {
      c.deployMissing = false;
      return;
    }
    if (!c.manifest)
      throw new Error(
        `${c.service} does not run in ${c.region}. Open its Knative YAML and use Add region from there to deploy it first, or pick a region where it runs.`,
      );
    c.deployMissing = await ui.pick({
      placeholder: `${c.service} does not run in ${c.region}`,
      items: [{ label: `Deploy this YAML to ${c.region} first`, description: 'one more step of the plan', value: true }],
    });
  },
};

export const ADD_REGION_STEPS: WizardStep<AddRegionContext>[] = [
  projectStep,
  loadBalancerStep,
  addRegionServiceStep,
  addRegionRegionStep,
  addRegionDeployStep,
];
