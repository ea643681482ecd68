import assert from 'node:assert/strict';
import { lastSegment, normalizeRef, parseRef, refId, resourceId, sameRef } from '../../src/core/gcp/refs';

describe('topology references', () => {
  const canonical = 'projects/p1/global/backendServices/web';

  it('normalises every form Google accepts to projects/P/…', () => {
    for (const ref of [
      'https://www.googleapis.com/compute/v1/projects/p1/global/backendServices/web',
      'https://compute.googleapis.com/compute/v1/projects/p1/global/backendServices/web',
      'http://127.0.0.1:8089/compute/v1/projects/p1/global/backendServices/web',
      'https://www.googleapis.com/compute/beta/projects/p1/global/backendServices/web',
      'projects/p1/global/backendServices/web',
      '/projects/p1/global/backendServices/web/',
      'global/backendServices/web',
      '  global/backendServices/web?alt=json',
    ]) {
      assert.equal(normalizeRef(ref, 'p1'), canonical, ref);
    }
  });

  it('fills in the default project only for partial paths', () => {
    assert.equal(
      normalizeRef('regions/us-central1/networkEndpointGroups/n', 'p1'),
      'projects/p1/regions/us-central1/networkEndpointGroups/n',
    );
    assert.equal(normalizeRef('zones/us-central1-a/instanceGroups/ig', 'p1'), 'projects/p1/zones/us-central1-a/instanceGroups/ig');
    assert.equal(normalizeRef('projects/other/global/urlMaps/m', 'p1'), 'projects/other/global/urlMaps/m');
    assert.equal(normalizeRef('', 'p1'), undefined);
    assert.equal(normalizeRef(null, 'p1'), undefined);
  });

  it('parses scope, collection and name', () => {
    assert.deepEqual(parseRef('http://127.0.0.1:9/compute/v1/projects/p1/regions/europe-west1/networkEndpointGroups/neg-eu', 'p1'), {
      path: 'projects/p1/regions/europe-west1/networkEndpointGroups/neg-eu',
      project: 'p1',
      scope: { kind: 'region', region: 'europe-west1' },
      collection: 'networkEndpointGroups',
      name: 'neg-eu',
    });
    assert.deepEqual(parseRef('zones/us-east1-b/instanceGroups/ig', 'p1')?.scope, { kind: 'zone', zone: 'us-east1-b' });
    assert.equal(parseRef('global/targetTcpProxies/tcp', 'p1')?.collection, 'targetTcpProxies');
  });

  it('reads the scope-less proxy path of setSslCertificates as global', () => {
    assert.equal(parseRef('/compute/v1/projects/p1/targetHttpsProxies/px', 'p1')?.path, 'projects/p1/global/targetHttpsProxies/px');
    assert.ok(sameRef('projects/p1/targetHttpsProxies/px', 'global/targetHttpsProxies/px', 'p1'));
  });

  it('leaves references that are not Compute paths readable and unparsed', () => {
    assert.equal(parseRef('all-apis', 'p1'), undefined);
    assert.equal(refId('all-apis', 'p1'), 'all-apis');
    const map = '//certificatemanager.googleapis.com/projects/p1/locations/global/certificateMaps/site';
    assert.equal(parseRef(map, 'p1'), undefined);
    assert.equal(refId(map, 'p1'), 'projects/p1/locations/global/certificateMaps/site');
    assert.equal(
      refId('https://certificatemanager.googleapis.com/v1/projects/p1/locations/global/certificateMaps/site', 'p1'),
      'projects/p1/locations/global/certificateMaps/site',
    );
  });

  it('compares references across formats and tells different resources apart', () => {
    assert.ok(sameRef('http://127.0.0.1:8089/compute/v1/projects/p1/global/urlMaps/m', 'global/urlMaps/m', 'p1'));
    assert.ok(!sameRef('global/urlMaps/m', 'global/urlMaps/m2', 'p1'));
    assert.ok(!sameRef('global/urlMaps/m', 'projects/p2/global/urlMaps/m', 'p1'));
    assert.ok(!sameRef(undefined, undefined, 'p1'));
  });

  it('gives a listed resource its selfLink path, or one built from name and scope', () => {
    assert.equal(
      resourceId({ name: 'x', selfLink: 'https://compute.googleapis.com/compute/v1/projects/p1/global/urlMaps/x' }, 'urlMaps', 'p1'),
      'projects/p1/global/urlMaps/x',
    );
    assert.equal(
      resourceId(
        { name: 'n', region: 'https://www.googleapis.com/compute/v1/projects/p1/regions/asia-east1' },
        'networkEndpointGroups',
        'p1',
      ),
      'projects/p1/regions/asia-east1/networkEndpointGroups/n',
    );
    assert.equal(resourceId({ name: 'b' }, 'backendServices', 'p1'), 'projects/p1/global/backendServices/b');
    assert.equal(lastSegment('https://www.googleapis.com/compute/v1/projects/p1/regions/asia-east1'), 'asia-east1');
  });
});
