/** Retention: deleting voicemails, finished notifications, closed alerts and history once they are old enough. */
export { RetentionSweeper } from './sweeper';
export type { RetentionSweeperOptions, SweepResult } from './sweeper';
export { retentionSectionSchema, retentionSectionDefaults } from './config';
export type { RetentionSection } from './config';
export { RETENTION_TABLES, FINAL_NOTIFICATION_STATES } from './tables';
export type { RetentionTable, RetentionCounts } from './tables';
