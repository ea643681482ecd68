/**
 * Knative Service documents in YAML text, with the source offsets that CodeLenses, diagnostics and
 * quick fixes need. Offsets are JavaScript string indices into the text exactly as given (CRLF and
 * a byte order mark included), so `text.slice(start, end)` is the node's source.
 */
import { Document, isAlias, isMap, isScalar, isSeq, Node, parseAllDocuments, Scalar, visit, YAMLMap } from 'yaml';

/** `[start, end)` character offsets into the parsed text. */
export type OffsetRange = readonly [start: number, end: number];

export const KNATIVE_API_VERSION = 'serving.knative.dev/v1';
const KNATIVE_API_GROUP = 'serving.knative.dev/';
export const LOCATION_LABEL = 'cloud.googleapis.com/location';
export const INGRESS_ANNOTATION = 'run.googleapis.com/ingress';
export const INGRESS_STATUS_ANNOTATION = 'run.googleapis.com/ingress-status';
export const INGRESS_SETTINGS = ['all', 'internal', 'internal-and-cloud-load-balancing'] as const;
export type IngressSetting = (typeof INGRESS_SETTINGS)[number];
/** Namespace of a service whose YAML names none, as in hand-written files. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Merge keys (`<<: *base`, from YAML 1.1) are honoured because gcloud and Kubernetes tooling
 * resolve them. Pretty errors are off so messages carry no code frame: the range says where.
 */
export const YAML_PARSE_OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: false } as const;

/**
 * How much of a text is read, document by document: the `yaml` package reads a few hundred KB a
 * second at worst (dense aliases and keys, or a cold start), and a file is parsed again on every
 * edit. A Knative Service is a few KB, so this holds a dozen; a text beyond it (a bundle of many
 * manifests) is read up to the last whole document that fits, with a warning where reading stopped.
 */
export const MAX_ANALYSED_CHARS = 32 * 1024;
/** Flow collections (`[`, `{`) nested deeper than this are not parsed: the parser slows down with depth. */
const MAX_FLOW_DEPTH = 1000;
/** Syntax errors and warnings reported per document: the first ones say where it went wrong. */
const MAX_PROBLEMS_PER_DOCUMENT = 50;

export interface KnativeServiceRanges {
  /** The whole document: from the end of the previous one (or the start of the text) to its end. */
  readonly document: OffsetRange;
  /** The document's top-level mapping, from its first key: where a CodeLens goes. */
  readonly contents: OffsetRange;
  /** The `kind: Service` pair, key to value. */
  readonly kind: OffsetRange;
  /** The `metadata.name` value node as written (an alias node when the name is an alias). */
  readonly name: OffsetRange;
  /** The `metadata` key. */
  readonly metadataKey: OffsetRange;
  /** The `metadata.annotations` key, when present. */
  readonly annotationsKey?: OffsetRange;
  /** The ingress annotation's value node (its key when the value is empty), when present. */
  readonly ingress?: OffsetRange;
  readonly ingressStatus?: OffsetRange;
  /** The region label's value node (its key when the value is empty), when present. */
  readonly region?: OffsetRange;
  /** Where a finding about ingress belongs: the ingress value, else the annotations key, else the metadata key. */
  readonly ingressTarget: OffsetRange;
}

export interface KnativeService {
  readonly name: string;
  /** Project ID or number in exported YAML; `default` when absent. */
  readonly namespace: string;
  /** From the `cloud.googleapis.com/location` label. */
  readonly region?: string;
  /** The `run.googleapis.com/ingress` annotation, as written (see `INGRESS_SETTINGS`). */
  readonly ingress?: string;
  readonly ingressStatus?: string;
  /** `spec.template.spec.containers[].image`, in order. */
  readonly images: readonly string[];
  /** Index of the document in the stream, counting every document (Knative or not). */
  readonly documentIndex: number;
  readonly ranges: KnativeServiceRanges;
  /** The document as plain data (aliases and merge keys resolved), to deploy as it is. */
  readonly manifest: Record<string, unknown>;
}

export type KnativeProblemCode =
  'yaml-syntax' | 'yaml-warning' | 'unsupported-api-version' | 'missing-name' | 'invalid-value' | 'unknown-ingress';

