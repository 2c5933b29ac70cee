/** The real AriTelephony pointed at a fake Asterisk, with timeouts short enough for tests on the fake's scaled time. */
import { SystemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { AriTelephony, type AriTelephonyOptions } from '../../src/telephony';
import type { FakeAsterisk } from '../fakes/asterisk';

export function telephonyOn(asterisk: FakeAsterisk, overrides: Partial<AriTelephonyOptions> = {}): AriTelephony {
  return new AriTelephony({
    urls: [asterisk.url],
    user: asterisk.user,
    password: asterisk.password,
    app: 'dozvon',
    clock: new SystemClock(),
    log: silentLogger(),
    requestTimeoutMs: 2000,
    connectTimeoutMs: 2000,
    startWaitMs: 3000,
    reconnectInitialMs: 50,
    ringGraceMs: 200,
    ...overrides,
  });
}
