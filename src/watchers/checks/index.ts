export { checkFrom, boolCheck, runChecksOnce, degraded, notConfigured, CHECK_STATES } from './check';
export type { Check, CheckResult, CheckOutcome, CheckState, RunOptions } from './check';
export { SelfChecks } from './runner';
export type { AdminNotifier, AdminReport, SelfChecksOptions } from './runner';
export { heartbeatsCheck } from './factories';
export { KvReportedState } from './reported';
export type { ReportedState, KeyValueStore } from './reported';
