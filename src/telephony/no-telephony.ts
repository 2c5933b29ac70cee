/** Telephony when DOZVON_ARI_URL is empty: starts fine, reports itself unconfigured, never dials. */
import { AppError } from '../core/errors';
import type { Bridge, CallLeg, Telephony, TelephonyHealth } from './types';

export class NoTelephony implements Telephony {
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  health(): TelephonyHealth {
    return { ok: false, configured: false, message: 'telephony not configured (DOZVON_ARI_URL is empty)', servers: [] };
  }

  async originate(): Promise<CallLeg> {
    throw new AppError('telephony-not-configured', 'telephony not configured', { temporary: false });
  }

  onInbound(): void {}

  async bridge(): Promise<Bridge> {
    throw new AppError('telephony-not-configured', 'telephony not configured', { temporary: false });
  }
}
