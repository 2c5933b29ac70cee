/**
 * The harness's own promise: when the kernel hands it a port something else holds, the Asterisk
 * it gives a test file starts on fresh ports, and its log is that Asterisk's alone (CI once blamed
 * the shipped pjsip.conf for the bind error of an attempt the harness had already thrown away).
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { useRealAsterisk } from './setup';
import { freePort } from './asterisk/process';

describe('real Asterisk harness: a port already taken when Asterisk binds it', function () {
  const taken = dgram.createSocket('udp4');
  let handedOut = 0;
  let takenPort = 0;
  before(async () => {
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', () => resolve()));
    takenPort = (taken.address() as AddressInfo).port;
  });
  // The third port of the first attempt is the phones' SIP transport: hand it the taken one.
  const asterisk = useRealAsterisk(this, { ports: async () => (++handedOut === 3 ? takenPort : freePort()) });
  after(() => taken.close());

  it('starts on fresh ports, and its log holds no bind error from the attempt it threw away', async function () {
    if (asterisk().isAttached) return this.skip();
    expect(handedOut, 'ports asked for: two attempts of three').to.equal(6);
    expect(asterisk().layout.phonesPort).to.not.equal(takenPort);
    expect(await asterisk().cli('pjsip show transports')).to.include('transport-phones');
    expect(asterisk().log()).to.include('Asterisk Ready.').and.not.include('Address already in use');
  });
});
