// Shared by the integration suites, which run inside a real extension host (code-server here,
// @vscode/test-electron elsewhere) with the extension under development loaded from the repo.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudRunGlobalApi } from '../../src/extension';
import { EmulatorControl } from '../emulator/control';

export const EXTENSION_ID = 'cloud-run-global.cloud-run-global';

/** Set by the harness for the extension host: root URL of the emulator the settings point at. */
export const EMULATOR_URL_ENV = 'CLOUD_RUN_GLOBAL_EMULATOR_URL';

export function emulatorUrl(): string | undefined {
  return process.env[EMULATOR_URL_ENV] || undefined;
}

export function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is not loaded in this extension host`);
  return found;
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (the demo workspace)');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export async function openWorkspaceFile(...segments: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(...segments));
  return vscode.window.showTextDocument(document);
}

/** Polls `condition` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * For a suite that works on the demo project: the emulator reset to the demo seed, and the
 * extension's API with its model read afresh so that nothing from an earlier suite lingers.
 * Skips the suite when the harness started no emulator.
 */
export async function onDemoProject(suite: Mocha.Context): Promise<{ control: EmulatorControl; api: CloudRunGlobalApi }> {
  const url = emulatorUrl();
  if (!url) suite.skip();
  const control = new EmulatorControl(url!);
  await control.reset('demo');
  const api = (await extension().activate()) as CloudRunGlobalApi;
  await api.model.refresh();
  return { control, api };
}

/** The diagnostics this extension puts on a document, without other extensions'. */
export const ourDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Cloud Run Global');
