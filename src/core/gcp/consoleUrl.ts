// Where a resource lives in the Google Cloud console (the paths are in resourceKinds.ts).
import { RESOURCE_KINDS } from '../kinds/registry';

const CONSOLE = 'https://console.cloud.google.com';

export type ConsoleResource =
  | { kind: 'loadBalancer'; urlMap: string }
  | {
      kind:
        | 'forwardingRule'
        | 'targetHttpsProxy'
        | 'targetHttpProxy'
        | 'sslCertificate'
        | 'urlMap'
        | 'backendService'
        | 'backendBucket'
        | 'address';
      name: string;
    }
  | { kind: 'dnsAuthorization' | 'certificateManagerCertificate' | 'certificateMap' | 'certificateMapEntry'; name: string }
  | { kind: 'networkEndpointGroup'; name: string; region?: string; zone?: string }
  | { kind: 'runService'; name: string; region: string };

export function consoleUrl(project: string, resource: ConsoleResource): string {
  const q = `?project=${encodeURIComponent(project)}`;
  // A load balancer is shown on its URL map's page.
  if (resource.kind === 'loadBalancer') return `${CONSOLE}${RESOURCE_KINDS.urlMap.consolePath(resource.urlMap)}${q}`;
  const region = 'region' in resource ? (resource.region ?? ('zone' in resource ? resource.zone : undefined)) : undefined;
  return `${CONSOLE}${RESOURCE_KINDS[resource.kind].consolePath(resource.name, region)}${q}`;
}
