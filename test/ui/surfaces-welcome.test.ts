// The explorer's welcome views, one per way of not being connected: no project, no credentials, an
// endpoint that refuses connections. Each is brought about as a person would (their settings file
// changed, the token cleared), shows its own text and buttons, and its first button gets them back.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, Server } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../harness/net';
import { uiSession } from '../harness/ui-session';
import { sharedWorkbench, Workbench } from './workbench';

const PROJECT = 'demo-project';

describe('Welcome views of the explorer', function () {
  this.timeout(150_000);
  let workbench: Workbench;
  const environment = () => uiSession().environment;
  // The server's Machine settings (where requests go), as code-server keeps them; its workbench takes
  // changes to that file at once. (It does not watch the User file: the project is set in the workspace.)
  const settingsFile = (scope: 'User' | 'Machine') => join(environment().server.userDataDir, scope, 'settings.json');
  const workspaceSettings = () => join(environment().workspace.path, '.vscode');
  const original: Record<string, string> = {};
  const readSettings = (scope: 'User' | 'Machine') => JSON.parse(readFileSync(settingsFile(scope), 'utf8')) as Record<string, unknown>;
  const changeSettings = (scope: 'User' | 'Machine', change: Record<string, unknown>) =>
    writeFileSync(settingsFile(scope), JSON.stringify({ ...readSettings(scope), ...change }, null, 2) + '\n');
  const restoreSettings = () => {
    for (const scope of ['User', 'Machine'] as const)
      if (readFileSync(settingsFile(scope), 'utf8') !== original[scope]) writeFileSync(settingsFile(scope), original[scope]);
    rmSync(workspaceSettings(), { recursive: true, force: true });
  };

  const welcome = () => workbench.page.locator('.part.sidebar .pane-body .welcome-view-content').first();
  /** Waits for the welcome view that says `text` (another state's may show for a moment on the way). */
  const welcomeSaying = (text: string) =>
    workbench.page.locator('.part.sidebar .pane-body .welcome-view-content', { hasText: text }).first().waitFor({ timeout: 60_000 });
  const buttons = async () => (await welcome().locator('.monaco-button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  const links = async () => (await welcome().locator('p a').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  const statusBarProject = (text: string) => workbench.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();

  before(async () => {
    workbench = await sharedWorkbench();
    for (const scope of ['User', 'Machine'] as const) original[scope] = readFileSync(settingsFile(scope), 'utf8');
    await workbench.openViewContainer('Cloud Run Global');
    // Earlier files may have folded it (the tree keeps that across files).
    await workbench.expandRow(workbench.treeRow('Global load balancers'));
    await workbench.waitForTreeRow('storefront-url-map', 30_000);
  });
  afterEach(async () => {
    await workbench.page.keyboard.press('Escape');
    restoreSettings();
    await workbench.waitForTreeRow('storefront-url-map', 30_000);
  });

  it('no project: says so, offers Choose Project and Try the Demo, and Choose Project connects again', async () => {
    const page = workbench.page;
    // A workspace whose settings clear the project (the user's own says demo-project).
    mkdirSync(workspaceSettings(), { recursive: true });
    writeFileSync(join(workspaceSettings(), 'settings.json'), JSON.stringify({ 'cloudRunGlobal.project': '' }, null, 2) + '\n');
    await welcomeSaying('No Google Cloud project is selected.');
    await statusBarProject('No project').waitFor({ timeout: 15_000 });
    const text = (await workbench.viewMessages()).join('\n');
    await workbench.screenshot('ui-surfaces-welcome-no-project');
    assert.match(text, /No Google Cloud project is selected\./);
    assert.match(text, /gcloud config set project PROJECT_ID/);
    assert.deepEqual(await buttons(), ['Choose Project', 'Try the Demo']);
    assert.deepEqual(await links(), []);

    await welcome().locator('.monaco-button', { hasText: 'Choose Project' }).click();
    await workbench.waitForQuickInput('Switch Google Cloud project');
    await workbench.quickRow(PROJECT).waitFor({ timeout: 30_000 });
    await page.locator('.quick-input-widget input').fill(PROJECT);
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: PROJECT }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await workbench.waitForTreeRow('api-url-map', 30_000);
    await welcome().waitFor({ state: 'hidden', timeout: 15_000 });
    const written = JSON.parse(readFileSync(join(workspaceSettings(), 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(
      written['cloudRunGlobal.project'],
      PROJECT,
      'the project chosen is written where the empty one was: the workspace settings',
    );
  });

  it('no credentials: says so, offers to sign in or set the endpoint token, and Set Endpoint Token connects again', async () => {
    const page = workbench.page;
    // The endpoint wants a token, and none is kept.
    await workbench.runCommand('Cloud Run Global: Clear Endpoint Token');
    changeSettings('Machine', { 'cloudRunGlobal.endpointCredentials': 'token' });
    await welcomeSaying('No usable Google Cloud credentials were found.');
    const text = (await workbench.viewMessages()).join('\n');
    await workbench.screenshot('ui-surfaces-welcome-no-credentials');
    assert.match(text, /No usable Google Cloud credentials were found\./);
    assert.match(text, /gcloud auth application-default login/);
    assert.deepEqual(await buttons(), ['Sign In with gcloud', 'Choose Project', 'Try the Demo']);
    assert.deepEqual(await links(), ['Set Endpoint Token'], 'in the sentence about endpoint tokens');

    await welcome().locator('p a', { hasText: 'Set Endpoint Token' }).click();
    await workbench.waitForQuickInput('Cloud Run Global: endpoint token');
    assert.equal(await page.locator('.quick-input-widget input').getAttribute('type'), 'password', 'the token is typed masked');
    await page.locator('.quick-input-widget input').fill('ui-welcome-token');
    await page.keyboard.press('Enter');
    // The emulator takes any bearer token: the explorer loads with the one just set.
    await workbench.waitForTreeRow('api-url-map', 30_000);
    await welcome().waitFor({ state: 'hidden', timeout: 15_000 });
    await workbench.runCommand('Cloud Run Global: Clear Endpoint Token');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it('refused endpoint: says it could not be reached, offers Retry, and Retry connects once the endpoint answers', async () => {
    const emulatorPort = environment().emulator.port;
    // A port nobody listens on: every connection is refused until the relay below opens it.
    const port = await freePort();
    let relay: Server | undefined;
    try {
      changeSettings('Machine', { 'cloudRunGlobal.endpoint': `http://127.0.0.1:${port}/` });
      await welcomeSaying('could not be reached');
      const text = (await workbench.viewMessages()).join('\n');
      await workbench.screenshot('ui-surfaces-welcome-refused');
      assert.match(text, /could not be reached: the connection was refused or timed out\./);
      assert.deepEqual(await buttons(), ['Retry', 'Open Settings', 'Show Log']);
      assert.deepEqual(await links(), []);
      assert.equal(await workbench.treeRow('Cloud Run services').count(), 0, 'no error rows beside the welcome view');

      // The endpoint comes up (a relay to the emulator on that port); Retry reads the project.
      relay = createServer((socket) => {
        const upstream = createConnection({ host: '127.0.0.1', port: emulatorPort });
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve, reject) => relay!.once('error', reject).listen(port, '127.0.0.1', resolve));
      await welcome().locator('.monaco-button', { hasText: 'Retry' }).click();
      await workbench.waitForTreeRow('api-url-map', 30_000);
      await welcome().waitFor({ state: 'hidden', timeout: 15_000 });
    } finally {
      restoreSettings();
      await workbench.waitForTreeRow('storefront-url-map', 30_000).catch(() => undefined);
      relay?.close();
    }
  });
});
