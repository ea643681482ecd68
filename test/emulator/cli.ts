// `npm run emulator`: the emulator as a standalone process, with ready-to-paste gcloud and VS Code settings.
import { readFileSync } from 'node:fs';
import { startEmulator } from './index';
import type { SeedData } from './store';

const USAGE = `usage: npm run emulator -- [--port N] [--latency MS] [--request-latency MS] [--seed demo|empty|FILE.json] [--fault-rate 0..1] [--dns-port N] [--sparse] [--verbose]`;

function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (a === '--verbose' || a === '--sparse') {
      out.set(a.slice(2), 'true');
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      console.error(`unknown argument ${a}\n${USAGE}`);
      process.exit(2);
    }
    out.set(m[1], m[2] ?? argv[++i] ?? '');
  }
  return out;
}

function num(args: Map<string, string>, name: string, fallback: number): number {
  const v = args.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} needs a number ≥ 0, got ${v}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seedArg = args.get('seed') ?? 'demo';
  const seed: SeedData | 'demo' | 'empty' = seedArg === 'demo' || seedArg === 'empty' ? seedArg : JSON.parse(readFileSync(seedArg, 'utf8'));
  const emulator = await startEmulator({
    port: num(args, 'port', 8089),
    operationLatencyMs: num(args, 'latency', 500),
    requestLatencyMs: num(args, 'request-latency', 0),
    faultRate: num(args, 'fault-rate', 0),
    dnsPort: num(args, 'dns-port', 0),
    seed,
    sparse: args.has('sparse'),
    log: args.has('verbose') ? (line) => console.log(line) : undefined,
  });
  const { url, dnsPort } = emulator;
  console.log(`Cloud Run Global emulator (seed: ${seedArg}${args.has('sparse') ? ', sparse' : ''})
  API endpoint:  ${url}   (Compute at ${url}compute/v1/, Cloud Run at ${url}v1/ and ${url}v2/, Cloud DNS at ${url}dns/v1/)
  Control API:   ${url}_emulator/state
  DNS (UDP):     127.0.0.1:${dnsPort}     e.g. dig @127.0.0.1 -p ${dnsPort} shop.example.com

gcloud (any token is accepted):
  export CLOUDSDK_CONFIG=$(mktemp -d)
  gcloud config set api_endpoint_overrides/compute ${url}compute/v1/
  gcloud config set api_endpoint_overrides/run ${url}
  gcloud config set api_endpoint_overrides/dns ${url}dns/v1/
  gcloud config set api_endpoint_overrides/certificatemanager ${url}
  gcloud config set core/project demo-project
  echo emulator-token > /tmp/emulator-token
  gcloud compute backend-services list --access-token-file=/tmp/emulator-token
  gcloud dns managed-zones list --access-token-file=/tmp/emulator-token   # records of public zones answer on the DNS port

gcloud's regional Cloud Run commands (--region: services replace, describe, add-iam-policy-binding) address
R-<run host>; with the emulator as gcloud's HTTP proxy those names never need to resolve:
  gcloud config set proxy/type http
  gcloud config set proxy/address 127.0.0.1
  gcloud config set proxy/port ${emulator.port}
  gcloud config set api_endpoint_overrides/run http://run.emulator.test/
  gcloud config set api_endpoint_overrides/cloudresourcemanager http://crm.emulator.test/

VS Code user settings (endpoint, credentials and DNS servers are machine-scoped: a workspace's
settings.json cannot set them; in a remote window put them in the Remote settings):
  "cloudRunGlobal.endpoint": "${url}",
  "cloudRunGlobal.endpointCredentials": "none",
  "cloudRunGlobal.project": "demo-project",
  "cloudRunGlobal.dnsServers": ["127.0.0.1:${dnsPort}"],
  // Projects besides demo-project whose Cloud DNS zones plans and the DNS quick fix may write to:
  "cloudRunGlobal.dnsProjects": []

Ctrl+C stops it.`);
  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
