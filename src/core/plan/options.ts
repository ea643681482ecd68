// The "make global" options, declared once: default, wizard label and line, the resource names each
// adds (checked for clashes), and the steps it adds to the plan. The wizard, validation, the plan,
// its preview and both exports read this list; adding an option is one entry here.
import type { ComputeKind } from '../gcp/compute';
import { buildCertificateMapSteps } from './certificateMap';
import type { GlobalizeChoices, GlobalizeOptions, ResourceNames, StepBuilder } from './types';

export interface OptionSpec {
  key: keyof GlobalizeOptions;
  default: boolean;
  /** The wizard's pick, and the plan preview's word for it. */
  label: string;
  /** One line in the wizard: what it does. */
  description: string;
  /** The resource names it adds, by Compute collection (names must be distinct within one). */
  names(options: GlobalizeOptions): [keyof Omit<ResourceNames, 'networkEndpointGroups'>, ComputeKind][];
  /** Adds or changes steps, given whether it is on. */
  build(builder: StepBuilder, enabled: boolean): void;
}

export const GLOBALIZE_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'httpsRedirect',
    default: true,
    label: 'HTTP → HTTPS redirect',
    description: 'port 80 on the same IP answers with a redirect',
    names: () => [
      ['redirectUrlMap', 'urlMaps'],
      ['httpProxy', 'targetHttpProxies'],
      ['httpRule', 'forwardingRules'],
    ],
    build(b, enabled) {
      if (!enabled) return;
      const { names } = b;
      b.add({
        id: 'redirect-url-map',
        kind: 'urlMap',
        name: names.redirectUrlMap,
        body: {
          name: names.redirectUrlMap,
          defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false },
        },
        dependsOn: [],
      });
      b.add({
        id: 'http-proxy',
        kind: 'targetHttpProxy',
        name: names.httpProxy,
        body: { name: names.httpProxy, urlMap: b.ref('urlMaps', names.redirectUrlMap) },
        dependsOn: ['redirect-url-map'],
      });
      b.rule(
        'http-rule',
        names.httpRule,
        '80',
        { step: 'http-proxy', collection: 'targetHttpProxies', name: names.httpProxy },
        { step: 'address', name: names.address },
      );
    },
  },
  {
    key: 'cdn',
    default: true,
    label: 'Cloud CDN',
    description: 'responses marked cacheable (Cache-Control: public) are served from Google’s edge, nearer your users',
    names: () => [],
    build(b, enabled) {
      const backend = b.steps.find((s) => s.id === 'backend');
      if (backend) backend.body = { ...backend.body, enableCDN: enabled };
    },
  },
  {
    key: 'ipv6',
    default: false,
    label: 'IPv6 address',
    description: 'a second frontend on an IPv6 address',
    names: (options) => [
      ['ipv6Address', 'addresses'],
      ['ipv6HttpsRule', 'forwardingRules'],
      ...(options.httpsRedirect ? [['ipv6HttpRule', 'forwardingRules'] as ['ipv6HttpRule', ComputeKind]] : []),
    ],
    build(b, enabled) {
      if (!enabled) return;
      const { names } = b;
      b.add({
        id: 'ipv6-address',
        kind: 'address',
        name: names.ipv6Address,
        body: { name: names.ipv6Address, ipVersion: 'IPV6' },
        dependsOn: [],
      });
      const address = { step: 'ipv6-address', name: names.ipv6Address };
      b.rule(
        'ipv6-https-rule',
        names.ipv6HttpsRule,
        '443',
        { step: 'https-proxy', collection: 'targetHttpsProxies', name: names.httpsProxy },
        address,
      );
      if (b.options.httpsRedirect)
        b.rule(
          'ipv6-http-rule',
          names.ipv6HttpRule,
          '80',
          { step: 'http-proxy', collection: 'targetHttpProxies', name: names.httpProxy },
          address,
        );
    },
  },
  {
    key: 'cloudDns',
    default: true,
    label: 'Cloud DNS records',
    description: 'where a domain’s zone is in Cloud DNS, its A (and AAAA) record is written there once the address exists',
    names: () => [],
    // The steps depend on the zones the live state holds: buildPlan adds them (dnsRecords.ts).
    build: () => undefined,
  },
  {
    key: 'certificateManager',
    default: false,
    label: 'Issue the certificate before DNS moves',
    description:
      'Certificate Manager with DNS authorization: a _acme-challenge CNAME per domain makes the certificate ACTIVE before the A record moves, so HTTPS never breaks',
    names: () => [],
    build(b, enabled) {
      if (enabled) buildCertificateMapSteps(b);
    },
  },
];

export const DEFAULT_OPTIONS: GlobalizeOptions = Object.fromEntries(
  GLOBALIZE_OPTIONS.map((o) => [o.key, o.default]),
) as unknown as GlobalizeOptions;

/** The options as asked, with the defaults for what was not said. */
export function resolveOptions(options: Partial<GlobalizeOptions> | undefined): GlobalizeOptions {
  return { ...DEFAULT_OPTIONS, ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) };
}

/** An option that picks one of the project's resources, or none: the wizard lists those that fit beside the options. */
export interface ChoiceSpec {
  key: keyof GlobalizeChoices;
  /** The wizard's pick (with the resource's name), and the plan preview's word for it. */
  label: string;
  /** The Compute collection it picks from. */
  collection: ComputeKind;
  /** Whether a resource of that collection can be picked; otherwise, why not. */
  fits(resource: { name?: string | null; type?: string | null }): true | string;
  /** One line in the wizard about one resource. */
  description(resource: { description?: string | null; rules?: unknown[] | null }): string;
  /** How a user makes one when the project has none that fits. */
  howToCreate(project: string): string;
  /** Adds or changes steps for the picked resource's name. */
  build(builder: StepBuilder, name: string): void;
}

export const CHOICE_OPTIONS: readonly ChoiceSpec[] = [
  {
    key: 'securityPolicy',
    label: 'Cloud Armor policy',
    collection: 'securityPolicies',
    // Edge policies go on backend buckets and CDN caches through another field; a backend service takes a backend policy.
    fits: (policy) =>
      !policy.type || policy.type === 'CLOUD_ARMOR'
        ? true
        : `it is of type ${policy.type}; a backend service takes a backend security policy (type CLOUD_ARMOR)`,
    description: (policy) =>
      [`backend security policy`, `${policy.rules?.length ?? 0} rule${policy.rules?.length === 1 ? '' : 's'}`, policy.description]
        .filter(Boolean)
        .join(' · '),
    howToCreate: (project) => `gcloud compute security-policies create NAME --project=${project}`,
    build(b, name) {
      if (!b.steps.some((s) => s.id === 'backend')) return;
      b.add({
        id: 'security-policy',
        kind: 'attachSecurityPolicy',
        name: b.names.backendService,
        body: { securityPolicy: b.ref('securityPolicies', name) },
        dependsOn: ['backend'],
      });
    },
  },
];
