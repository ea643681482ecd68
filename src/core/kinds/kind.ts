// What a resource kind declares, once: its names, where its API keeps it, its console page, when it may be
// deleted, and the plan steps it owns (their preview line, gcloud and Terraform forms and executor). Each kind is
// one module beside this file; `registry.ts` lists them, and every other layer reads that list.
import type { compute_v1 } from 'googleapis/build/src/apis/compute/v1';
import type { certificatemanager_v1 } from 'googleapis/build/src/apis/certificatemanager/v1';
import type { ApplyClients } from '../apply/applyTypes';
import type { CertificateManagerKind } from '../gcp/certificateManager';
import type { ComputeKind } from '../gcp/compute';
import type { KindCollection, ResourceKind } from './vocabulary';
import type { GcloudCommand } from '../plan/shell';
import type { Inventory } from '../gcp/types';
import type { Plan, PlanStep } from '../plan/types';
import type { StepKind } from './vocabulary';

/** How the Compute client reaches a kind's REST collection. */
export interface ComputeApi {
  collection: ComputeKind;
  /** The path parameter that names one resource. */
  param: string;
  regional: boolean;
  api: (compute: compute_v1.Compute) => unknown;
}

/** How the Certificate Manager client reaches a kind's collection (global location). */
export interface CertificateManagerApi {
  collection: CertificateManagerKind;
  api: (locations: certificatemanager_v1.Resource$Projects$Locations) => unknown;
}

/** How a step's gcloud command writes the project, an address's IP and a deploy's manifest file. */
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

/** What a step's Terraform form is written with: references to what the plan makes, and HCL blocks. */
export interface TerraformContext {
  plan: Plan;
  /** The Terraform address of what the plan makes as `collection/name`, or undefined when it does not make it. */
  ref(collection: string, name: string, attribute: string, region?: string): string | undefined;
  /** `ref` for a link (URL or path), else the link as an HCL string. */
  refOrLiteral(link: unknown, collection: string, attribute?: string): string;
  /** `resource "TYPE" "local" { content }` of this step. */
  resource(content: string[]): string[];
  /** An import block for this step's resource with the given id. */
  importBlock(id: string): string[];
}

export interface TerraformForm {
  /** The provider's resource type; absent for a step that only adds to another step's resource. */
  type?: string;
  /** The id an import block takes, for a step whose resource exists (default: the global Compute path). */
  importId?(step: PlanStep, project: string): string;
  /** The step's lines (its resource block, comments, extra imports). */
  lines(step: PlanStep, context: TerraformContext): string[];
  /** Lines an amending step adds to the resource of the step that makes its target (a backend, a policy). */
  attributes?(step: PlanStep, context: TerraformContext): string[];
  /** Outputs after every resource (an address's IP, a DNS authorization's CNAME). */
  outputs?(step: PlanStep, address: string): string[];
}

export interface StepContext {
  plan: Plan;
  step: PlanStep;
  clients: ApplyClients;
  signal?: AbortSignal;
  /** What finished steps produced (the live resource), by step id. */
  outputs: ReadonlyMap<string, unknown>;
  /** Called just before a create request goes out (its outcome is unknown if the run stops now). */
  sending: () => void;
  /** The preflight of this run found nothing by the step's name. */
  absentAtStart?: boolean;
  /** The step's resource in messages: `backend service web-backend`, `serverless NEG web-neg in us-central1`. */
  what: string;
}

export interface StepDone {
  outcome: 'created' | 'adopted' | 'updated';
  message: string;
  /** The live resource after the step. */
  resource?: unknown;
  /** What the step's `undo` needs to take the change back (the setting it replaced). */
  undo?: unknown;
}

/** What planning decides for a step from the live state. */
export type StepJudgement = Pick<PlanStep, 'action'> & Partial<Pick<PlanStep, 'differences' | 'note'>>;

export type StepExecutor = (context: StepContext) => Promise<StepDone>;

/** A plan step a kind owns. */
export interface StepForm {
  step: StepKind;
  /** How the step is named in messages, when not by its kind's label (`invoker binding`). */
  label?: string;
  /** The collection of the resource the step changes, when it is not its kind's (a policy's attachment changes a backend service). */
  changes?: KindCollection;
  /** The step changes a resource (adds a backend, a certificate, a binding, a record) rather than making one that others reference. */
  amends?: true;
  /** The preview's headline, when not `label name`: a shorter word, and what follows the name (`+ web-neg`). */
  headline?: { label: string; detail?: (step: PlanStep) => string };
  /** One line for the plan's preview and the script's comments. */
  describe(step: PlanStep): string;
  /** The gcloud command that does what the step does. */
  gcloud(step: PlanStep, context: CommandContext): GcloudCommand;
  terraform: TerraformForm;
  /** Carries the step out: looks before it creates, so a second run adopts what the first made. */
  execute: StepExecutor;
  /** How planning judges the step against what exists (default: its resource by name, adopted when identical). */
  judge?(step: PlanStep, live: Inventory, project: string): StepJudgement;
  /** Takes back a change the step made on `name`, from its outcome's `undo`; returns a sentence when it leaves it (changed since). */
  undo?(
    change: { name: string; region?: string; record: unknown },
    clients: Pick<ApplyClients, 'compute'> & Partial<ApplyClients>,
    signal?: AbortSignal,
  ): Promise<string | undefined>;
}

export interface KindDeclaration {
  kind: ResourceKind;
  /** Singular, for messages: `backend service`. */
  label: string;
  /** Plural, for messages: `backend services`. */
  plural: string;
  collection: KindCollection;
  /** The gcloud command group: `compute backend-services`. */
  gcloud: string;
  regional: boolean;
  /** Deleting goes phase by phase, lowest first; undefined: never deleted by this extension. */
  deletePhase?: number;
  /** The path of one resource in the Cloud Console, after https://console.cloud.google.com. */
  consolePath(name: string, region?: string): string;
  compute?: ComputeApi;
  certificateManager?: CertificateManagerApi;
  /** Read when a plan or a prompt needs it, not with the load balancers' lists (nothing in the topology is made of it). */
  onDemand?: true;
  /** The plan steps that create or change this kind's resources. */
  steps: readonly StepForm[];
}

/** `gcloud compute backend-services`, as words. */
export const gcloudGroup = (kind: Pick<KindDeclaration, 'gcloud'>): string[] => ['gcloud', ...kind.gcloud.split(' ')];

/** `/net-services/loadbalancing/<path>/<name>` in the Cloud Console. */
export const loadBalancingPage =
  (path: string) =>
  (name: string): string =>
    `/net-services/loadbalancing/${path}/${encodeURIComponent(name)}`;