export interface KnativeParseError {
  readonly code: KnativeProblemCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly range: OffsetRange;
  /** The document it concerns, when it lies inside one. */
  readonly documentIndex?: number;
}

export interface KnativeParseResult {
  /** Knative Services of documents that parsed without errors, in document order. */
  readonly services: KnativeService[];
  /** YAML syntax errors and warnings, and problems that keep a Knative document from being used. */
  readonly errors: KnativeParseError[];
  readonly documentCount: number;
}

/** A key found in a mapping, with what editing it in place would mean. */
export interface FoundEntry {
  readonly key: Node;
  /** The value node as written: an `Alias` when the value is an alias; null for `key:` with no node. */
  readonly value: Node | null;
  /** The value after alias resolution. */
  readonly resolved: unknown;
  /** Reached through a merge key or an aliased mapping: its text is shared with other places. */
  readonly inherited: boolean;
}

/** The YAML nodes behind a service, for building edits. */
export interface ServiceNodes {
  readonly document: Document.Parsed;
  readonly metadata: { readonly key: Node; readonly map: YAMLMap; readonly shared: boolean };
  /** The `annotations` entry of the metadata, whatever its value. */
  readonly annotations?: FoundEntry;
  readonly ingress?: FoundEntry;
}

/** Every Knative Service in a (multi-document) YAML text. Never throws. */
export function parseKnativeServices(text: string): KnativeParseResult {
  try {
    return parseStream(text);
  } catch (error) {
    // Nothing here is meant to throw; should something, report it instead of failing the caller.
    return {
      services: [],
      errors: [problem('yaml-syntax', 'error', `YAML could not be read: ${describe(error)}`, [0, text.length])],
      documentCount: 0,
    };
  }
}

function parseStream(text: string): KnativeParseResult {
  const services: KnativeService[] = [];
  const errors: KnativeParseError[] = [];
  let documentIndex = 0;
  // Text not yet inside a document's range: a byte order mark, comments before the first `---`.
  let unassignedFrom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const { chunks, unread } = chunksToRead(text);
  for (const [chunkStart, chunkEnd] of chunks) {
    const chunk = analyzeChunk(text.slice(chunkStart, chunkEnd));
    for (const error of chunk.streamErrors) errors.push(shiftProblem(error, chunkStart));
    chunk.documents.forEach((entry, indexInChunk) => {
      const index = documentIndex++;
      const documentRange: OffsetRange = [indexInChunk === 0 ? unassignedFrom : chunkStart + entry.range[0], chunkStart + entry.range[1]];
      for (const draft of entry.problems) errors.push(shiftProblem(draft, chunkStart, index));
      if (entry.service) {
        const document = entry.document;
        let manifest: Record<string, unknown> | undefined;
        services.push({
          ...entry.service,
          documentIndex: index,
          ranges: shiftRanges(entry.service.ranges, chunkStart, documentRange),
          // Fresh for every parse, as callers may change it before deploying it; built when first
          // read, as most parses (every keystroke) never read it.
          get manifest() {
            return (manifest ??= document.toJS() as Record<string, unknown>);
          },
        });
      }
    });
    if (chunk.documents.length > 0) unassignedFrom = chunkEnd;
  }
  if (unread !== undefined) {
    const lineEnd = text.indexOf('\n', unread);
    errors.push(
      problem(
        'yaml-warning',
        'warning',
        `This file is too large to check in full: only its first ${Math.round(MAX_ANALYSED_CHARS / 1024)} KB are read for Knative Services, up to here.`,
        [unread, lineEnd === -1 ? text.length : lineEnd],
      ),
    );
  }
  return { services, errors, documentCount: documentIndex };
}

/** The nodes behind a service, within the part of the text (one or more documents) that holds it. */
export interface LocatedServiceNodes {
  readonly nodes: ServiceNodes;
  /** That part of the text; the nodes' ranges are offsets into it. */
  readonly text: string;
  /** Where it starts in the whole text. */
  readonly offset: number;
}

/**
 * The YAML nodes of `service` in `text` as it is now, or undefined when no valid document of
 * `text` holds a Knative Service of that name.
 */
