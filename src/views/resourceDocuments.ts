// Read-only YAML views of resources, as Google returned them: `cloudrun-global:/<kind>/<name>.yaml`.
import * as vscode from 'vscode';
import { stringify } from 'yaml';

export const RESOURCE_SCHEME = 'cloudrun-global';

export class ResourceDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '# This resource is no longer loaded. Refresh the explorer and open it again.\n';
  }

  async show(kind: string, name: string, resource: unknown): Promise<void> {
    const uri = vscode.Uri.from({ scheme: RESOURCE_SCHEME, path: `/${kind}/${name}.yaml` });
    this.contents.set(uri.toString(), stringify(resource, { lineWidth: 0 }));
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    await vscode.window.showTextDocument(document, { preview: true });
  }
}
