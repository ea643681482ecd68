/** Make-global plans: names, validation, the step graph diffed against live state, preview text, exports. No `vscode` here. */
export * from './types';
export { DEFAULT_OPTIONS, GLOBALIZE_OPTIONS, resolveOptions } from './options';
export type { OptionSpec } from './options';
export { canonicalDomains, certificateName, deriveNames, isResourceName, MAX_NAME_LENGTH, nameWithSuffix, negName, RESOURCE_NAME_PATTERN, sanitizeName } from './names';
export { checkDomain, checkDomains, checkProject, checkRegion, checkServiceName, MAX_DOMAINS_PER_CERTIFICATE, validateAddRegionRequest, validateRequest } from './validate';
export {
  buildAddRegionPlan, buildPlan, criticalPath, globalRef, manifestForRegion, negRef, resolveNames, resourceDifferences, stepLabel, stepResourceKind, withAddressIp,
} from './build';
export { describeStep, exportGcloud, formatCommand, gcloudCommand, shellQuote } from './gcloud';
export type { CommandContext, GcloudCommand, GcloudExportOptions } from './gcloud';
export { exportTerraform, hclString } from './terraform';
export { dnsBody, dnsRecordSteps, dnsStepId, DNS_RECORD_TTL } from './dnsRecords';
export type { DnsRecordBody } from './dnsRecords';
export { PLAN_LANGUAGE_ID, planText, stepHeadline } from './text';
export {
  activeCheck, buildChangeDomainsPlan, certificateDomains, changeDomainsBase, finishCommands, MAX_CERTIFICATES_PER_PROXY, pendingDomainChanges, replacementDescription, replacementOf,
  validateChangeDomainsRequest,
} from './changeDomains';
export type { PendingDomainChange } from './changeDomains';
