// DNS server settings: `host`, `host:port`, `[v6]:port` or a bare IPv6 literal. Node's resolver only
// takes IP literals, so names are refused here with a message instead of failing at lookup time.
import { isIP } from 'node:net';

export interface DnsServer {
  address: string;
  port?: number;
}

export interface ParsedDnsServers {
  /** In the form `Resolver.setServers` accepts. */
  servers: string[];
  /** Entries that are not an IP literal with an optional port, with the reason. */
  invalid: { entry: string; reason: string }[];
}

export function parseDnsServer(entry: string): DnsServer | { error: string } {
  const text = entry.trim();
  if (text === '') return { error: 'empty entry' };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  let address: string;
  let portText: string | undefined;
  if (bracketed) {
    address = bracketed[1];
    portText = bracketed[2];
  } else if (isIP(text) === 6) {
    address = text;
  } else {
    const hostPort = /^([^:]+)(?::(\d+))?$/.exec(text);
    if (!hostPort) return { error: 'expected host, host:port or [IPv6]:port' };
    address = hostPort[1];
    portText = hostPort[2];
  }
  if (isIP(address) === 0) return { error: `${address} is not an IP address (DNS servers are given by address)` };
  if (bracketed && isIP(address) !== 6) return { error: 'only IPv6 addresses go in brackets' };
  if (portText === undefined) return { address };
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `port ${portText} is out of range` };
  return { address, port };
}

export function formatDnsServer(server: DnsServer): string {
  const v6 = isIP(server.address) === 6;
  if (server.port === undefined) return server.address;
  return v6 ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}

export function parseDnsServers(entries: readonly string[]): ParsedDnsServers {
  const result: ParsedDnsServers = { servers: [], invalid: [] };
  for (const entry of entries) {
    const parsed = parseDnsServer(entry);
    if ('error' in parsed) result.invalid.push({ entry, reason: parsed.error });
    else result.servers.push(formatDnsServer(parsed));
  }
  return result;
}
