import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './harness';

const YAML = `
escalation:
  default: { users: [bob@example.com] }
reassign:
  - { label: Database team, users: [carol@example.com] }
  - { label: Bob, users: [bob@example.com] }
`;

describe('voice e2e: make_call → fake Asterisk → fake OnCall (menu digits)', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  let group: { id: string };
  let aliceId: string;
  let carolId: string;

  beforeEach(async () => {
    w = await voiceWorld({ yaml: YAML });
    aliceId = w.oncall.state.addUser({ email: 'alice@example.com', token: 'tok-alice', username: 'alice' }).id;
    w.oncall.state.addUser({ email: 'bob@example.com', username: 'bob' });
    carolId = w.oncall.state.addUser({ email: 'carol@example.com', username: 'carol' }).id;
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    group = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'High CPU on db-1.prod.example.com' });
    await w.t.app.users.create(
      { email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111', oncall_token: 'tok-alice' },
      { lang: 'en' },
    );
    await w.t.app.users.create({ email: 'bob@example.com', name: 'Bob Jones', phone: '+15550002222' }, { lang: 'en' });
  });
  afterEach(() => w.close());

  const finished = (id: number) =>
    w.until(async () => (await w.rows()).find((r) => r.id === id && r.state !== 'pending' && r.state !== 'active'), `page ${id} to finish`);

  it('1 acknowledges in OnCall, the note says who and how, the caller hears the result', async () => {
    w.asterisk.phone('+15550001111').willAnswerAfter(200).willPress('1', { afterPlaybackStartMs: 100 });
    const id = await w.makeCall('alice@example.com', pageText('High CPU on db-1.prod.example.com', group.id));
    const row = await finished(id);
    expect(row).to.include({ state: 'delivered', outcome: 'digit' });
    expect(row.reason).to.equal('pressed 1: Acknowledged.');
    expect(w.oncall.state.groups.get(group.id)!.acknowledgedBy).to.equal(aliceId);
    const ack = w.oncall.requests.find((r) => r.method === 'POST' && r.path === `/api/v1/alert_groups/${group.id}/acknowledge`)!;
    expect(ack.headers.authorization).to.equal('tok-alice'); // acted with the engineer's own token
    const [note] = w.oncall.state.notes;
    expect(note.text).to.match(/Acknowledged by phone by Alice Smith from \+1555\*+11/);
    const [attempt] = await w.t.app.db('attempts').where({ notification_id: id });
    expect(attempt).to.include({ channel: 'voice', outcome: 'answered', digits: '1', action: 'acknowledge', result: 'Acknowledged.' });
    expect(attempt.answered_at).to.be.a('number');
    const legs = w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels');
    expect(legs).to.have.length(1);
    expect(legs[0].query.endpoint).to.equal('PJSIP/+15550001111@trunk');
    expect(legs[0].query.timeout).to.equal('30');
  });

  it('2 escalates to the configured target and says who was paged', async () => {
    w.asterisk.phone('+15550001111').willAnswerAfter(100).willPress('2', { afterPlaybackStartMs: 50 });
    const id = await w.makeCall('alice@example.com', pageText('High CPU', group.id));
    const row = await finished(id);
    expect(row.reason).to.equal('pressed 2: Escalated to Bob Jones.');
    expect(w.oncall.state.pages).to.have.length(1);
    expect(w.oncall.state.pages[0]).to.include({ alertGroupId: group.id });
  });

  it('3 reads the reassign list, then the chosen target is paged on the same alert group', async () => {
    w.asterisk
      .phone('+15550001111')
      .willAnswerAfter(100)
      .willPress('3', { afterPlaybackStartMs: 50 })
      .willPress('1', { afterPlaybackStartMs: 400 });
    const id = await w.makeCall('alice@example.com', pageText('High CPU', group.id));
    const row = await finished(id);
    expect(row.state).to.equal('delivered');
    expect(row.reason).to.match(/^pressed 31: /);
    const [attempt] = await w.t.app.db('attempts').where({ notification_id: id });
    expect(attempt).to.include({ action: 'reassign', digits: '31' });
    expect(w.oncall.state.pages.map((p) => p.alertGroupId)).to.deep.equal([group.id]);
    const paged = w.oncall.requests.find((r) => r.path.startsWith('/api/v1/escalation'))!;
    expect(JSON.stringify(paged.body)).to.include(carolId);
  });

  it('3 and 1 pressed in one go: the 1 typed ahead chooses from the reassign list without waiting for it', async () => {
    w.asterisk.phone('+15550001111').willAnswerAfter(100).willPress('31', { afterPlaybackStartMs: 50, gapMs: 1 });
    const id = await w.makeCall('alice@example.com', pageText('High CPU', group.id));
    const row = await finished(id);
    expect(row.reason).to.match(/^pressed 31: /);
    const paged = w.oncall.requests.find((r) => r.path.startsWith('/api/v1/escalation'))!;
    expect(JSON.stringify(paged.body)).to.include(carolId);
  });

  it('3 and 1 typed during the greeting, before the summary is ready: the 3 opens the list and the 1 chooses from it', async () => {
    // OnCall answers late: the phone is answered before the summary is ready, so both digits
    // wait while the greeting plays and reach the menu together. The 1 once got lost there.
    w.oncall.setDelay(30);
    w.asterisk
      .phone('+15550001111')
      .willAnswerAfter(100)
      .willPress('3', { afterPlaybackStartMs: 50 })
      .willPress('1', { afterPlaybackStartMs: 400 });
    const id = await w.makeCall('alice@example.com', pageText('High CPU', group.id));
    const row = await finished(id);
    expect(row.reason).to.match(/^pressed 31: /);
    const paged = w.oncall.requests.find((r) => r.path.startsWith('/api/v1/escalation'))!;
    expect(JSON.stringify(paged.body)).to.include(carolId);
  });

  it('4 resolves', async () => {
    w.asterisk.phone('+15550001111').willAnswerAfter(100).willPress('4', { afterPlaybackStartMs: 50 });
    const id = await w.makeCall('alice@example.com', pageText('High CPU', group.id));
    expect((await finished(id)).reason).to.equal('pressed 4: Resolved.');
    expect(w.oncall.state.groups.get(group.id)!.resolvedBy).to.equal(aliceId);
  });

  it('0 repeats the summary and menu, then 1 acknowledges', async () => {
    const p = w.asterisk.phone('+15550001111');
    const id = await w.makeCall('alice@example.com', pageText('High CPU', group.id));
    const call = await p.expectCall();
    call.answer();
    await call.expectPlayback(/dozvon\/menu/);
    call.press('0');
    await call.expectPlayback(/dozvon\/greeting/);
    await call.expectPlayback(/dozvon\/menu/);
    call.press('1');
    await call.expectHangup();
    const row = await finished(id);
    expect(row.reason).to.equal('pressed 01: Acknowledged.');
    expect(w.oncall.state.groups.get(group.id)!.acknowledgedBy).to.equal(aliceId);
  });
});
