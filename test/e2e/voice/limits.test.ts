/**
 * The whole app over real sockets on the fake clock: an engineer who answers but
 * presses nothing uses up three calls on one page; a make_call about another incident four
 * minutes later must ring within 30 s (it used to wait until minute 15: the per-person limit
 * counted the first page's retries).
 */
import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './harness';

describe('voice e2e: retries of one page never hold back a new incident', function () {
  this.timeout(40000);
  let w: VoiceWorld;
  const originates = () => w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');
  const ended = async (id: number) => (await w.t.app.db('attempts').where({ notification_id: id }).whereNotNull('outcome')).length;

  beforeEach(async () => {
    w = await voiceWorld();
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
  });
  afterEach(() => w.close());

  it('three silent answers on the first page, then a new make_call at minute 4 rings at once', async () => {
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    const disk = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full' });
    const db = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Database down' });
    const start = w.clock.now();
    w.asterisk.phone('+15550001111').willStaySilent(50_000); // hangs up 0.5 s (real) after answering: the same phone presses 1 sooner on the 4th call
    const first = await w.makeCall('alice@example.com', pageText('Disk full', disk.id));
    for (let i = 1; i <= 3; i++) {
      await w.until(async () => (await ended(first)) === i, `silent call ${i}`, 8000);
      if (i < 3) await w.advance(61_000);
    }
    await w.until(async () => (await w.rows()).find((r) => r.id === first && r.state === 'failed'), 'the first page to end');
    expect(originates()).to.have.length(3);

    await w.advance(start + 4 * 60_000 - w.clock.now());
    w.asterisk.phone('+15550001111').willAnswerAfter(50).willPress('1', { afterPlaybackStartMs: 30 });
    const second = await w.makeCall('alice@example.com', pageText('Database down', db.id));
    // No app time passes: the call must be placed on the make_call itself, not at a later sweep.
    await w.until(() => originates().length === 4, 'the new incident to ring', 8000);
    await w.until(async () => (await w.rows()).find((r) => r.id === second && r.state === 'delivered'), 'the new incident delivered', 8000);
    const [attempt] = await w.t.app.db('attempts').where({ notification_id: second });
    const [row] = await w.t.app.db('notifications').where({ id: second });
    expect(Number(attempt.started_at) - Number(row.received_at)).to.be.at.most(30_000);
  });
});