export function findServiceNodes(text: string, service: Pick<KnativeService, 'name' | 'documentIndex'>): LocatedServiceNodes | undefined {
  const candidates: Array<{ index: number; located: LocatedServiceNodes }> = [];
  let documentIndex = 0;
  for (const [chunkStart, chunkEnd] of chunksToRead(text).chunks) {
    const chunkText = text.slice(chunkStart, chunkEnd);
    for (const entry of analyzeChunk(chunkText).documents) {
      const index = documentIndex++;
      if (entry.nodes && entry.service?.name === service.name)
        candidates.push({ index, located: { nodes: entry.nodes, text: chunkText, offset: chunkStart } });
    }
  }
  // The document may have moved if others were added above it since the service was parsed.
  return (candidates.find((c) => c.index === service.documentIndex) ?? candidates[0])?.located;
}

type ProblemDraft = Omit<KnativeParseError, 'documentIndex'>;
type ServiceDraft = Omit<KnativeService, 'documentIndex' | 'manifest'>;

/** One document of a chunk; offsets are relative to the chunk. */
interface ChunkDocument {
  readonly document: Document.Parsed;
  /** From the end of the previous document of the chunk (or its start) to this one's end. */
  readonly range: OffsetRange;
  readonly problems: readonly ProblemDraft[];
  readonly service?: ServiceDraft;
  readonly nodes?: ServiceNodes;
}

interface ChunkAnalysis {
  readonly documents: readonly ChunkDocument[];
  /** Errors of a chunk that holds no document. */
  readonly streamErrors: readonly ProblemDraft[];
}

const DOCUMENT_MARKER = /(?<=\n)---(?=[ \t\r\n]|$)/g;
const DIRECTIVE_LINE = /(?:^|\n)\uFEFF?%/;

/**
 * Splits the text before every `---` line, so each part is parsed (and cached) on its own. YAML
 * forbids a document marker at the start of a line inside any node, so such a line always starts
 * a document; this also keeps an unclosed quote or bracket from swallowing the documents after it.
 * Directives (`%YAML`) belong to the document after them; a text with any is parsed whole.
 */
function splitAtDocumentMarkers(text: string, until = Number.POSITIVE_INFINITY): OffsetRange[] {
  if (DIRECTIVE_LINE.test(until < text.length ? text.slice(0, until + 1) : text)) return [[0, text.length]];
  const ranges: OffsetRange[] = [];
  let start = 0;
  DOCUMENT_MARKER.lastIndex = 0;
  for (let match = DOCUMENT_MARKER.exec(text); match; match = DOCUMENT_MARKER.exec(text)) {
    ranges.push([start, match.index]);
    start = match.index;
    // Past `until`, the rest is one range: nobody reads further.
    if (start > until) break;
  }
  ranges.push([start, text.length]);
  return ranges;
}

/** The chunks within MAX_ANALYSED_CHARS, and where the first one that does not fit begins. */
function chunksToRead(text: string): { chunks: OffsetRange[]; unread?: number } {
  if (text.length <= MAX_ANALYSED_CHARS) return { chunks: splitAtDocumentMarkers(text) };
  const chunks: OffsetRange[] = [];
  for (const chunk of splitAtDocumentMarkers(text, MAX_ANALYSED_CHARS)) {
    if (chunk[1] > MAX_ANALYSED_CHARS) return { chunks, unread: chunk[0] };
    chunks.push(chunk);
  }
  return { chunks };
}

/**
 * Parsed chunks by their text. Editing one document of a long file leaves the others' text as it
 * was, so a re-parse after an edit composes only the edited document. Bounded by source size.
 */
const chunkCache = new Map<string, ChunkAnalysis>();
const CHUNK_CACHE_LIMIT_CHARS = 1_000_000;
let chunkCacheChars = 0;

