/** The operator's console at /console (people, heartbeats, pages, settings, audit log). */
export { consoleRouter } from './router';
export type { ConsoleDeps, CheckView } from './deps';
