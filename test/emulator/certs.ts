// Google-managed certificates, evaluated lazily: a domain turns ACTIVE once its conditions have held for
// `activationDelayMs` (attached to an HTTPS proxy that a 443 rule serves; its A records, after CNAMEs, all point at
// such a rule's IP; no AAAA record without a matching IPv6 rule; CAA, if any, allows Google's CAs).
// Conditions only change when the store changes, so they are re-checked after each change, never on a timer.
import { canonicalUrl } from './refs';
import { normalizeDnsName, type ComputeRecord, type Store } from './store';

const CAS_GOOGLE_USES = ['pki.goog', 'letsencrypt.org'];

export type DomainState = 'PROVISIONING' | 'ACTIVE' | 'FAILED_NOT_VISIBLE' | 'FAILED_CAA_FORBIDDEN';

interface Conditions {
  met: boolean;
  caaForbidden: boolean;
}

export function resolveChain(store: Store, name: string, type: 'A' | 'AAAA'): string[] {
  let current = normalizeDnsName(name);
  for (let hop = 0; hop < 8; hop++) {
    const direct = store.dns.get(`${current}|${type}`);
    if (direct) return direct.values;
    const alias = store.dns.get(`${current}|CNAME`);
    if (!alias || alias.values.length === 0) return [];
    current = normalizeDnsName(alias.values[0]);
  }
  return [];
}

export function caaAllowsGoogle(store: Store, domain: string): boolean {
  // The closest name (the domain, then its parents) that has CAA records decides.
  const labels = normalizeDnsName(domain).split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const rec = store.dns.get(`${labels.slice(i).join('.')}|CAA`);
    if (!rec) continue;
    const issuers = rec.values
      .map(parseCaa)
      .filter((c) => c && (c.tag === 'issue' || c.tag === 'issuewild'))
      .map((c) => c!.value.split(';')[0].trim());
    return issuers.some((v) => CAS_GOOGLE_USES.includes(v));
  }
  return true;
}

/** A CAA value as written in a zone file: `0 issue "pki.goog"`. */
export function parseCaa(value: string): { flags: number; tag: string; value: string } | undefined {
  const m = /^\s*(\d+)\s+([a-zA-Z0-9]+)\s+"?([^"]*)"?\s*$/.exec(value);
  return m ? { flags: Number(m[1]), tag: m[2].toLowerCase(), value: m[3] } : undefined;
}

interface ServingIndex {
  changes: number;
  byCert: Map<string, { v4: Set<string>; v6: Set<string> }>;
}
const servingIndexes = new WeakMap<Store, ServingIndex>();

/** Which IPs serve each certificate through a 443 rule: built once per change of the resources, not per certificate. */
function servingIps(store: Store, cert: ComputeRecord): { v4: Set<string>; v6: Set<string> } {
  let index = servingIndexes.get(store);
  if (!index || index.changes !== store.compute.changes) {
    const rulesByTarget = new Map<string, ComputeRecord[]>();
    for (const rule of store.compute.values()) {
      if (
        rule.collection !== 'forwardingRules' ||
        !String(rule.body.portRange ?? '')
          .split('-')
          .includes('443')
      )
        continue;
      rulesByTarget.set(rule.body.target, [...(rulesByTarget.get(rule.body.target) ?? []), rule]);
    }
    const byCert = new Map<string, { v4: Set<string>; v6: Set<string> }>();
    for (const proxy of store.compute.values()) {
      if (proxy.collection !== 'targetHttpsProxies') continue;
      const rules = rulesByTarget.get(canonicalUrl(proxy.path)) ?? [];
      for (const certUrl of proxy.body.sslCertificates ?? []) {
        const key = `${proxy.project}|${certUrl}`;
        const ips = byCert.get(key) ?? { v4: new Set<string>(), v6: new Set<string>() };
        for (const rule of rules) {
          const ip = String(rule.body.IPAddress ?? '');
          (ip.includes(':') ? ips.v6 : ips.v4).add(ip);
        }
        byCert.set(key, ips);
      }
    }
    index = { changes: store.compute.changes, byCert };
    servingIndexes.set(store, index);
  }
  const found = index.byCert.get(`${cert.project}|${canonicalUrl(cert.path)}`);
  return { v4: new Set(found?.v4), v6: new Set(found?.v6) };
}

function conditions(store: Store, domain: string, ips: { v4: Set<string>; v6: Set<string> }): Conditions {
  const a = resolveChain(store, domain, 'A');
  const aaaa = resolveChain(store, domain, 'AAAA');
  const caaOk = caaAllowsGoogle(store, domain);
  const met =
    ips.v4.size + ips.v6.size > 0 &&
    (a.length > 0 || aaaa.length > 0) &&
    a.every((ip) => ips.v4.has(ip)) &&
    aaaa.every((ip) => ips.v6.has(normalizeV6(ip)) || ips.v6.has(ip)) &&
    caaOk;
  return { met, caaForbidden: !caaOk };
}

const normalizeV6 = (ip: string): string => ip.toLowerCase();

const managedCerts = (store: Store): ComputeRecord[] =>
  [...store.compute.values()].filter((r) => r.collection === 'sslCertificates' && r.body.type === 'MANAGED');

/** Re-check every managed certificate after a change; `activateNow` (seed loading) skips the delay. */
export function refreshCertificates(store: Store, now: number, activateNow = false): void {
  for (const cert of managedCerts(store)) {
    const ips = servingIps(store, cert);
    let perDomain = store.certDomains.get(cert.path);
    if (!perDomain) store.certDomains.set(cert.path, (perDomain = new Map()));
    for (const domain of cert.body.managed?.domains ?? []) {
      const state = perDomain.get(domain) ?? {};
      if (!state.active) {
        const { met } = conditions(store, domain, ips);
        if (met && activateNow) state.active = true;
        else if (met && state.since === undefined) state.since = now;
        else if (!met) state.since = undefined;
      }
      perDomain.set(domain, state);
    }
  }
}

export function managedStatus(
  store: Store,
  cert: ComputeRecord,
  now: number,
): { status: string; domainStatus: Record<string, DomainState> } {
  const perDomain = store.certDomains.get(cert.path) ?? new Map();
  const ips = servingIps(store, cert);
  const domainStatus: Record<string, DomainState> = {};
  for (const domain of cert.body.managed?.domains ?? []) {
    const state = perDomain.get(domain) ?? {};
    if (!state.active && state.since !== undefined && now - state.since >= store.certTiming.activationDelayMs) state.active = true;
    if (state.active) domainStatus[domain] = 'ACTIVE';
    else if (conditions(store, domain, ips).caaForbidden) domainStatus[domain] = 'FAILED_CAA_FORBIDDEN';
    else if (now - cert.createdAt >= store.certTiming.failNotVisibleAfterMs) domainStatus[domain] = 'FAILED_NOT_VISIBLE';
    else domainStatus[domain] = 'PROVISIONING';
  }
  const all = Object.values(domainStatus);
  return { status: all.length > 0 && all.every((s) => s === 'ACTIVE') ? 'ACTIVE' : 'PROVISIONING', domainStatus };
}
