import assert from 'node:assert/strict';
import * as path from 'path';
import { differences } from '../../src/core/gcp/compare';
import { normalizeRef } from '../../src/core/gcp/refs';
import { endpointIsUsers, planCredentials, PLACEHOLDER_TOKEN, readEndpointToken, settingsTokenLayers } from '../../src/core/gcp/connection';
import { CloudError } from '../../src/core/gcp/errors';
import { ProjectLookupEnvironment, readIniValue, resolveDefaultProject } from '../../src/core/gcp/project';

function environment(
  env: Record<string, string>,
  files: Record<string, string> = {},
  platform: NodeJS.Platform = 'linux',
): ProjectLookupEnvironment {
  return { env, platform, homedir: '/home/u', readFile: (f) => files[f] };
}

describe('resolveDefaultProject', () => {
  const config = (dir: string, name: string, project: string) => ({
    [path.join(dir, 'active_config')]: `${name}\n`,
    [path.join(dir, 'configurations', `config_${name}`)]:
      `[core]\naccount = me@example.com\nproject = ${project}\n\n[compute]\nregion = us-central1\n`,
  });

  it('prefers the setting, then CLOUDSDK_CORE_PROJECT, GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT', () => {
    const env = { CLOUDSDK_CORE_PROJECT: 'a-project', GOOGLE_CLOUD_PROJECT: 'b-project', GCLOUD_PROJECT: 'c-project' };
    assert.equal(resolveDefaultProject(environment(env), 'from-setting').project, 'from-setting');
    assert.equal(resolveDefaultProject(environment(env)).project, 'a-project');
    assert.equal(
      resolveDefaultProject(environment({ GOOGLE_CLOUD_PROJECT: 'b-project', GCLOUD_PROJECT: 'c-project' })).project,
      'b-project',
    );
    assert.equal(resolveDefaultProject(environment({ GCLOUD_PROJECT: 'c-project' })).source, 'environment variable GCLOUD_PROJECT');
  });

  it("reads gcloud's active configuration under ~/.config/gcloud", () => {
    const resolved = resolveDefaultProject(environment({}, config('/home/u/.config/gcloud', 'work', 'work-project')));
    assert.deepEqual(resolved, { project: 'work-project', source: 'gcloud configuration "work"' });
  });

  it('honours CLOUDSDK_CONFIG and CLOUDSDK_ACTIVE_CONFIG_NAME', () => {
    const files = { ...config('/cfg', 'one', 'one-project'), ...config('/cfg', 'two', 'two-project') };
    assert.equal(resolveDefaultProject(environment({ CLOUDSDK_CONFIG: '/cfg' }, files)).project, 'two-project');
    assert.equal(
      resolveDefaultProject(environment({ CLOUDSDK_CONFIG: '/cfg', CLOUDSDK_ACTIVE_CONFIG_NAME: 'one' }, files)).project,
      'one-project',
    );
  });

  it('uses %APPDATA%\\gcloud on Windows and the "default" configuration when none is active', () => {
    const dir = path.join('C:/Users/u/AppData/Roaming', 'gcloud');
    const files = { [path.join(dir, 'configurations', 'config_default')]: '[core]\nproject = win-project\n' };
    assert.equal(resolveDefaultProject(environment({ APPDATA: 'C:/Users/u/AppData/Roaming' }, files, 'win32')).project, 'win-project');
  });

  it('says why there is no project', () => {
    assert.deepEqual(resolveDefaultProject(environment({})), { source: 'no gcloud configuration found' });
    const files = { '/home/u/.config/gcloud/configurations/config_default': '[core]\naccount = me@example.com\n' };
    assert.deepEqual(resolveDefaultProject(environment({}, files)), { source: 'gcloud configuration "default" has no project' });
  });

  it('reads only the asked section of an ini file', () => {
    assert.equal(readIniValue('[compute]\nproject = wrong\n[core]\nproject=right\n', 'core', 'project'), 'right');
  });
});

