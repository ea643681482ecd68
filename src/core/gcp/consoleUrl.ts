// Where a resource lives in the Google Cloud console (each kind declares its path).
import { RESOURCE_KINDS } from '../kinds/registry';
import type { ResourceKind } from '../kinds/vocabulary';

const CONSOLE = 'https://console.cloud.google.com';

export type ConsoleResource =
  { kind: 'loadBalancer'; urlMap: string } | { kind: ResourceKind; name: string; region?: string; zone?: string };

export function consoleUrl(project: string, resource: ConsoleResource): string {
  const q = `?project=${encodeURIComponent(project)}`;
  // A load balancer is shown on its URL map's page.
  if (resource.kind === 'loadBalancer') return `${CONSOLE}${RESOURCE_KINDS.urlMap.consolePath(resource.urlMap)}${q}`;
  const region = resource.region ?? resource.zone;
  return `${CONSOLE}${RESOURCE_KINDS[resource.kind].consolePath(resource.name, region)}${q}`;
}
