/** Knative Service YAML: detection with source offsets, positions, and quick-fix edits. No `vscode` here. */
export {
  DEFAULT_NAMESPACE,
  INGRESS_ANNOTATION,
  INGRESS_SETTINGS,
  INGRESS_STATUS_ANNOTATION,
  KNATIVE_API_VERSION,
  LOCATION_LABEL,
  parseKnativeServices,
} from './parse';
export type {
  IngressSetting,
  KnativeParseError,
  KnativeParseResult,
  KnativeProblemCode,
  KnativeService,
  KnativeServiceRanges,
  OffsetRange,
} from './parse';
export { LineIndex, offsetToPosition, positionToOffset } from './lineIndex';
export type { Position } from './lineIndex';
export { applyTextEdits, setIngressEdit } from './edits';
export type { TextEdit } from './edits';
