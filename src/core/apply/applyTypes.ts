// What running a plan reports: per step, what this run created (for Undo), and progress events.
import type { CloudDnsClient, DnsRecordSet } from '../gcp/cloudDns';
import type { CertificateManagerClient } from '../gcp/certificateManager';
import type { ComputeClient } from '../gcp/compute';
import type { CloudError } from '../gcp/errors';
import type { RunClient } from '../gcp/run';
import type { PlanStep, ResourceCollection } from '../plan/types';
import type { StepKind } from '../kinds/vocabulary';

/**
 * created / adopted (it existed with the planned settings) / updated (add-backend attached a NEG);
 * failed; cancelled (not started, or aborted, when the run was cancelled); skipped (a step it
 * depends on failed).
 */
export type StepOutcome = 'created' | 'adopted' | 'updated' | 'failed' | 'cancelled' | 'skipped';

export interface StepResult {
  stepId: string;
  kind: StepKind;
  name: string;
  region?: string;
  outcome: StepOutcome;
  /** One sentence for the log and the progress UI. */
  message: string;
  error?: CloudError;
  /** Epoch ms; unset for steps that never started. */
  startedAt?: number;
  durationMs?: number;
}

export interface AppliedResource {
  stepId: string;
  kind: StepKind;
  collection: ResourceCollection;
  name: string;
  region?: string;
  /** A certificate map entry's map. */
  parent?: string;
}

/** A Cloud DNS record set this run wrote: Undo removes it (`previous` absent) or puts `previous` back. */
export interface AppliedDnsRecord {
  stepId: string;
  zone: string;
  zoneProject: string;
  zoneDnsName: string;
  /** Domain, without the trailing dot. */
  name: string;
  type: string;
  /** What this run wrote. */
  written: DnsRecordSet;
  /** What was there before (an update). */
  previous?: DnsRecordSet;
}

/** A NEG this run attached to a backend service it did not create (Undo detaches it). */
export interface AttachedBackend {
  stepId: string;
  backendService: string;
  /** The NEG reference as it was sent. */
  group: string;
  region?: string;
}

/** A certificate this run attached to an existing HTTPS proxy (Change Domains; Undo detaches it). */
export interface AttachedCertificate {
  stepId: string;
  httpsProxy: string;
  /** The certificate reference as it was sent. */
  certificate: string;
}

/**
 * What Undo needs from a run, list by list: one run's (ApplyResult) and a plan's over all its runs
 * (PlanHistory in flows/applyHistory.ts, whose recordRun merges every list of this interface).
 */
export interface RunRecords {
  /** What was created, in the order it was created. */
  created: AppliedResource[];
  attached: AttachedBackend[];
  /**
   * Creates whose request was sent but whose outcome is unknown (cancelled or failed mid-way):
   * they may exist; running the plan again adopts them.
   */
  uncertain: AppliedResource[];
  /**
   * NEG attachments whose write was sent but whose outcome is unknown (cancelled or failed mid-way):
   * a later run that finds the NEG attached (adopted) made it, and Undo must detach it.
   */
  uncertainAttached: AttachedBackend[];
  /**
   * Certificates attached to a proxy, including writes sent whose outcome is unknown: detaching one
   * that is not attached changes nothing, so Undo may try each (absent in records stored before Change Domains).
   */
  attachedCertificates?: AttachedCertificate[];
  /** Cloud DNS record sets created or changed (absent in records stored by earlier versions). */
  dnsRecords?: AppliedDnsRecord[];
  /** Settings a step changed on a resource it did not make, with what its kind's undo needs (absent in older records). */
  amended?: AmendedResource[];
}

/** A setting one step changed (a backend service's Cloud Armor policy): its kind's undo takes it back. */
export interface AmendedResource {
  stepId: string;
  kind: StepKind;
  name: string;
  region?: string;
  /** The step's `StepDone.undo`. */
  record: unknown;
}

export interface ApplyResult extends RunRecords {
  /** Every step finished as created, adopted or updated. */
  ok: boolean;
  cancelled: boolean;
  /** In plan order. */
  steps: StepResult[];
  /** The load balancer's IPv4 (and IPv6) address, when its address step finished. */
  ip?: string;
  ipv6?: string;
  durationMs: number;
}

export type ApplyEvent =
  | { type: 'stepStarted'; step: PlanStep; at: number; done: number; total: number }
  | { type: 'stepFinished'; step: PlanStep; result: StepResult; done: number; total: number };

export interface ApplyClients {
  compute: ComputeClient;
  run: RunClient;
  /** Needed only by plans with Cloud DNS steps. */
  dns?: CloudDnsClient;
  /** Needed by plans with "Issue the certificate before DNS moves". */
  certificateManager?: CertificateManagerClient;
}

export interface ApplyOptions {
  /** Steps in flight at once; default 4. */
  concurrency?: number;
  /** Cancel: no new step starts, requests in flight are aborted. */
  signal?: AbortSignal;
  onEvent?: (event: ApplyEvent) => void;
  /**
   * Before any change, look up every resource the plan names and stop when one conflicts
   * (default true): the plan may be older than the live state.
   */
  preflight?: boolean;
}
