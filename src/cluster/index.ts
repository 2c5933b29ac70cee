/** Running once across several instances: database leases and the Singleton runner. */
export { ClusterLease } from './lease';
export type { LeaseGrant } from './lease';
export { Singleton } from './singleton';
export type { SingletonOptions, Startable, StartContext } from './singleton';
export { HeartbeatLeader } from './heartbeat-leader';
export type { HeartbeatLeaderOptions, HeartbeatWatcher } from './heartbeat-leader';
