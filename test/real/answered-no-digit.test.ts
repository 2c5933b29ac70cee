/**
 * Answered, but no digit: a phone that listens and presses nothing hears the menu three times,
 * then "no response" and goodbye; a phone that hangs up during the summary is heard up to that
 * moment. Either way the page is not delivered and is called again in 60 s (README "Voice retry
 * policy": an answer without a digit gets 2 more calls 60 s apart).
 */
import { expect } from 'chai';
import { useStory, answered, starts, items, expectHeard, rescheduled, endedAttempt, SPEECH } from './stories';

describe('real Asterisk: answered without a digit, over SIP', function () {
  const story = useStory(this);

  it('silence: the menu is played 3 times 10 s apart, then no_response and goodbye; retried in 60 s', async function () {
    this.timeout(150_000);
    const s = story();
    const { w } = s;
    const { id } = await s.page('Memory pressure on cache-2');
    const call = await answered(w);
    await call.waitEnded(120_000);
    const heard = items(w);
    expect(heard.map((p) => (SPEECH.test(p.media) ? 'speech' : p.media.replace('sound:dozvon/', '')))).to.deep.equal([
      'greeting',
      'speech',
      'menu',
      'menu',
      'menu',
      'no_response',
      'goodbye',
    ]);
    // 10 s of silence after each menu before the next prompt.
    for (const i of [3, 4, 5]) expect(heard[i].start - heard[i - 1].end!).to.be.within(9_900, 10_600);

    const attempt = await endedAttempt(w, id);
    expect(attempt).to.include({ outcome: 'answered', digits: null, action: null });
    expect(attempt.cause).to.match(/^16 Normal Clearing/);
    const row = await rescheduled(w, id);
    expect(row.reason).to.equal('answered without a digit; retry 1 of 2');
    expect(row.next_attempt_at - Number(attempt.ended_at)).to.be.within(59_900, 60_100);
    expect(w.oncall.requests.filter((r) => r.method === 'POST')).to.deep.equal([]);
    await expectHeard(w, call, heard);
  });

  it('a hang-up during the summary: heard up to there, the attempt records it, retried in 60 s', async () => {
    const s = story();
    const { w } = s;
    const { id } = await s.page('Packet loss on edge-1');
    const call = await answered(w);
    await starts(w, SPEECH);
    await new Promise((r) => setTimeout(r, 2000));
    await call.hangup();
    await call.waitEnded();

    const attempt = await endedAttempt(w, id);
    expect(attempt).to.include({ outcome: 'answered', digits: null, action: null });
    expect(attempt.cause).to.match(/^16 Normal Clearing/);
    const row = await rescheduled(w, id);
    expect(row.reason).to.equal('answered without a digit; retry 1 of 2');
    expect(row.next_attempt_at - Number(attempt.ended_at)).to.be.within(59_900, 60_100);
    expect(w.oncall.requests.filter((r) => r.method === 'POST')).to.deep.equal([]);

    const heard = items(w);
    expect(heard.map((p) => p.media)).to.satisfy((m: string[]) => m.length === 2 && m[0] === 'sound:dozvon/greeting' && SPEECH.test(m[1]));
    expect(heard[1].ms! / 1000).to.be.within(1.8, 2.6);
    await expectHeard(w, call, heard);
  });
});
