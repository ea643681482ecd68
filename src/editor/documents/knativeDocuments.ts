// Parses of open YAML documents, cached by URI and version: CodeLens, diagnostics and commands share them.
import * as vscode from 'vscode';
import { KnativeParseResult, OffsetRange, parseKnativeServices } from '../../core/knative/parse';
import { LineIndex } from '../../core/knative/lineIndex';

export interface ParsedDocument {
  version: number;
  result: KnativeParseResult;
  lines: LineIndex;
}

export class KnativeDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, ParsedDocument>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString()));

  get(document: vscode.TextDocument): ParsedDocument {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const parsed = { version: document.version, result: parseKnativeServices(text), lines: new LineIndex(text) };
    this.cache.set(key, parsed);
    return parsed;
  }

  static range(parsed: ParsedDocument, [start, end]: OffsetRange): vscode.Range {
    const a = parsed.lines.positionAt(start);
    const b = parsed.lines.positionAt(end);
    return new vscode.Range(a.line, a.character, b.line, b.character);
  }

  dispose(): void {
    this.subscription.dispose();
    this.cache.clear();
  }
}
