/**
 * Minimal text edits on Knative YAML for quick fixes: only the bytes that must change, so comments,
 * quoting style, indentation and line endings elsewhere stay as the user wrote them.
 */
import { isAlias, isMap, isScalar, Node, Scalar, YAMLMap } from 'yaml';
import { findServiceNodes, FoundEntry, INGRESS_ANNOTATION, IngressSetting, KnativeService, ServiceNodes } from './parse';

/** Replace `[start, end)` of the original text with `newText`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** Apply non-overlapping edits, all expressed in offsets of the original text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of ordered) {
    if (edit.start < 0 || edit.start > edit.end || edit.end > text.length || edit.end > limit) {
      throw new RangeError(`Overlapping or out-of-range edit [${edit.start}, ${edit.end})`);
    }
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}

/**
 * The edit that sets `service`'s `run.googleapis.com/ingress` annotation to `value`: the value is
 * replaced when present, else the annotation is added to `metadata.annotations`, else an
 * `annotations` mapping is added to `metadata` — in block or flow style to match the file.
 *
 * Undefined when the text no longer holds the service, or when the only place to write is text
 * shared through an anchor (an aliased or merged `metadata` or `annotations`), where an edit
 * would change other places too.
 */
export function setIngressEdit(
  text: string,
  service: Pick<KnativeService, 'name' | 'documentIndex'>,
  value: IngressSetting | string,
): TextEdit | undefined {
  const located = findServiceNodes(text, service);
  if (!located) return undefined;
  const edit = ingressEdit(located.text, located.nodes, value, lineEndingOf(located.text, text));
  return edit && { start: edit.start + located.offset, end: edit.end + located.offset, newText: edit.newText };
}

/** The ingress edit within `text`, the part of the file that holds the service's document. */
function ingressEdit(text: string, nodes: ServiceNodes, value: string, eol: string): TextEdit | undefined {
  if (nodes.ingress && !nodes.ingress.inherited) return replaceScalar(text, nodes.ingress, value);

  const entry = `${INGRESS_ANNOTATION}: ${yamlString(value)}`;
  const annotations = nodes.annotations;
  if (annotations) {
    if (annotations.inherited || isAlias(annotations.value)) return undefined;
    const node = annotations.value;
    if (isMap(node)) return insertIntoMap(text, node, [entry], entry, eol);
    if (isEmptyValue(node)) return fillEmptyMapping(text, annotations, [entry], nodes.metadata.key, eol);
    return undefined; // annotations is a scalar or a sequence: nothing sensible to extend
  }

  if (nodes.metadata.shared) return undefined;
  const metadata = nodes.metadata.map;
  const step = childIndentStep(text, nodes.metadata.key, metadata);
  return insertIntoMap(text, metadata, ['annotations:', ' '.repeat(step) + entry], `annotations: {${entry}}`, eol);
}

/** Replace a value node, keeping its quoting style. */
function replaceScalar(text: string, found: FoundEntry, value: string): TextEdit | undefined {
  const node = found.value as (Node & { range?: [number, number, number] }) | null;
  if (!node?.range) return undefined;
  const [start, valueEnd] = node.range;
  if (start === valueEnd) {
    // `key:` with nothing after it: add the value after the colon.
    return { start, end: start, newText: (text[start - 1] === ' ' ? '' : ' ') + yamlString(value) };
  }
  let newText = yamlString(value);
  let end = valueEnd;
  if (isScalar(node) && !isAlias(node)) {
    if (node.type === Scalar.QUOTE_DOUBLE) newText = JSON.stringify(value);
    else if (node.type === Scalar.QUOTE_SINGLE) newText = `'${value.replace(/'/g, "''")}'`;
    // A block scalar's range ends after its line break, which must stay.
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  }
  return { start, end, newText };
}

/**
 * Add entries to a mapping. Block: new lines after its last entry, at its entries' indentation.
 * Flow: `flowEntry` before its first entry, or inside the empty braces.
 */
