export { alertsRouter } from './router';
export type { AlertApiDeps } from './deps';