function analyzeChunk(chunk: string): ChunkAnalysis {
  const cached = chunkCache.get(chunk);
  if (cached) {
    // Most recently used last, so eviction takes the oldest first.
    chunkCache.delete(chunk);
    chunkCache.set(chunk, cached);
    return cached;
  }
  const analysis = analyzeChunkUncached(chunk);
  chunkCache.set(chunk, analysis);
  chunkCacheChars += chunk.length;
  while (chunkCacheChars > CHUNK_CACHE_LIMIT_CHARS && chunkCache.size > 1) {
    const oldest = chunkCache.keys().next().value as string;
    chunkCache.delete(oldest);
    chunkCacheChars -= oldest.length;
  }
  return analysis;
}

function analyzeChunkUncached(chunk: string): ChunkAnalysis {
  const tooDeep = flowDepthExceeded(chunk);
  if (tooDeep !== undefined) {
    return {
      documents: [],
      streamErrors: [
        problem(
          'yaml-syntax',
          'error',
          `Brackets are nested more than ${MAX_FLOW_DEPTH} levels deep here; this part of the file is not read.`,
          [tooDeep, tooDeep + 1],
        ),
      ],
    };
  }
  let parsed;
  try {
    parsed = parseAllDocuments(chunk, YAML_PARSE_OPTIONS);
  } catch (error) {
    return {
      documents: [],
      streamErrors: [problem('yaml-syntax', 'error', `YAML could not be parsed: ${describe(error)}`, [0, chunk.length])],
    };
  }
  if ('empty' in parsed) {
    // A stream without documents can still hold errors (a stray `...` or directive).
    return {
      documents: [],
      streamErrors: parsed.errors.map((error) => yamlProblem('yaml-syntax', 'error', error.message, error.pos, chunk)),
    };
  }
  let previousEnd = 0;
  const documents = parsed.map((document, index): ChunkDocument => {
    const end = index === parsed.length - 1 ? chunk.length : document.range[2];
    const range: OffsetRange = [previousEnd, Math.max(previousEnd, end)];
    previousEnd = range[1];
    const errors = [...document.errors, ...duplicateKeys(document)].slice(0, MAX_PROBLEMS_PER_DOCUMENT);
    const position = errorPositions(document, document.range[2]);
    const problems: ProblemDraft[] = [
      ...errors.map((error) => yamlProblem('yaml-syntax', 'error', error.message, position(error.pos), chunk)),
      ...document.warnings
        .slice(0, MAX_PROBLEMS_PER_DOCUMENT)
        .map((warning) => yamlProblem('yaml-warning', 'warning', warning.message, warning.pos, chunk)),
    ];
    // Whatever a broken document seems to say is unreliable; its syntax errors are the finding.
    if (errors.length > 0) return { document, range, problems };
    try {
      const analysis = analyzeDocument(document, chunk);
      return { document, range, problems: [...problems, ...analysis.problems], service: analysis.service, nodes: analysis.nodes };
    } catch (error) {
      return {
        document,
        range,
        problems: [...problems, problem('invalid-value', 'error', `This document could not be read: ${describe(error)}`, range)],
      };
    }
  });
  return { documents, streamErrors: [] };
}

/**
 * Where flow brackets first nest deeper than MAX_FLOW_DEPTH, by a scan that skips comments and
 * quoted scalars; undefined when they never do. Brackets inside plain scalars count too, which
 * can only overestimate the depth of a file far from the limit.
 */
function flowDepthExceeded(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    } else if (c === 0x23 /* # */ || c === 0x22 /* " */ || c === 0x27 /* ' */) {
      const before = i === 0 ? 0x0a : text.charCodeAt(i - 1);
      const tokenStart =
        before === 0x20 ||
        before === 0x09 ||
        before === 0x0a ||
        before === 0x0d ||
        (c !== 0x23 && (before === 0x5b || before === 0x7b || before === 0x2c || before === 0x3a));
      if (!tokenStart) continue;
      if (c === 0x23) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? text.length : end;
      } else if (c === 0x27) {
        const end = text.indexOf("'", i + 1);
        i = end === -1 ? text.length : end;
      } else {
        let j = i + 1;
        while (j < text.length && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
        i = j;
      }
    }
  }
  return undefined;
}

function shiftRange(range: OffsetRange, by: number): OffsetRange {
  return [range[0] + by, range[1] + by];
}

