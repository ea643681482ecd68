// CAA (RFC 8659): which certificate authorities a domain's CAA record set lets issue.

export interface CaaRecord {
  flags: number;
  tag: string;
  value: string;
}

/** The certificate authorities Google-managed certificates come from. */
export const GOOGLE_CA_DOMAINS = ['pki.goog', 'letsencrypt.org'] as const;

/** Tags a CA understands; an unknown tag with the critical flag set forbids issuance. */
const KNOWN_TAGS = new Set(['issue', 'issuewild', 'iodef', 'contactemail', 'contactphone', 'issuemail', 'issuevmc']);
const CRITICAL_FLAG = 128;

/** `0 issue "pki.goog"` → { flags: 0, tag: 'issue', value: 'pki.goog' }. */
export function parseCaaRecord(text: string): CaaRecord | undefined {
  const match = /^\s*(\d+)\s+([A-Za-z0-9]+)\s+(?:"((?:[^"\\]|\\.)*)"|(\S*))\s*$/.exec(text);
  if (!match) return undefined;
  return { flags: Number(match[1]), tag: match[2].toLowerCase(), value: match[3] ?? match[4] ?? '' };
}

export function formatCaaRecord(record: CaaRecord): string {
  return `${record.flags} ${record.tag} "${record.value}"`;
}

export interface CaaVerdict {
  /** True when at least one of `issuers` may issue for the name. */
  allowed: boolean;
  /** The issuer domains the set names for this kind of name; undefined when it does not restrict issuers. */
  permittedIssuers?: string[];
  /** An unknown critical property that forbids issuance by anyone. */
  unknownCritical?: string;
}

/** Whether a CAA record set lets any of `issuers` issue for a name (a wildcard name reads `issuewild` first). */
export function evaluateCaa(records: readonly CaaRecord[], issuers: readonly string[] = GOOGLE_CA_DOMAINS, wildcard = false): CaaVerdict {
  const critical = records.find((r) => (r.flags & CRITICAL_FLAG) !== 0 && !KNOWN_TAGS.has(r.tag));
  if (critical) return { allowed: false, unknownCritical: critical.tag };
  const wild = records.filter((r) => r.tag === 'issuewild');
  const relevant = wildcard && wild.length ? wild : records.filter((r) => r.tag === 'issue');
  if (relevant.length === 0) return { allowed: true };
  // `issue ";"` names no issuer: nobody may issue.
  const permitted = [...new Set(relevant.map((r) => issuerDomain(r.value)).filter((d) => d !== ''))];
  const wanted = issuers.map((i) => i.toLowerCase());
  return { allowed: permitted.some((d) => wanted.includes(d)), permittedIssuers: permitted };
}

function issuerDomain(value: string): string {
  return value.split(';')[0].trim().toLowerCase().replace(/\.$/, '');
}
