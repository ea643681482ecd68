// What differs between a planned resource and a live one, as Apply and the planner judge adoption: empty when the
// live one can be adopted as it is.
import { certificateManagerName, shortName, type CertificateManagerKind } from '../gcp/certificateManager';
import { differences, GOOGLE_DEFAULTS } from '../gcp/compare';
import { canonicalDomains } from './names';
import type { PlanStep } from './types';

/** A forwarding rule body as it would read back: the address reference replaced by the address's IP. */
export function withAddressIp(body: Record<string, unknown>, ipOf: (addressName: string) => string | undefined): Record<string, unknown> {
  const ref = body.IPAddress;
  if (typeof ref !== 'string' || !ref.includes('/addresses/')) return body;
  const ip = ipOf(ref.split('/').pop() ?? '');
  return ip ? { ...body, IPAddress: ip } : body;
}

/** What differs between a planned Compute resource and a live one; empty when it can be adopted. */
export function resourceDifferences(
  step: Pick<PlanStep, 'kind' | 'body' | 'collection'>,
  wanted: Record<string, unknown>,
  actual: unknown,
  project: string,
): string[] {
  const found = differences(wanted, actual, project, '', GOOGLE_DEFAULTS[step.collection]);
  if (step.kind === 'sslCertificate') {
    // Arrays compare as "contains"; a certificate must cover exactly the planned domains.
    const want = canonicalDomains((wanted.managed as { domains?: string[] } | undefined)?.domains ?? []);
    const have = canonicalDomains((actual as { managed?: { domains?: string[] } }).managed?.domains ?? []);
    if (want.join(',') !== have.join(',') && !found.length)
      found.push(`managed.domains is ${JSON.stringify(have)}, wanted ${JSON.stringify(want)}`);
  }
  return found;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

/** What differs between a planned Certificate Manager resource and a live one; empty when it can be adopted. */
export function certificateManagerDifferences(step: PlanStep, actual: unknown, project: string): string[] {
  const a = actual as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const want = step.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const rel = (refs: unknown, kind: CertificateManagerKind) =>
    ((refs ?? []) as string[]).map((r) => certificateManagerName(project, kind, shortName(r)));
  switch (step.kind) {
    case 'dnsAuthorization':
      return a.domain === want.domain ? [] : [`domain is ${JSON.stringify(a.domain)}, wanted ${JSON.stringify(want.domain)}`];
    case 'certificateManagerCertificate': {
      const out: string[] = [];
      if (!a.managed) return ['it is a self-managed certificate, wanted a Google-managed one'];
      const have = canonicalDomains(a.managed.domains ?? []),
        wanted = canonicalDomains(want.managed.domains);
      if (have.join(',') !== wanted.join(',')) out.push(`managed.domains is ${JSON.stringify(have)}, wanted ${JSON.stringify(wanted)}`);
      if (!sameSet(rel(a.managed.dnsAuthorizations, 'dnsAuthorizations'), rel(want.managed.dnsAuthorizations, 'dnsAuthorizations'))) {
        out.push(
          `managed.dnsAuthorizations is ${JSON.stringify((a.managed.dnsAuthorizations ?? []).map(shortName))}, wanted ${JSON.stringify(want.managed.dnsAuthorizations.map(shortName))}`,
        );
      }
      return out;
    }
    case 'certificateMap':
      return [];
    case 'certificateMapEntry': {
      const out: string[] = [];
      if ((a.hostname ?? undefined) !== (want.hostname ?? undefined) || (a.matcher ?? undefined) !== (want.matcher ?? undefined)) {
        out.push(
          `it matches ${a.hostname ? `hostname ${a.hostname}` : (a.matcher ?? 'nothing')}, wanted ${want.hostname ? `hostname ${want.hostname}` : want.matcher}`,
        );
      }
      if (!sameSet(rel(a.certificates, 'certificates'), rel(want.certificates, 'certificates'))) {
        out.push(
          `certificates is ${JSON.stringify((a.certificates ?? []).map(shortName))}, wanted ${JSON.stringify(want.certificates.map(shortName))}`,
        );
      }
      return out;
    }
    default:
      return [];
  }
}