function shiftProblem(draft: ProblemDraft, by: number, documentIndex?: number): KnativeParseError {
  return problem(draft.code, draft.severity, draft.message, shiftRange(draft.range, by), documentIndex);
}

function shiftRanges(ranges: KnativeServiceRanges, by: number, document: OffsetRange): KnativeServiceRanges {
  const shift = (range: OffsetRange | undefined) => range && shiftRange(range, by);
  return {
    document,
    contents: shiftRange(ranges.contents, by),
    kind: shiftRange(ranges.kind, by),
    name: shiftRange(ranges.name, by),
    metadataKey: shiftRange(ranges.metadataKey, by),
    annotationsKey: shift(ranges.annotationsKey),
    ingress: shift(ranges.ingress),
    ingressStatus: shift(ranges.ingressStatus),
    region: shift(ranges.region),
    ingressTarget: shiftRange(ranges.ingressTarget, by),
  };
}

/**
 * Where to report an error the parser placed at or past the end of its document (a missing
 * closing quote or bracket is noticed only there): at the opening quote or bracket, the start of
 * the deepest quoted scalar or flow collection that runs up to that end. The document is searched
 * once, however many errors there are.
 */
function errorPositions(document: Document.Parsed, end: number): (pos: [number, number]) => [number, number] {
  let searched = false;
  let start: number | undefined;
  return (pos) => {
    if (pos[0] < end) return pos;
    if (!searched) {
      searched = true;
      visit(document, (_key, node) => {
        const range = (node as { range?: [number, number, number] }).range;
        if (!range || range[0] >= end || range[2] < end) return;
        const unclosed = isScalar(node)
          ? node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE
          : (isMap(node) || isSeq(node)) && node.flow === true;
        if (unclosed) start = range[0];
      });
    }
    return start === undefined ? pos : [start, start + 1];
  };
}

/**
 * A key that repeats one before it in the same mapping, as the `yaml` package reports them (equal
 * scalar values), found in one pass: its own check compares every key with every other one.
 */
function duplicateKeys(document: Document.Parsed): { message: string; pos: [number, number] }[] {
  const found: { message: string; pos: [number, number] }[] = [];
  visit(document, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (!seen.has(pair.key.value)) {
          seen.add(pair.key.value);
          continue;
        }
        if (found.length >= MAX_PROBLEMS_PER_DOCUMENT) return visit.BREAK;
        const start = pair.key.range?.[0] ?? 0;
        found.push({ message: 'Map keys must be unique', pos: [start, start + 1] });
      }
      return undefined;
    },
  });
  return found;
}

interface DocumentAnalysis {
  readonly service?: ServiceDraft;
  readonly nodes?: ServiceNodes;
  readonly problems: ProblemDraft[];
}

