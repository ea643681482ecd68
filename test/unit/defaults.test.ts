// Comparisons that know Google's defaults: a field Google leaves out holds its documented default.
import assert from 'node:assert/strict';
import { differences, GOOGLE_DEFAULTS } from '../../src/core/gcp/compare';
import { resourceDifferences } from '../../src/core/plan/differences';

describe("comparisons with Google's defaults", () => {
  const p = 'demo-project';

  it('absent equals the documented default, wherever the plan sends it', () => {
    assert.deepEqual(differences({ name: 'ip', ipVersion: 'IPV4' }, { name: 'ip' }, p, '', GOOGLE_DEFAULTS.addresses), []);
    assert.deepEqual(differences({ name: 'b', enableCDN: false }, { name: 'b' }, p, '', GOOGLE_DEFAULTS.backendServices), []);
    assert.deepEqual(differences({ IPProtocol: 'TCP' }, {}, p, '', GOOGLE_DEFAULTS.forwardingRules), []);
    const redirect = { defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false } };
    assert.deepEqual(differences(redirect, { defaultUrlRedirect: { httpsRedirect: true } }, p, '', GOOGLE_DEFAULTS.urlMaps), []);
  });

  it('absent is still the default, not anything: a non-default wanted value differs', () => {
    assert.deepEqual(differences({ ipVersion: 'IPV6' }, {}, p, '', GOOGLE_DEFAULTS.addresses), ['ipVersion is "IPV4", wanted "IPV6"']);
    assert.deepEqual(differences({ enableCDN: true }, {}, p, '', GOOGLE_DEFAULTS.backendServices), ['enableCDN is false, wanted true']);
    // A backend created without a scheme is classic EXTERNAL, which cannot serve an EXTERNAL_MANAGED plan.
    assert.deepEqual(differences({ loadBalancingScheme: 'EXTERNAL_MANAGED' }, {}, p, '', GOOGLE_DEFAULTS.backendServices), [
      'loadBalancingScheme is "EXTERNAL", wanted "EXTERNAL_MANAGED"',
    ]);
    assert.deepEqual(differences({ type: 'MANAGED' }, {}, p, '', GOOGLE_DEFAULTS.sslCertificates), [
      'type is "SELF_MANAGED", wanted "MANAGED"',
    ]);
  });

  it('without defaults, absent is unset (other callers keep their meaning)', () => {
    assert.deepEqual(differences({ ipVersion: 'IPV4' }, {}, p), ['ipVersion is unset, wanted "IPV4"']);
  });

  it('a port range of one port is the same written either way', () => {
    assert.deepEqual(differences({ portRange: '443-443' }, { portRange: '443' }, p), []);
    assert.deepEqual(differences({ portRange: '443' }, { portRange: '443-443' }, p), []);
    assert.deepEqual(differences({ portRange: '443-443' }, { portRange: '8443-8443' }, p), ['portRange is "8443-8443", wanted "443-443"']);
  });

  it("the plan's backend (no protocol, port name or timeout) is the backend gcloud makes (HTTP, http, 30 s): Google's defaults either way", () => {
    const planned = { name: 'cloudrun-backend', loadBalancingScheme: 'EXTERNAL_MANAGED', enableCDN: true };
    const byGcloud = {
      name: 'cloudrun-backend',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      enableCDN: true,
      portName: 'http',
      protocol: 'HTTP',
      timeoutSec: 30,
      fingerprint: 'x',
      kind: 'compute#backendService',
      id: '1',
    };
    assert.deepEqual(
      resourceDifferences({ kind: 'backendService', collection: 'backendServices', body: planned }, planned, byGcloud, p),
      [],
    );
    const sparseRule = {
      name: 'r',
      IPAddress: '34.1.2.3',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      portRange: '443-443',
      target: `projects/${p}/global/targetHttpsProxies/https-proxy`,
    };
    const plannedRule = { ...sparseRule, IPProtocol: 'TCP' };
    assert.deepEqual(
      resourceDifferences({ kind: 'forwardingRule', collection: 'forwardingRules', body: plannedRule }, plannedRule, sparseRule, p),
      [],
    );
  });
});
