// Every resource kind, listed once. The access layer's collections, the live model's parts, the plan's steps, their
// exports and executors, deletion order and console links are all read from this list.
import type { CertificateManagerKind } from '../gcp/certificateManager';
import type { ComputeKind } from '../gcp/compute';
import type { PlanStep } from '../plan/types';
import type { StepKind } from './vocabulary';
import { address } from './address';
import { backendBucket } from './backendBucket';
import { backendService } from './backendService';
import { certificateManagerCertificate } from './certificateManagerCertificate';
import { certificateMap } from './certificateMap';
import { certificateMapEntry } from './certificateMapEntry';
import { dnsAuthorization } from './dnsAuthorization';
import { dnsRecordSet } from './dnsRecordSet';
import { forwardingRule } from './forwardingRule';
import type { CertificateManagerApi, ComputeApi, KindDeclaration, StepForm } from './kind';
import type { KindCollection, ResourceKind } from './vocabulary';
import { networkEndpointGroup } from './networkEndpointGroup';
import { runService } from './runService';
import { securityPolicy } from './securityPolicy';
import { sslCertificate } from './sslCertificate';
import { targetHttpProxy } from './targetHttpProxy';
import { targetHttpsProxy } from './targetHttpsProxy';
import { urlMap } from './urlMap';

/** In the order a load balancer reads from the front: rule, proxies, URL map, certificates, backends, address. */
export const KINDS: readonly KindDeclaration[] = [
  forwardingRule,
  targetHttpsProxy,
  targetHttpProxy,
  urlMap,
  sslCertificate,
  backendService,
  backendBucket,
  networkEndpointGroup,
  address,
  dnsRecordSet,
  certificateMapEntry,
  certificateMap,
  certificateManagerCertificate,
  dnsAuthorization,
  securityPolicy,
  runService,
];

export const RESOURCE_KINDS = Object.fromEntries(KINDS.map((k) => [k.kind, k])) as Readonly<Record<ResourceKind, KindDeclaration>>;

const BY_COLLECTION = new Map<KindCollection, KindDeclaration>(KINDS.map((k) => [k.collection, k]));
const STEPS = new Map<StepKind, { form: StepForm; kind: KindDeclaration }>(
  KINDS.flatMap((kind) => kind.steps.map((form) => [form.step, { form, kind }] as const)),
);

export function kindOfCollection(collection: KindCollection): ResourceKind {
  return BY_COLLECTION.get(collection)!.kind;
}

export function kindLabel(kind: ResourceKind): string {
  return RESOURCE_KINDS[kind].label;
}

/** A step kind's form and the kind that owns it. */
export function stepForm(step: StepKind): StepForm {
  const found = STEPS.get(step);
  if (!found) throw new Error(`No resource kind declares the plan step "${step}".`);
  return found.form;
}

/** The resource kind a step creates or changes (add-backend: the backend service). */
export function stepResourceKind(step: StepKind): ResourceKind {
  return kindOfCollection(stepCollection(step));
}

/** How a step's resource is named in messages. */
export function stepLabel(step: StepKind): string {
  const { form, kind } = STEPS.get(step)!;
  return form.label ?? kind.label;
}

/** Where a step's resource lives. */
export function stepCollection(step: StepKind): KindCollection {
  const { form, kind } = STEPS.get(step)!;
  return form.changes ?? kind.collection;
}

export const isCertificateManagerStep = (step: Pick<PlanStep, 'kind'>): boolean => !!STEPS.get(step.kind)?.kind.certificateManager;

export type ComputeCollection = ComputeApi & { label: string };
export type CertificateManagerCollection = CertificateManagerApi & { label: string };

/** The Compute collections a load balancer is made of, for the Compute client. */
export const COMPUTE_COLLECTIONS = Object.fromEntries(
  KINDS.filter((k) => k.compute).map((k) => [k.compute!.collection, { ...k.compute!, label: k.label }]),
) as Readonly<Record<ComputeKind, ComputeCollection>>;
/** The Compute lists the live model reads with the load balancers (what the topology is made of). */
export const COMPUTE_KINDS = KINDS.filter((k) => k.compute && !k.onDemand).map((k) => k.compute!.collection);

/** Certificate Manager's collections, for its client. */
export const CERTIFICATE_MANAGER_COLLECTIONS = Object.fromEntries(
  KINDS.filter((k) => k.certificateManager).map((k) => [k.certificateManager!.collection, { ...k.certificateManager!, label: k.label }]),
) as Readonly<Record<CertificateManagerKind, CertificateManagerCollection>>;
export const CERTIFICATE_MANAGER_KINDS = Object.keys(CERTIFICATE_MANAGER_COLLECTIONS) as CertificateManagerKind[];

/** The kinds this extension deletes, phase by phase: every kind of one phase can go in parallel. */
export function deletionPhases(): ResourceKind[][] {
  const phases: ResourceKind[][] = [];
  for (const k of KINDS) if (k.deletePhase !== undefined) (phases[k.deletePhase] ??= []).push(k.kind);
  return phases;
}