/** A Knative Service in one valid document; `text` is what its offsets index. */
function analyzeDocument(document: Document.Parsed, text: string): DocumentAnalysis {
  const problems: ProblemDraft[] = [];
  const report = (code: KnativeProblemCode, severity: KnativeParseError['severity'], message: string, range: OffsetRange) =>
    problems.push(problem(code, severity, message, range));

  const root = document.contents;
  if (!isMap(root)) return { problems };
  const kind = findEntry(document, root, 'kind');
  const apiVersion = findEntry(document, root, 'apiVersion');
  if (!kind || stringValue(kind) !== 'Service') return { problems };
  const version = apiVersion && stringValue(apiVersion);
  if (!apiVersion || version === undefined) return { problems };
  if (version !== KNATIVE_API_VERSION) {
    // A core Kubernetes Service (`v1`) is simply not ours; another Knative version is a likely mistake.
    if (version.startsWith(KNATIVE_API_GROUP)) {
      report(
        'unsupported-api-version',
        'warning',
        `Cloud Run accepts apiVersion ${KNATIVE_API_VERSION}, not ${version}; this Service is ignored.`,
        valueRange(apiVersion),
      );
    }
    return { problems };
  }
  const kindRange: OffsetRange = [nodeStart(kind.key), valueRange(kind)[1]];

  const metadata = findEntry(document, root, 'metadata');
  if (!metadata || !isMap(metadata.resolved)) {
    report('missing-name', 'error', 'This Knative Service has no metadata.name.', metadata ? keyRange(metadata) : kindRange);
    return { problems };
  }
  const metadataMap = metadata.resolved;
  const metadataShared = metadata.inherited || isAlias(metadata.value);
  const nameEntry = findEntry(document, metadataMap, 'name', metadataShared);
  const name = nameEntry && stringValue(nameEntry);
  if (!nameEntry || nameEntry.resolved == null || name === '') {
    report('missing-name', 'error', 'This Knative Service has no metadata.name.', nameEntry ? keyRange(nameEntry) : keyRange(metadata));
    return { problems };
  }
  if (name === undefined) {
    report('invalid-value', 'error', 'metadata.name must be a string.', valueRange(nameEntry));
    return { problems };
  }

  let namespace = DEFAULT_NAMESPACE;
  const namespaceEntry = findEntry(document, metadataMap, 'namespace', metadataShared);
  if (namespaceEntry && namespaceEntry.resolved != null) {
    const value = stringValue(namespaceEntry, text);
    if (value) namespace = value;
    else report('invalid-value', 'error', 'metadata.namespace must be a project ID or number.', valueRange(namespaceEntry));
  }

  const optionalString = (entry: FoundEntry | undefined, what: string): string | undefined => {
    if (!entry) return undefined;
    const value = stringValue(entry);
    if (value === undefined) report('invalid-value', 'error', `${what} must be a string.`, valueRange(entry));
    return value;
  };
  const labels = findMap(document, metadataMap, 'labels', metadataShared);
  const regionEntry = labels && findEntry(document, labels.map, LOCATION_LABEL, labels.inherited);
  const region = optionalString(regionEntry, `The ${LOCATION_LABEL} label`);

  const annotationsEntry = findEntry(document, metadataMap, 'annotations', metadataShared);
  const annotations = findMap(document, metadataMap, 'annotations', metadataShared);
  const ingressEntry = annotations && findEntry(document, annotations.map, INGRESS_ANNOTATION, annotations.inherited);
  const ingressStatusEntry = annotations && findEntry(document, annotations.map, INGRESS_STATUS_ANNOTATION, annotations.inherited);
  const ingress = optionalString(ingressEntry, `The ${INGRESS_ANNOTATION} annotation`);
  const ingressStatus = optionalString(ingressStatusEntry, `The ${INGRESS_STATUS_ANNOTATION} annotation`);
  if (ingressEntry && ingress !== undefined && !(INGRESS_SETTINGS as readonly string[]).includes(ingress)) {
    report(
      'unknown-ingress',
      'error',
      `Unknown ingress "${ingress}": use one of ${INGRESS_SETTINGS.join(', ')}.`,
      valueRange(ingressEntry),
    );
  }

  try {
    document.toJS();
  } catch (error) {
    // toJS refuses alias bombs (too many alias expansions); such a file cannot be deployed either.
    report('invalid-value', 'error', `This Knative Service cannot be read as data: ${describe(error)}`, kindRange);
    return { problems };
  }

  const metadataKey = keyRange(metadata);
  const annotationsKey = annotationsEntry && keyRange(annotationsEntry);
  const ingressRange = ingressEntry && valueRange(ingressEntry);
  const ranges: KnativeServiceRanges = {
    document: [0, 0], // set by the caller, which knows where the document begins
    contents: [nodeStart(root), root.range[1]],
    kind: kindRange,
    name: valueRange(nameEntry),
    metadataKey,
    annotationsKey,
    ingress: ingressRange,
    ingressStatus: ingressStatusEntry && valueRange(ingressStatusEntry),
    region: regionEntry && valueRange(regionEntry),
    ingressTarget: ingressRange ?? annotationsKey ?? metadataKey,
  };
  const service: ServiceDraft = {
    name,
    namespace,
    region,
    ingress,
    ingressStatus,
    images: containerImages(document, root),
    ranges,
  };
  const nodes: ServiceNodes = {
    document,
    metadata: { key: metadata.key, map: metadataMap, shared: metadataShared },
    annotations: annotationsEntry,
    ingress: ingressEntry,
  };
  return { service, nodes, problems };
}

