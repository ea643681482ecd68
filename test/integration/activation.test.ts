import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extension, openWorkspaceFile, waitFor } from './helpers';

/** Modules that make activation slow (1.5 s and 55 MB for googleapis alone); loaded on first use only. */
const HEAVY_MODULES = [/[\\/]node_modules[\\/]googleapis[\\/]/, /[\\/]node_modules[\\/]google-auth-library[\\/]/, /[\\/]node_modules[\\/]@google-cloud[\\/]run[\\/]/];

describe('Activation', () => {
  it('waits for a YAML file before activating', function () {
    if (vscode.workspace.textDocuments.some((document) => document.languageId === 'yaml')) {
      this.skip(); // an earlier suite opened YAML already; the activation event has fired
    }
    assert.equal(extension().isActive, false);
  });

  it('activates when a YAML file opens', async () => {
    const editor = await openWorkspaceFile('service.yaml');
    assert.equal(editor.document.languageId, 'yaml');
    await waitFor('the extension to activate', () => extension().isActive);
  });

  it('registers every command its manifest contributes', async () => {
    const contributed = (extension().packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  it('loads neither googleapis, google-auth-library, @google-cloud/run nor the client bundle', () => {
    assert.ok(extension().isActive);
    const clientBundle = join(extension().extensionPath, 'dist', 'gcp-clients.js');
    assert.ok(existsSync(clientBundle), `${clientBundle} is missing, so this check would prove nothing`);
    const loaded = Object.keys(require.cache);
    assert.ok(loaded.some((file) => file.startsWith(join(extension().extensionPath, 'dist'))), 'the extension bundle itself should be loaded');
    assert.deepEqual(loaded.filter((file) => file === clientBundle || HEAVY_MODULES.some((pattern) => pattern.test(file))), []);
  });
});
