/** Who changed what: the audit log repository and the admin API's view of it. */
export { AuditRepo } from './repo';
export type { AuditLog, AuditEntry, AuditInput, AuditQuery } from './repo';
export { auditRouter } from './router';
export { userChangeDetail } from './detail';
