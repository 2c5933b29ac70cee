/** Delivery you can show: acknowledged-within shares, time to first ring and to acknowledgement. */
export * from './figures';
export { DeliveryRepo } from './repo';
export type { AckVia, MarkedPage } from './repo';
export { DeliveryRecorder } from './recorder';
export type { DeliverySink } from './recorder';
