/** The operator's status page: router, the StatusSource seam and its database implementation. */
export { statusRouter } from './router';
export type { StatusRouterDeps } from './router';
export { DbStatusSource } from './db-source';
export type { DbStatusSourceDeps } from './db-source';
export { renderStatusPage, renderLoginPage } from './render';
export type { StatusSource, StatusSnapshot, ActivePage, RecentAttempt, HeartbeatRow, HealthRow } from './types';