function insertIntoMap(text: string, map: YAMLMap, blockLines: readonly string[], flowEntry: string, eol: string): TextEdit | undefined {
  const first = map.items[0];
  if (map.flow) {
    const open = rangeOf(map)?.[0];
    if (open === undefined || text[open] !== '{') return undefined;
    if (!first) return { start: open + 1, end: open + 1, newText: flowEntry };
    const firstStart = rangeOf(first.key)?.[0];
    return firstStart === undefined ? undefined : { start: firstStart, end: firstStart, newText: `${flowEntry}, ` };
  }
  if (!first) return undefined;
  const firstStart = rangeOf(first.key)?.[0];
  if (firstStart === undefined) return undefined;
  const indent = ' '.repeat(columnOf(text, firstStart));
  const last = map.items[map.items.length - 1];
  const lastEnd = Math.max(rangeOf(last.key)?.[1] ?? 0, rangeOf(last.value)?.[1] ?? 0);
  return insertLines(
    text,
    lastEnd,
    blockLines.map((line) => indent + line),
    eol,
  );
}

/** `annotations:` with no value (or `~`/`null`) becomes a mapping that holds the entries. */
function fillEmptyMapping(text: string, found: FoundEntry, entries: readonly string[], parentKey: Node, eol: string): TextEdit | undefined {
  const keyRange = rangeOf(found.key);
  const valueRange = rangeOf(found.value);
  if (!keyRange) return undefined;
  if (valueRange && valueRange[0] !== valueRange[1]) {
    // An explicit null token: the smallest change is a flow mapping in its place.
    return { start: valueRange[0], end: valueRange[1], newText: `{${entries.join(', ')}}` };
  }
  const keyColumn = columnOf(text, keyRange[0]);
  const depth = keyColumn - columnOf(text, rangeOf(parentKey)?.[0] ?? 0);
  const step = depth > 0 ? depth : 2;
  const indent = ' '.repeat(keyColumn + step);
  // After the key's line, trailing comment included, so the comment stays where it was.
  return insertLines(
    text,
    keyRange[1],
    entries.map((line) => indent + line),
    eol,
  );
}

/** Insert whole lines after the line that holds `offset`. */
function insertLines(text: string, offset: number, lines: readonly string[], eol: string): TextEdit {
  let at: number;
  if (offset > 0 && text[offset - 1] === '\n') {
    at = offset;
  } else {
    const newline = text.indexOf('\n', offset);
    at = newline === -1 ? text.length : newline + 1;
  }
  const body = lines.join(eol);
  // At the end of a text without a final line break, the break goes before the new lines.
  const newText = at === text.length && !text.endsWith('\n') ? eol + body : body + eol;
  return { start: at, end: at, newText };
}

/** How much deeper a mapping's entries sit than its key (2 when that cannot be told). */
function childIndentStep(text: string, key: Node, map: YAMLMap): number {
  const keyStart = rangeOf(key)?.[0];
  const firstStart = rangeOf(map.items[0]?.key)?.[0];
  if (keyStart === undefined || firstStart === undefined || map.flow) return 2;
  const step = columnOf(text, firstStart) - columnOf(text, keyStart);
  return step > 0 ? step : 2;
}

function isEmptyValue(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

/** Plain when that reads back as the same string, double-quoted otherwise. */
function yamlString(value: string): string {
  const plain = /^[A-Za-z][A-Za-z0-9._/-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** The line ending of the service's part of the file, else of the whole file, else LF. */
function lineEndingOf(part: string, whole: string): string {
  for (const text of [part, whole]) {
    const newline = text.indexOf('\n');
    if (newline !== -1) return text[newline - 1] === '\r' ? '\r\n' : '\n';
  }
  return '\n';
}

function columnOf(text: string, offset: number): number {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  return offset - lineStart;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range ?? undefined;
}
