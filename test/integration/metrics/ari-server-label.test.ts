/** dozvon_ari_up{server} keeps host:port (an address is not a phone number). */
import { expect } from 'chai';
import { Metrics, hostLabel } from '../../../src/metrics';
import { refreshHealthGauges } from '../../../src/compose/observe';
import type { Telephony } from '../../../src/telephony/types';
import type { SelfChecks } from '../../../src/watchers/checks/runner';
import { parseExposition } from './exposition';

describe('metrics: the ARI server label', () => {
  it('keeps host names, IPv4 and IPv6 addresses with their port', () => {
    for (const v of [
      '127.0.0.1:8088',
      '10.0.0.12:8088',
      'asterisk-1.example.net:8088',
      '[::1]:8088',
      '[2001:db8::7]:8088',
      '192.168.100.200',
    ])
      expect(hostLabel(v), v).to.equal(v);
  });

  it('still refuses what could be a number, an address or credentials', () => {
    for (const v of ['+7 916 123-45-67', '79161234567:8088', 'alice@example.com', 'ari:secret@10.0.0.1:8088', ''])
      expect(hostLabel(v), v).to.be.oneOf(['other', 'none']);
  });

  it('dozvon_ari_up shows each Asterisk by host:port, never with the credentials of its URL', async () => {
    const metrics = new Metrics();
    const servers = [
      { url: 'http://dozvon:secret@10.0.0.12:8088/ari', state: 'connected' as const, error: null },
      { url: 'http://127.0.0.1:8089/', state: 'reconnecting' as const, error: 'refused' },
    ];
    const telephony = { health: () => ({ ok: true, configured: true, message: 'ok', servers }) } as unknown as Telephony;
    const checks = { latest: () => [] } as unknown as SelfChecks;
    refreshHealthGauges(metrics, telephony, checks);
    const body = (await metrics.scrape()).body;
    metrics.stop();
    const e = parseExposition(body);
    expect(e.value('dozvon_ari_up', { server: '10.0.0.12:8088' })).to.equal(1);
    expect(e.value('dozvon_ari_up', { server: '127.0.0.1:8089' })).to.equal(0);
    expect(body).not.to.include('secret');
    expect(body).not.to.match(/dozvon_ari_up\{server="other"\}/);
  });
});
