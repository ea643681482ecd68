// The names the manifest and the activation shell share with the services behind them. Nothing here
// may import more than `vscode` types: dist/extension.js loads this at activation.
import type * as vscode from 'vscode';

export const VIEW_ID = 'cloudRunGlobal.explorer';
/** Context key for the welcome views: `ready`, `noProject`, `noCredentials`, `badSettings`, `unreachable`. */
export const STATE_CONTEXT = 'cloudRunGlobal.state';
export const SECTION = 'cloudRunGlobal';

/** Read-only YAML views of resources: `cloudrun-global:/<resource id>.yaml`. */
export const RESOURCE_SCHEME = 'cloudrun-global';
/** Certificate reports ("Diagnose certificate…"). */
export const REPORT_SCHEME = 'cloudrun-report';
/** Plan previews. */
export const PLAN_SCHEME = 'cloudrun-plan';

export const YAML_SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }];

export const DIAGNOSTIC_SOURCE = 'Cloud Run Global';

/** YAML the user edits: files and unsaved documents, not diff sides or other virtual views. */
export function checkable(document: vscode.TextDocument): boolean {
  return (
    document.languageId === 'yaml' &&
    (document.uri.scheme === 'file' || document.uri.scheme === 'untitled' || document.uri.scheme === 'vscode-remote')
  );
}

/**
 * YAML that may hold a Knative Service: its text names the API group, as every Service Cloud Run accepts
 * must (`apiVersion: serving.knative.dev/v1`). Anything else (a Kubernetes manifest, a CI file) needs
 * neither the YAML parser nor the cloud, so the activation shell loads nothing for it.
 */
export function mayHoldKnative(document: vscode.TextDocument): boolean {
  return checkable(document) && document.getText().includes('serving.knative.dev');
}

/** Commands the activation shell runs itself; every other contributed command is a service's. */
export const SHELL_COMMANDS: readonly string[] = ['cloudRunGlobal.showLog', 'cloudRunGlobal.openDemoInstructions'];