function containerImages(document: Document.Parsed, root: YAMLMap): string[] {
  const spec = findMap(document, root, 'spec');
  const template = spec && findMap(document, spec.map, 'template');
  const podSpec = template && findMap(document, template.map, 'spec');
  const containers = podSpec && findEntry(document, podSpec.map, 'containers');
  if (!containers || !isSeq(containers.resolved)) return [];
  const images: string[] = [];
  for (const item of containers.resolved.items) {
    const container = resolveAlias(document, item);
    if (!isMap(container)) continue;
    const image = findEntry(document, container, 'image');
    const value = image && stringValue(image);
    if (value) images.push(value);
  }
  return images;
}

const MAX_MERGE_DEPTH = 8;

/** `key` in `map`: its own pairs first, then mappings merged in with `<<`, as YAML 1.1 resolves them. */
function findEntry(
  document: Document.Parsed,
  map: YAMLMap,
  key: string,
  inherited = false,
  depth = 0,
  searched = new Set<YAMLMap>(),
): FoundEntry | undefined {
  // A mapping merged in along several paths (a merge-key bomb) is searched once.
  if (searched.has(map)) return undefined;
  searched.add(map);
  for (const pair of map.items) {
    if (keyText(pair.key) === key) {
      const value = (pair.value ?? null) as Node | null;
      return { key: pair.key as Node, value, resolved: resolveAlias(document, value), inherited };
    }
  }
  if (depth >= MAX_MERGE_DEPTH) return undefined;
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const source = resolveAlias(document, pair.value);
    const sources = isSeq(source) ? source.items.map((item) => resolveAlias(document, item)) : [source];
    for (const merged of sources) {
      if (!isMap(merged)) continue;
      const found = findEntry(document, merged, key, true, depth + 1, searched);
      if (found) return found;
    }
  }
  return undefined;
}

/** A mapping under `key`, and whether it is shared text (an alias or merged in). */
function findMap(
  document: Document.Parsed,
  map: YAMLMap,
  key: string,
  inherited = false,
): { map: YAMLMap; inherited: boolean } | undefined {
  const entry = findEntry(document, map, key, inherited);
  if (!entry || !isMap(entry.resolved)) return undefined;
  return { map: entry.resolved, inherited: entry.inherited || isAlias(entry.value) };
}

/** With merge keys enabled, the parser gives `<<` a symbol value; a quoted '<<' stays an ordinary key. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

function resolveAlias(document: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return typeof key.value === 'string' || typeof key.value === 'number' ? String(key.value) : undefined;
}

/** A string scalar's value; with `text`, a number is taken as written (project numbers). */
function stringValue(entry: FoundEntry, text?: string): string | undefined {
  const node = entry.resolved;
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (text !== undefined && typeof node.value === 'number' && node.range) return text.slice(node.range[0], node.range[1]);
  return undefined;
}

function nodeStart(node: unknown): number {
  return (node as { range?: [number, number, number] }).range?.[0] ?? 0;
}

function keyRange(entry: FoundEntry): OffsetRange {
  const range = (entry.key as { range?: [number, number, number] }).range ?? [0, 0, 0];
  return [range[0], range[1]];
}

/** The value node's source without trailing comments; the key when the value is empty, so it stays visible. */
function valueRange(entry: FoundEntry): OffsetRange {
  const range = (entry.value as { range?: [number, number, number] } | null)?.range;
  if (!range || range[0] === range[1]) return keyRange(entry);
  return [range[0], range[1]];
}

function yamlProblem(
  code: KnativeProblemCode,
  severity: KnativeParseError['severity'],
  message: string,
  pos: [number, number],
  text: string,
): ProblemDraft {
  const start = Math.min(Math.max(0, pos[0]), text.length);
  const end = Math.min(Math.max(start, pos[1]), text.length);
  return problem(code, severity, message, [start, end]);
}

function problem(
  code: KnativeProblemCode,
  severity: KnativeParseError['severity'],
  message: string,
  range: OffsetRange,
  documentIndex?: number,
): KnativeParseError {
  return documentIndex === undefined ? { code, severity, message, range } : { code, severity, message, range, documentIndex };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
