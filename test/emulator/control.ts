// A typed client of the emulator's control API (/_emulator/ on the API port, no auth), usable from any process.
import type { CertificateTiming, DnsType, FaultSpec, Json, ProjectSpec, RunIamSpec, SeedData } from './store';

export interface RequestCounts {
  total: number;
  byRoute: Record<string, number>;
}

export class EmulatorControl {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/?$/, '/') + '_emulator/';
  }

  /**
   * Clears everything and loads `seed` (default: the seed the emulator started with). The mode returns to the one the
   * emulator started with unless `options.sparse` says otherwise.
   */
  reset(seed?: SeedData | 'demo' | 'empty', options: { sparse?: boolean } = {}): Promise<void> {
    return this.call('POST', 'reset', {
      ...(seed === undefined ? {} : { seed }),
      ...(options.sparse === undefined ? {} : { sparse: options.sparse }),
    });
  }

  /** Sparse mode on or off for the writes that follow (see EmulatorOptions.sparse); what is stored stays as it is. */
  setSparse(sparse: boolean): Promise<{ sparse: boolean }> {
    return this.call('PUT', 'mode', { sparse });
  }

  /** Replaces a Cloud Run service's IAM bindings, as if someone had set them; answers the policy as getIamPolicy would. */
  setRunIamPolicy(spec: RunIamSpec): Promise<Json> {
    return this.call('PUT', 'run-iam', spec);
  }

  /** Turns the organisation's domain-restricted-sharing policy on or off for a project (allUsers refused in IAM policies). */
  setDomainRestrictedSharing(project: string, on: boolean): Promise<Required<ProjectSpec>> {
    return this.call('POST', 'projects', { id: project, domainRestrictedSharing: on });
  }

  /** Adds seed data to what is there. */
  loadSeed(seed: SeedData | 'demo'): Promise<void> {
    return this.call('POST', 'seed', { seed });
  }

  /** Everything the emulator holds, Compute resources as the API renders them. */
  state(): Promise<Json> {
    return this.call('GET', 'state');
  }

  setDnsRecord(record: { name: string; type: DnsType; values: string[]; ttl?: number }): Promise<void> {
    return this.call('PUT', 'dns', record);
  }

  removeDnsRecord(name: string, type?: DnsType): Promise<{ removed: number }> {
    const q = new URLSearchParams({ name, ...(type ? { type } : {}) });
    return this.call('DELETE', `dns?${q}`);
  }

  /** Fails (or resets, or delays) the next `count` API requests whose method and path match. */
  addFault(fault: FaultSpec): Promise<{ id: number }> {
    return this.call('POST', 'faults', fault);
  }

  clearFaults(): Promise<void> {
    return this.call('DELETE', 'faults');
  }

  addProject(spec: ProjectSpec): Promise<Required<ProjectSpec>> {
    return this.call('POST', 'projects', spec);
  }

  requests(): Promise<RequestCounts> {
    return this.call('GET', 'requests');
  }

  resetRequests(): Promise<void> {
    return this.call('DELETE', 'requests');
  }

  setCertificateTiming(timing: CertificateTiming): Promise<Required<CertificateTiming>> {
    return this.call('PUT', 'certificate-timing', timing);
  }

  setLatency(latency: { operationLatencyMs?: number; requestLatencyMs?: number; faultRate?: number }): Promise<Json> {
    return this.call('PUT', 'latency', latency);
  }

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + route, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new Error(`emulator control ${method} ${route}: ${res.status} ${data?.error ?? text}`);
    return data as T;
  }
}
