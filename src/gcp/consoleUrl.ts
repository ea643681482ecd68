// Where a resource lives in the Google Cloud console.
const CONSOLE = 'https://console.cloud.google.com';

export type ConsoleResource =
  | { kind: 'loadBalancer'; urlMap: string }
  | { kind: 'forwardingRule' | 'targetHttpsProxy' | 'targetHttpProxy' | 'sslCertificate' | 'urlMap' | 'backendService' | 'backendBucket' | 'address'; name: string }
  | { kind: 'networkEndpointGroup'; name: string; region?: string; zone?: string }
  | { kind: 'runService'; name: string; region: string };

export function consoleUrl(project: string, resource: ConsoleResource): string {
  const q = `?project=${encodeURIComponent(project)}`;
  const e = encodeURIComponent;
  switch (resource.kind) {
    case 'loadBalancer':
    case 'urlMap':
      return `${CONSOLE}/net-services/loadbalancing/details/httpAdvanced/${e(resource.kind === 'loadBalancer' ? resource.urlMap : resource.name)}${q}`;
    case 'forwardingRule':
      return `${CONSOLE}/net-services/loadbalancing/advanced/globalForwardingRules/details/${e(resource.name)}${q}`;
    case 'targetHttpsProxy':
      return `${CONSOLE}/net-services/loadbalancing/advanced/targetHttpsProxies/details/${e(resource.name)}${q}`;
    case 'targetHttpProxy':
      return `${CONSOLE}/net-services/loadbalancing/advanced/targetHttpProxies/details/${e(resource.name)}${q}`;
    case 'sslCertificate':
      return `${CONSOLE}/net-services/loadbalancing/advanced/sslCertificates/details/${e(resource.name)}${q}`;
    case 'backendService':
      return `${CONSOLE}/net-services/loadbalancing/backends/details/backendService/${e(resource.name)}${q}`;
    case 'backendBucket':
      return `${CONSOLE}/net-services/loadbalancing/backends/details/backendBucket/${e(resource.name)}${q}`;
    case 'address':
      return `${CONSOLE}/networking/addresses/list${q}`;
    case 'networkEndpointGroup':
      return `${CONSOLE}/compute/networkendpointgroups/details/${e(resource.region ?? resource.zone ?? 'global')}/${e(resource.name)}${q}`;
    case 'runService':
      return `${CONSOLE}/run/detail/${e(resource.region)}/${e(resource.name)}/metrics${q}`;
  }
}
