/** Prometheus metrics: the Metrics class (one registry per app) and the GET /metrics router. */
export { Metrics } from './registry';
export type { MetricsOptions, QueueDepthFn, LoopMonitor } from './registry';
export { metricsRouter } from './router';
export type { MetricsRouterOptions } from './router';
export { cleanLabel, cleanDigit, hostLabel, LabelGuard } from './labels';
export { DeliveryMetrics } from './delivery';
