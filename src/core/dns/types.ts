// What a DNS lookup can answer. A resolver failure (timeout, SERVFAIL, refused) is its own kind, so
// nothing downstream can mistake "the lookup failed" for "there is no record".

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'CAA';

export type DnsAnswer =
  | {
      kind: 'records';
      /** Addresses for A/AAAA, target names for CNAME, presentation form for CAA (`0 issue "pki.goog"`). */
      values: string[];
      /** Seconds the answer may be reused; undefined when the resolver does not report it (CNAME, CAA in Node). */
      ttl?: number;
    }
  | {
      kind: 'none';
      /** NXDOMAIN: the name does not exist; NODATA: it exists but has no record of this type. */
      reason: 'NXDOMAIN' | 'NODATA';
    }
  | {
      kind: 'error';
      /** The resolver's code: ETIMEOUT, ESERVFAIL, EREFUSED, ECONNREFUSED, … (or CNAME_LOOP, CNAME_TOO_LONG). */
      code: string;
      message: string;
    };

export interface DnsResolver {
  resolve(name: string, type: DnsRecordType): Promise<DnsAnswer>;
}

/** Lower case, without the trailing dot: how names are compared and cached. */
export function normalizeDomain(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

/** Words for a resolver error code, for messages. */
export function describeDnsError(code: string): string {
  switch (code) {
    case 'ETIMEOUT':
      return 'the DNS server did not answer in time';
    case 'ESERVFAIL':
      return "the DNS server answered SERVFAIL (it could not get an answer from the domain's name servers)";
    case 'EREFUSED':
      return 'the DNS server refused the query';
    case 'ECONNREFUSED':
      return 'the DNS server could not be reached (connection refused)';
    case 'EBADRESP':
    case 'EFORMERR':
      return 'the DNS server sent an answer that could not be read';
    case 'ENOTIMP':
      return 'the DNS server does not implement this query';
    case 'CNAME_LOOP':
      return 'the CNAME records form a loop';
    case 'CNAME_TOO_LONG':
      return 'the CNAME chain is too long to follow';
    case 'ECANCELLED':
      return 'the lookup was cancelled';
    default:
      return `the lookup failed (${code})`;
  }
}
