/**
 * Calls nobody takes: declined (SIP 603) and ringing until the originate timeout (30 s: dozvon
 * has no setting for it). Both are retried 60 s later (README "Voice retry policy"); the stories
 * check the schedule rather than wait for it.
 */
import { expect } from 'chai';
import { useStory, items, rescheduled, endedAttempt, ALICE_PHONE } from './stories';

describe('real Asterisk: calls nobody takes, over SIP', function () {
  const story = useStory(this);

  it('603 decline is recorded as rejected and scheduled again in 60 s; nothing was played', async () => {
    const s = story();
    const { w } = s;
    const { id } = await s.page('Error rate on checkout');
    const call = await w.phones.expectCall(ALICE_PHONE);
    await call.ring();
    await call.endWith('decline');
    const attempt = await endedAttempt(w, id);
    expect(attempt).to.include({ outcome: 'rejected', answered_at: null, digits: null });
    expect(attempt.cause).to.match(/^21 Call Rejected/);
    const row = await rescheduled(w, id);
    expect(row.reason).to.equal('rejected; retry 1 of 2');
    expect(row.next_attempt_at - Number(attempt.ended_at)).to.be.within(59_900, 60_100);
    expect(items(w)).to.deep.equal([]);
    expect(w.oncall.requests.filter((r) => r.method === 'POST')).to.deep.equal([]);
  });

  it('a phone that rings 30 s unanswered is recorded as no-answer and scheduled again in 60 s', async () => {
    const s = story();
    const { w } = s;
    const { id } = await s.page('Latency on search');
    const call = await w.phones.expectCall(ALICE_PHONE);
    await call.ring();
    const rangAt = Date.now();
    await call.waitEnded(45_000);
    const rang = Date.now() - rangAt;
    expect(rang, `rang ${rang} ms`).to.be.within(29_000, 31_500);
    const attempt = await endedAttempt(w, id);
    expect(attempt).to.include({ outcome: 'no-answer', answered_at: null, digits: null });
    expect(attempt.cause).to.match(/^19 User alerting, no answer/);
    const row = await rescheduled(w, id);
    expect(row.reason).to.equal('no-answer; retry 1 of 2');
    expect(row.next_attempt_at - Number(attempt.ended_at)).to.be.within(59_900, 60_100);
    expect(items(w)).to.deep.equal([]);
  });
});
