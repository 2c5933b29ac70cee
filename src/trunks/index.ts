/** Public face of the trunks folder: several carriers, failover inside a call attempt, breakers, test calls. */
export { trunksSectionSchema, resolveTrunks } from './config';
export type { Trunk, TrunkSection } from './config';
export { TrunkPool } from './pool';
export type { TrunkStatus, TrunkObserver, TestCallResult } from './pool';
export { TrunkDialer } from './dialer';
export type { Dialer, DialOptions, DialResult } from './dialer';
export { legFate, FAILOVER_RULES } from './failover';
export { Breaker } from './breaker';
export { TrunkTestCalls } from './test-calls';
