import { expect } from 'chai';
import type { DialLeg } from '../../../src/db/notifications-repo';
import { voiceWorld, VoiceWorld, pageText } from './harness';

const YAML = `
trunks:
  - { name: carrier-a, dial: "PJSIP/{number}@carrier-a" }
  - { name: carrier-b, dial: "PJSIP/{number}@carrier-b" }
`;

describe('voice e2e: a page over two trunks', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  let group: { id: string };

  beforeEach(async () => {
    w = await voiceWorld({ yaml: YAML });
    w.oncall.state.addUser({ email: 'alice@example.com', token: 'tok-alice', username: 'alice' });
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    group = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on db-1' });
    await w.t.app.users.create(
      { email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111', oncall_token: 'tok-alice' },
      { lang: 'en' },
    );
  });
  afterEach(() => w.close());

  it('the first carrier answers 503: the same attempt rings on the second, 1 acknowledges, both legs are kept', async () => {
    w.asterisk.trunk('carrier-a', { kind: 'refuse', cause: 34, sipCode: 503 });
    w.asterisk.phone('+15550001111').willAnswerAfter(200).willPress('1', { afterPlaybackStartMs: 100 });
    const id = await w.makeCall('alice@example.com', pageText('Disk full on db-1', group.id));
    const row = await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'delivered');
    expect(row.reason).to.equal('pressed 1: Acknowledged.');
    const attempts = await w.t.app.db('attempts').where({ notification_id: id });
    expect(attempts, 'one attempt: the failover was inside it').to.have.length(1);
    expect(attempts[0]).to.include({ outcome: 'answered', trunk: 'carrier-b' });
    const legs = JSON.parse(attempts[0].legs) as DialLeg[];
    expect(legs.map((l) => [l.trunk, l.outcome, l.cause, l.sipCode])).to.deep.equal([
      ['carrier-a', 'congestion', 34, 503],
      ['carrier-b', 'answered', 16, null],
    ]);
    const metrics = await w.t.app.metrics.registry.metrics();
    expect(metrics).to.match(/dozvon_calls_total\{trunk="carrier-a",outcome="congestion"\} 1/);
  });
});
