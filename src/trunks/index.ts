/** Public face of the trunks folder: several carriers, failover inside a call attempt, breakers, test calls. */
export { trunksSectionSchema, resolveTrunks } from './config';
export { TrunkPool } from './pool';
export type { TrunkStatus } from './pool';
export { TrunkDialer } from './dialer';
export type { Dialer } from './dialer';
export { TrunkTestCalls } from './test-calls';
