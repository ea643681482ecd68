// Read-only YAML views of resources, as Google returned them: `cloudrun-global:/<resource id>.yaml`.
import * as vscode from 'vscode';
import { stringify } from 'yaml';

import { RESOURCE_SCHEME } from '../../contributes';

/** The URI of a resource's YAML view; `id` is the topology id (`projects/P/global/urlMaps/x`). */
export function resourceUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RESOURCE_SCHEME, path: `/${id}.yaml` });
}

export class ResourceDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** `lookup` finds a resource by id in what the explorer has loaded (for links from diagnostics). */
  constructor(private readonly lookup: (id: string) => unknown) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const stored = this.contents.get(uri.toString());
    if (stored !== undefined) return stored;
    const resource = this.lookup(uri.path.replace(/^\//, '').replace(/\.yaml$/, ''));
    return resource
      ? stringify(resource, { lineWidth: 0 })
      : '# This resource is not loaded. Refresh the Cloud Run Global explorer and open it again.\n';
  }

  async show(id: string, resource: unknown): Promise<void> {
    const uri = resourceUri(id);
    this.contents.set(uri.toString(), stringify(resource, { lineWidth: 0 }));
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    await vscode.window.showTextDocument(document, { preview: true });
  }
}
