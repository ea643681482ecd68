// Diagnostics rules: topology + DNS inspections + operations → findings and certificate reports.
// Pure: no vscode, no I/O; the editor layer maps findings onto YAML ranges and quick fixes.
export * from './finding';
export { certificateFindings, checkableDomains, recentChanges, PROVISIONING_EXPECTATION_MS, RECENT_CHANGE_WINDOW_MS } from './certificate';
export type { CertificateCheckContext, RecentChange } from './certificate';
export { certificateServing, listensOn } from './serving';
export type { CertificateServing, ServingIp } from './serving';
export { diagnoseService, domainsToInspect, invokerFindings } from './service';
export type { DiagnoseServiceInput, ServiceToDiagnose } from './service';
export { certificateReport, renderCertificateReport } from './report';
export type { CertificateReport, CertificateReportInput, CheckStatus, RenderOptions, ReportCheck } from './report';
export { cdnForAddress, cdnForAlias } from './cdn';
export { certificateMapFindings, certificateMapNames, certificateMapsOf, DNS_AUTHORIZATION_URL } from './certificateManager';
export type { CertificateMapContext } from './certificateManager';
export { formatDuration, dnsRecordLine } from './format';
