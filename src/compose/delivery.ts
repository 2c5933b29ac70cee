/** Delivery figures and their metrics: one repo for the pages, one recorder feeding /metrics. */
import { DeliveryRecorder, DeliveryRepo } from '../delivery';
import type { Metrics } from '../metrics';
import type { Stores } from './stores';

export interface DeliveryParts {
  repo: DeliveryRepo;
  recorder: DeliveryRecorder;
}

export function buildDelivery(stores: Stores, metrics: Metrics, sweepMs?: number): DeliveryParts {
  const repo = new DeliveryRepo(stores.db);
  const recorder = new DeliveryRecorder(
    { repo, sink: metrics.delivery, clock: stores.clock, logger: stores.logger.child({ mod: 'delivery' }) },
    { sweepMs },
  );
  return { repo, recorder };
}
