import * as assert from 'node:assert/strict';
import { remoteUri, workbenchUrl } from './workbench-url';

describe('workbench URL', () => {
  const server = 'http://127.0.0.1:8790/';

  it('names server paths as vscode-remote URIs of the host the browser uses', () => {
    assert.equal(remoteUri(server, '/repo'), 'vscode-remote://127.0.0.1:8790/repo');
  });

  it('carries the folder and the launch options in the payload parameter', () => {
    const url = new URL(
      workbenchUrl(server, {
        folder: '/tmp/ws dir',
        extensionDevelopmentPath: '/repo',
        extensionTestsPath: '/repo/out/test/integration/index',
      }),
    );
    assert.equal(url.origin + url.pathname, 'http://127.0.0.1:8790/');
    assert.equal(url.searchParams.get('folder'), '/tmp/ws dir');
    assert.deepEqual(JSON.parse(url.searchParams.get('payload') as string), [
      ['extensionDevelopmentPath', 'vscode-remote://127.0.0.1:8790/repo'],
      ['extensionTestsPath', 'vscode-remote://127.0.0.1:8790/repo/out/test/integration/index'],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]);
  });

  it('opens a file with the window, as `code FILE` does', () => {
    const payload = JSON.parse(
      new URL(workbenchUrl(server, { folder: '/ws', openFile: '/ws/service.yaml' })).searchParams.get('payload') as string,
    ) as string[][];
    assert.deepEqual(payload[0], ['openFile', 'vscode-remote://127.0.0.1:8790/ws/service.yaml']);
  });

  it('leaves out what the launch does not ask for', () => {
    const payload = JSON.parse(new URL(workbenchUrl(server, { folder: '/ws' })).searchParams.get('payload') as string) as string[][];
    assert.deepEqual(
      payload.map(([key]) => key),
      ['skipWelcome', 'skipReleaseNotes'],
    );
  });
});
