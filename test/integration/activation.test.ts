import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extension, openWorkspaceFile, waitFor } from './helpers';

/** googleapis alone costs 1.5 s and 55 MB to load: activation must not, first use may. */
const HEAVY_MODULES = [
  /[\\/]node_modules[\\/]googleapis[\\/]/,
  /[\\/]node_modules[\\/]google-auth-library[\\/]/,
  /[\\/]node_modules[\\/]@google-cloud[\\/]run[\\/]/,
];

const clientBundle = () => join(extension().extensionPath, 'dist', 'gcpClients.js');
/** The YAML parser, the Knative analysis, the model and the views: loaded only for YAML that may hold a Knative Service. */
const servicesBundle = () => join(extension().extensionPath, 'dist', 'services.js');
const servicesLoaded = () => servicesBundle() in require.cache;

function heavyModulesLoaded(): string[] {
  return Object.keys(require.cache).filter((file) => file === clientBundle() || HEAVY_MODULES.some((pattern) => pattern.test(file)));
}

// These tests run first (files load alphabetically) in a window where no YAML is open yet.
describe('Activation', () => {
  it('waits for a YAML file before activating', function () {
    if (vscode.workspace.textDocuments.some((document) => document.languageId === 'yaml')) {
      this.skip(); // another suite opened YAML already; the activation event has fired
    }
    assert.equal(extension().isActive, false);
  });

  it('activates when a YAML file opens, and loads no Google client code for it', async () => {
    // YAML without a Knative Service: activation happens, yet nothing needs the cloud.
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'kind: ConfigMap\nmetadata:\n  name: plain\n' });
    await vscode.window.showTextDocument(document);
    await waitFor('the extension to activate', () => extension().isActive);
    // Give anything activation started in the background a moment to show itself.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.ok(existsSync(clientBundle()), `${clientBundle()} is missing, so this check would prove nothing`);
    assert.ok(
      Object.keys(require.cache).some((file) => file.startsWith(join(extension().extensionPath, 'dist'))),
      'the extension bundle itself should be loaded',
    );
    assert.deepEqual(heavyModulesLoaded(), []);
    assert.ok(existsSync(servicesBundle()), `${servicesBundle()} is missing, so this check would prove nothing`);
    assert.equal(servicesLoaded(), false, 'YAML with no Knative Service needs neither the YAML parser nor the model');
    assert.deepEqual(await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri), []);
    assert.equal(servicesLoaded(), false, 'asking that YAML for lenses loads nothing');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('loads the services once a Knative Service is typed into a YAML editor, and shows its Make global lens', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'kind: ConfigMap\n' });
    const editor = await vscode.window.showTextDocument(document);
    assert.equal(servicesLoaded(), false);
    // The whole text: an untitled editor closed just before may come back with its old lines.
    await editor.edit((edit) =>
      edit.replace(
        new vscode.Range(0, 0, document.lineCount, 0),
        [
          'apiVersion: serving.knative.dev/v1',
          'kind: Service',
          'metadata:',
          '  name: typed',
          '  labels:',
          '    cloud.googleapis.com/location: us-central1',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - image: us-docker.pkg.dev/cloudrun/container/hello',
          '',
        ].join('\n'),
      ),
    );
    await waitFor('dist/services.js to be loaded', servicesLoaded, 15_000);
    const titles = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10)) ?? []).map(
        (lens) => lens.command?.title ?? '',
      );
    let seen: string[] = [];
    await waitFor(
      'the Make global lens on the typed Service',
      async () => (seen = await titles()).some((title) => title.includes('Make global')),
      15_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the lenses were ${JSON.stringify(seen)} on ${JSON.stringify(document.getText())}`);
    });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('registers every command its manifest contributes', async () => {
    const contributed = (extension().packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map(
      (c) => c.command,
    );
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
    );
  });

  it('loads the Google client bundle on first use: a Knative Service to check', async () => {
    await openWorkspaceFile('service.yaml');
    await waitFor('dist/gcpClients.js to be loaded', () => heavyModulesLoaded().includes(clientBundle()), 15_000);
  });
});
