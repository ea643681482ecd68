// An authoritative DNS server on loopback UDP, answering from the store: A, AAAA, CNAME (followed), CAA, TXT
// (the control API's records and the record sets of Cloud DNS public zones).
// Unknown name: NXDOMAIN (Node's resolver: ENOTFOUND); known name without the type: NODATA (ENODATA).
import DNS from 'dns2';
import { parseCaa } from './certs';
import { normalizeDnsName, type DnsType, type Store } from './store';

const { Packet } = DNS;
const TYPE_NAMES: Record<number, DnsType> = {
  [Packet.TYPE.A]: 'A',
  [Packet.TYPE.AAAA]: 'AAAA',
  [Packet.TYPE.CNAME]: 'CNAME',
  [Packet.TYPE.CAA]: 'CAA',
  [Packet.TYPE.TXT]: 'TXT',
};
const RCODE_NXDOMAIN = 3;
const MAX_CNAME_HOPS = 8;

export interface DnsServer {
  port: number;
  close(): Promise<void>;
}

export async function startDnsServer(store: Store, port: number, log?: (line: string) => void): Promise<DnsServer> {
  const server = DNS.createUDPServer((request, send) => {
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    response.header.ra = 0;
    const question = request.questions[0];
    if (question) answer(store, question, response);
    log?.(
      `dns ${question?.name} ${TYPE_NAMES[question?.type ?? 0] ?? question?.type} rcode=${response.header.rcode} answers=${response.answers.length}`,
    );
    void send(response).catch(() => undefined);
  });
  server.on('requestError', () => undefined);
  await server.listen(port, '127.0.0.1');
  const address = server.address();
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answer(store: Store, question: DNS.Packet.Question, response: DNS.Packet): void {
  let name = normalizeDnsName(question.name);
  const wanted = TYPE_NAMES[question.type];
  if (store.dnsRecords(name).length === 0) {
    response.header.rcode = RCODE_NXDOMAIN;
    return;
  }
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
    const direct = wanted ? store.dns.get(`${name}|${wanted}`) : undefined;
    if (direct) {
      for (const value of direct.values) response.answers.push(record(name, wanted!, value, direct.ttl));
      return;
    }
    const alias = store.dns.get(`${name}|CNAME`);
    if (!alias || wanted === 'CNAME' || alias.values.length === 0) return; // NODATA
    response.answers.push(record(name, 'CNAME', alias.values[0], alias.ttl));
    name = normalizeDnsName(alias.values[0]);
    if (store.dnsRecords(name).length === 0) return; // the alias points outside what we serve
  }
}

function record(name: string, type: DnsType, value: string, ttl: number): DNS.Packet.Resource {
  const base = { name, type: Packet.TYPE[type], class: Packet.CLASS.IN, ttl };
  switch (type) {
    case 'A':
    case 'AAAA':
      return { ...base, address: value } as DNS.Packet.Resource;
    case 'CNAME':
      return { ...base, domain: normalizeDnsName(value) } as DNS.Packet.Resource;
    case 'TXT':
      return { ...base, data: value } as DNS.Packet.Resource;
    case 'CAA': {
      const caa = parseCaa(value) ?? { flags: 0, tag: 'issue', value };
      return { ...base, flags: caa.flags, tag: caa.tag, value: caa.value } as DNS.Packet.Resource;
    }
  }
}
