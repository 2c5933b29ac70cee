export { checkFrom, boolCheck, runChecksOnce } from './check';
export type { Check, CheckResult, CheckOutcome, RunOptions } from './check';
export { SelfChecks } from './runner';
export type { AdminNotifier, AdminReport, SelfChecksOptions } from './runner';
export { heartbeatsCheck } from './factories';
export { KvReportedState } from './reported';
export type { ReportedState, KeyValueStore } from './reported';
