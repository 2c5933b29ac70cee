/**
 * Telephony that is configured but never dials: for intake tests that run without engines and
 * only need the app to believe a call could be placed (OnCall then gets its 200). Voice tests
 * use the fake Asterisk instead.
 */
import { AppError } from '../../src/core/errors';
import type { Bridge, CallLeg, Telephony, TelephonyHealth } from '../../src/telephony/types';

export class FakeConfiguredTelephony implements Telephony {
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  health(): TelephonyHealth {
    return { ok: true, configured: true, message: 'fake telephony (never dials)', servers: [] };
  }

  async originate(): Promise<CallLeg> {
    throw new AppError('fake-telephony', 'this test does not place calls', { temporary: true });
  }

  onInbound(): void {}

  async bridge(): Promise<Bridge> {
    throw new AppError('fake-telephony', 'this test does not bridge calls', { temporary: true });
  }
}