describe('planCredentials', () => {
  const base = { endpointFromUserSettings: false, endpointCredentials: 'none' as const };

  it('uses Application Default Credentials against Google when no endpoint is set', () => {
    assert.equal(planCredentials(base).kind, 'applicationDefault');
    assert.equal(planCredentials(base).rootUrl, undefined);
  });

  it('sends a placeholder to an endpoint by default, never a real token', () => {
    const plan = planCredentials({ ...base, endpoint: 'http://127.0.0.1:8089' });
    assert.deepEqual(plan, {
      kind: 'fixedToken',
      token: PLACEHOLDER_TOKEN,
      rootUrl: 'http://127.0.0.1:8089/',
      description: 'http://127.0.0.1:8089/ without credentials',
    });
  });

  it('refuses to send Google credentials to an endpoint from workspace settings', () => {
    assert.throws(
      () => planCredentials({ ...base, endpoint: 'https://evil.example/', endpointCredentials: 'google' }),
      (err: CloudError) => err.kind === 'unauthenticated' && /user settings/.test(err.message),
    );
    assert.equal(
      planCredentials({ ...base, endpoint: 'https://private.example/', endpointCredentials: 'google', endpointFromUserSettings: true })
        .kind,
      'applicationDefault',
    );
  });

  it('refuses to send the endpoint token to an endpoint from workspace settings', () => {
    assert.throws(
      () => planCredentials({ ...base, endpoint: 'https://evil.example/', endpointCredentials: 'token', endpointToken: 't0k' }),
      (err: CloudError) =>
        err.kind === 'unauthenticated' && /endpoint token will not be sent/.test(err.message) && !err.message.includes('t0k'),
    );
  });

  it('reads the token on first use, from where it is kept, and needs a URL', async () => {
    const user = { ...base, endpointFromUserSettings: true, endpoint: 'http://127.0.0.1:1/', endpointCredentials: 'token' as const };
    assert.throws(() => planCredentials(user), /no endpoint token is set.*Set Endpoint Token/);
    let reads = 0;
    const plan = planCredentials({
      ...user,
      endpointToken: async () => {
        reads++;
        return ' t0k ';
      },
    });
    assert.deepEqual(plan, {
      kind: 'endpointToken',
      rootUrl: 'http://127.0.0.1:1/',
      description: 'http://127.0.0.1:1/ with your endpoint token',
    });
    assert.equal(reads, 0, 'planning must not read the secret');
    assert.equal(await readEndpointToken(async () => ' t0k '), 't0k');
    await assert.rejects(
      readEndpointToken(async () => undefined),
      (err: CloudError) => err.kind === 'unauthenticated' && /Set Endpoint Token/.test(err.message),
    );
    await assert.rejects(
      readEndpointToken(async () => {
        throw new Error('keyring locked: t0k');
      }),
      (err: CloudError) => /secret storage/.test(err.message) && !err.message.includes('t0k'),
    );
    assert.throws(() => planCredentials({ ...base, endpoint: 'not a url' }), /is not a URL/);
    assert.throws(() => planCredentials({ ...base, endpoint: 'ftp://x/' }), /http or https/);
  });
});

describe('settingsTokenLayers', () => {
  it('names every layer that still holds the old plain-text token', () => {
    assert.deepEqual(settingsTokenLayers(undefined), []);
    assert.deepEqual(settingsTokenLayers({ globalValue: '  ' }), []);
    assert.deepEqual(settingsTokenLayers({ globalValue: 'a', workspaceValue: 'b', workspaceFolderValue: 'c' }), [
      'user',
      'workspace',
      'workspace folder',
    ]);
    assert.deepEqual(settingsTokenLayers({ workspaceValue: 42 }), ['workspace']);
  });
});

describe('endpointIsUsers', () => {
  const cases: [string, Parameters<typeof endpointIsUsers>[0], boolean][] = [
    ['user settings only', { globalValue: 'https://private.example/' }, true],
    ['nothing set', {}, false],
    ['workspace settings only', { workspaceValue: 'https://evil.example/' }, false],
    [
      "a workspace folder replaces the user's",
      { globalValue: 'https://private.example/', workspaceFolderValue: 'https://evil.example/' },
      false,
    ],
    ["the workspace replaces the user's", { globalValue: 'https://private.example/', workspaceValue: 'https://evil.example/' }, false],
    [
      'the workspace blanks it (Google again, but not "the user\'s endpoint")',
      { globalValue: 'https://private.example/', workspaceValue: '' },
      false,
    ],
    ['a blank user value', { globalValue: '  ' }, false],
  ];
  for (const [title, layers, expected] of cases) {
    it(`${expected ? 'trusts' : 'does not trust'} the endpoint when ${title}`, () => assert.equal(endpointIsUsers(layers), expected));
  }
});

describe('references and differences', () => {
  it('normalises every form Google accepts to projects/P/…', () => {
    const forms = [
      'https://www.googleapis.com/compute/v1/projects/p/regions/us-central1/networkEndpointGroups/neg',
      'http://127.0.0.1:8089/compute/v1/projects/p/regions/us-central1/networkEndpointGroups/neg',
      'projects/p/regions/us-central1/networkEndpointGroups/neg',
      'regions/us-central1/networkEndpointGroups/neg',
    ];
    for (const form of forms) assert.equal(normalizeRef(form, 'p'), 'projects/p/regions/us-central1/networkEndpointGroups/neg');
  });

  it('finds what differs, ignoring server fields, reference forms and array order', () => {
    const wanted = {
      name: 'web',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      enableCDN: true,
      backends: [{ group: 'regions/r1/networkEndpointGroups/a' }],
    };
    const actual = {
      name: 'web',
      id: '1',
      selfLink: 'x',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      enableCDN: true,
      protocol: 'HTTP',
      backends: [
        { group: 'https://compute.googleapis.com/compute/v1/projects/p/regions/r1/networkEndpointGroups/a', balancingMode: 'UTILIZATION' },
      ],
    };
    assert.deepEqual(differences(wanted, actual, 'p'), []);
    assert.deepEqual(differences({ ...wanted, enableCDN: false }, actual, 'p'), ['enableCDN is true, wanted false']);
    assert.equal(differences({ ...wanted, backends: [{ group: 'regions/r2/networkEndpointGroups/a' }] }, actual, 'p').length, 1);
  });
});
