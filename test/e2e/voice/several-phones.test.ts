import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './harness';
import type { DialLeg } from '../../../src/db/notifications-repo';
import { maskPhone } from '../../../src/core/mask';

describe('voice e2e: a person with several phones', function () {
  this.timeout(40000);
  let w: VoiceWorld;
  let integ: { id: string };
  const MOBILE = '+15550001111';
  const DESK = '+15550002222';
  const originates = () => w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');
  const dialled = () => originates().map((r) => String(r.query.endpoint));
  const attempts = async (id: number) =>
    (await w.t.app.db('attempts').where({ notification_id: id }).whereNotNull('outcome').orderBy('id')) as {
      outcome: string;
      cause: string;
      trunk: string;
      legs: string;
    }[];

  beforeEach(async () => {
    w = await voiceWorld();
    integ = w.oncall.state.addIntegration({ name: 'Prod' });
    await w.t.app.users.create(
      {
        email: 'alice@example.com',
        name: 'Alice',
        phones: [
          { number: MOBILE, label: 'mobile' },
          { number: DESK, label: 'desk' },
        ],
      },
      { lang: 'en' },
    );
  });
  afterEach(() => w.close());

  it('the first phone not answering rings the second in the same attempt, and 1 there acknowledges', async () => {
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full' });
    w.asterisk.phone(MOBILE).willRingOut();
    w.asterisk.phone(DESK).willAnswerAfter(50).willPress('1', { afterPlaybackStartMs: 30 });
    const id = await w.makeCall('alice@example.com', pageText('Disk full', g.id));
    await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'delivery', 10000);
    expect(dialled()).to.deep.equal([`PJSIP/${MOBILE}@trunk`, `PJSIP/${DESK}@trunk`]);
    expect(w.oncall.state.groups.get(g.id)!.acknowledgedBy).to.be.a('string');
    // OnCall's note names the phone that answered (masked), not the first on the list.
    const notes = w.oncall.state.notes.filter((n) => n.groupId === g.id).map((n) => n.text);
    expect(notes.join('\n')).to.contain(maskPhone(DESK)).and.not.contain(maskPhone(MOBILE));
    const [a, ...more] = await attempts(id);
    expect(more).to.have.length(0);
    expect(a.outcome).to.equal('answered');
    expect(a.trunk).to.equal('default');
    const legs = JSON.parse(a.legs) as DialLeg[];
    expect(legs.map((l) => [l.phoneIndex, l.outcome, l.trunk])).to.deep.equal([
      [0, 'no-answer', 'default'],
      [1, 'answered', 'default'],
    ]);
    expect(legs[0].cause).to.equal(19);
    expect(legs.every((l) => l.endedAt !== null && l.endedAt >= l.startedAt)).to.equal(true);
  });

  it('no phone answering is one unanswered attempt, retried per policy with the whole list again', async () => {
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Nobody' });
    w.asterisk.phone(MOBILE).willRingOut();
    w.asterisk.phone(DESK).willBeBusy();
    const id = await w.makeCall('alice@example.com', pageText('Nobody', g.id));
    const row = await w.until(
      async () => (await w.rows()).find((r) => r.id === id && r.state === 'pending' && r.reason !== null),
      'the page to wait for its retry',
      10000,
    );
    const [first, ...more] = await attempts(id);
    expect(more).to.have.length(0);
    // The last phone's answer decides the retry: busy, so the quick busy retry.
    expect(first.outcome).to.equal('busy');
    expect(first.cause).to.match(/^phone 2 of 2: /);
    expect((JSON.parse(first.legs) as DialLeg[]).map((l) => l.outcome)).to.deep.equal(['no-answer', 'busy']);
    expect(row.reason).to.match(/busy retry 1 of 3/);
    expect(originates()).to.have.length(2);
    await w.advance(16_000);
    await w.until(async () => (await attempts(id)).length === 2, 'the second round');
    expect(dialled()).to.deep.equal([MOBILE, DESK, MOBILE, DESK].map((n) => `PJSIP/${n}@trunk`));
  });

  it('a number that can never be reached does not end the retries while another phone only went unanswered', async () => {
    await w.t.app.users.update('alice@example.com', { phones: [{ number: DESK }, { number: MOBILE }] });
    const g = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Half' });
    // DESK is never given to the fake: the trunk answers it as an unknown number (cause 1).
    w.asterisk.phone(MOBILE).willRingOut();
    const id = await w.makeCall('alice@example.com', pageText('Half', g.id));
    const row = await w.until(
      async () => (await w.rows()).find((r) => r.id === id && r.reason !== null && r.state !== 'active'),
      'the first round to end',
      10000,
    );
    const [a] = await attempts(id);
    expect((JSON.parse(a.legs) as DialLeg[]).map((l) => l.outcome)).to.deep.equal(['unreachable', 'no-answer']);
    expect(a.outcome).to.equal('no-answer');
    expect(row.state).to.equal('pending');
    expect(row.reason).to.match(/no-answer; retry 1 of 2/);
  });
});
