// The Make-global and Add-region wizards' steps. Each is skipped when its answer is already in the
// context, so a CodeLens, the palette, the explorer and tests (with an argument object) share them.
import type { RunService } from '../gcp/types';
import { checkDomain, deriveNames } from '../plan';
import type { GlobalizeOptions } from '../plan';
import { DEFAULT_OPTIONS } from '../plan';
import type { LoadBalancer } from '../topology';
import { PickItem, WizardStep } from './quickWizard';

/** Every command takes this object; what it fills, the wizard does not ask. Documented in the README. */
export interface MakeGlobalArgs {
  project?: string;
  service?: string;
  regions?: string[];
  domains?: string[];
  /** A prefix for every resource name (default: the service name). */
  namePrefix?: string;
  options?: Partial<GlobalizeOptions>;
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

/** What the steps read besides the answers: the live project as it was when the wizard started. */
export interface WizardFacts {
  services: readonly RunService[];
  /** Regions Cloud Run offers this project (loaded on first need). */
  regions: () => Promise<string[]>;
  /** The Knative manifest when the wizard started from YAML (enables "deploy where missing"). */
  manifest?: Record<string, unknown>;
  loadBalancers: readonly LoadBalancer[];
}

export interface MakeGlobalContext extends MakeGlobalArgs {
  facts: WizardFacts;
  namesConfirmed?: boolean;
}

export const regionsOf = (facts: WizardFacts, service: string) => facts.services.filter((s) => s.name === service).map((s) => s.region).sort();

export const serviceStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.service,
  async prompt(c, ui) {
    const byName = new Map<string, string[]>();
    for (const s of c.facts.services) byName.set(s.name, [...(byName.get(s.name) ?? []), s.region]);
    const items: PickItem<string>[] = [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, regions]) => ({ label: name, description: regions.sort().join(', '), value: name }));
    if (!items.length) throw new Error('This project has no Cloud Run services. Deploy one, or open its Knative YAML and use the Make global CodeLens.');
    c.service = await ui.pick({ placeholder: 'Which Cloud Run service should be served globally?', items });
  },
};

export const regionsStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.regions?.length,
  async prompt(c, ui) {
    const deployed = regionsOf(c.facts, c.service!);
    const items = c.facts.regions().then((all) => {
      const others = all.filter((r) => !deployed.includes(r));
      return [
        ...deployed.map((r) => ({ label: r, description: 'the service runs here', picked: true, value: r })),
        ...others.map((r) => ({
          label: r, value: r,
          description: c.facts.manifest ? '⚠ not deployed here: the plan will deploy this YAML first' : '⚠ the service does not run here: open its YAML to deploy it',
        })),
      ];
    });
    c.regions = await ui.pick({
      placeholder: `Regions that serve ${c.service} (a serverless NEG in each)`, items, canPickMany: true,
      validate: (picked) => (picked.length ? undefined : 'Pick at least one region.'),
    });
  },
};

export const deployStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => c.deployMissing === undefined && missingRegions(c).length > 0,
  async prompt(c, ui) {
    const missing = missingRegions(c);
    const canDeploy = !!c.facts.manifest;
    const items: PickItem<boolean>[] = [
      ...(canDeploy ? [{ label: `Deploy this YAML to ${missing.join(', ')} first`, description: 'one more step of the plan', value: true }] : []),
      { label: `Leave ${missing.join(', ')} out`, description: 'only regions where the service runs', value: false },
    ];
    c.deployMissing = await ui.pick({ placeholder: `${c.service} does not run in ${missing.join(', ')}`, items });
    if (!c.deployMissing) c.regions = c.regions!.filter((r) => !missing.includes(r));
    if (!c.regions!.length) throw new Error(`${c.service} runs in none of the chosen regions. Deploy it first, or pick a region where it runs.`);
  },
};

export function missingRegions(c: Pick<MakeGlobalContext, 'facts' | 'service' | 'regions'>): string[] {
  const deployed = regionsOf(c.facts, c.service ?? '');
  return (c.regions ?? []).filter((r) => !deployed.includes(r));
}

export function parseDomains(text: string): string[] {
  return text.split(/[\s,;]+/).map((d) => d.trim()).filter(Boolean);
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
  async prompt(c, ui) {
    const text = await ui.text({
      prompt: 'Domains for the Google-managed certificate (comma-separated). Each needs a DNS A record to the load balancer’s IP.',
      placeholder: 'shop.example.com, www.example.com', validate: domainsProblem,
    });
    c.domains = parseDomains(text);
  },
};

export const namesStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.namePrefix && !c.namesConfirmed,
  async prompt(c, ui) {
    const names = deriveNames(c.service!, { regions: c.regions, domains: c.domains });
    const choice = await ui.pick<'keep' | 'edit'>({
      placeholder: 'Resource names',
      items: [
        { label: `Use names starting with "${c.service}"`, description: `${names.backendService}, ${names.urlMap}, ${names.httpsProxy}, ${names.address}, …`, value: 'keep' },
        { label: 'Choose another prefix…', value: 'edit' },
      ],
    });
    if (choice === 'edit') {
      c.namePrefix = await ui.text({
        prompt: 'Prefix for every resource name (lower-case letters, digits, hyphens; starts with a letter)', value: c.service,
        validate: (v) => (/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(v) ? undefined : 'Use lower-case letters, digits and hyphens, starting with a letter (at most 40).'),
      });
    }
    c.namesConfirmed = true;
  },
};

type OptionKey = keyof GlobalizeOptions;

export const optionsStep: WizardStep<MakeGlobalContext> = {
  shouldPrompt: (c) => !c.options,
  async prompt(c, ui) {
    const picked = await ui.pick<OptionKey>({
      placeholder: 'Options (Enter to accept)', canPickMany: true,
      items: [
        { label: 'HTTP → HTTPS redirect', description: 'port 80 on the same IP answers with a redirect', value: 'httpsRedirect', picked: DEFAULT_OPTIONS.httpsRedirect },
        { label: 'Cloud CDN', description: 'cache responses at Google’s edge', value: 'cdn', picked: DEFAULT_OPTIONS.cdn },
        { label: 'IPv6 address', description: 'a second, IPv6 frontend', value: 'ipv6', picked: DEFAULT_OPTIONS.ipv6 },
      ],
    });
    c.options = { cdn: picked.includes('cdn'), httpsRedirect: picked.includes('httpsRedirect'), ipv6: picked.includes('ipv6') };
  },
};

export const MAKE_GLOBAL_STEPS = [serviceStep, regionsStep, deployStep, domainsStep, namesStep, optionsStep];
