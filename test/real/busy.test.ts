/**
 * Busy (SIP 486) is retried after 15 s, in real time: the one story that waits for a retry.
 */
import { expect } from 'chai';
import { useStory, pressDuringMenu, items, expectHeard, rescheduled, endedAttempt, ALICE_PHONE } from './stories';

describe('real Asterisk: a busy phone over SIP', function () {
  const story = useStory(this);

  it('486 is recorded as busy and called again 15 s later; the second call is heard and 1 acknowledges', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('Queue backlog on kafka-3');
    const first = await w.phones.expectCall(ALICE_PHONE);
    await first.endWith('busy');
    const busy = await endedAttempt(w, id, 0);
    expect(busy).to.include({ outcome: 'busy', answered_at: null, digits: null });
    expect(busy.cause).to.match(/^17 User busy/);
    const row = await rescheduled(w, id);
    expect(row.reason).to.equal('busy; busy retry 1 of 3');
    expect(row.next_attempt_at - Number(busy.ended_at)).to.be.within(14_900, 15_100);
    expect(items(w), 'nothing was played to a busy line').to.deep.equal([]);

    const second = await w.phones.expectCall(ALICE_PHONE, 25_000);
    const again = (await w.attempts(id))[1];
    expect(Number(again.started_at) - Number(busy.ended_at), 'the retry came after 15 s').to.be.within(15_000, 18_000);
    await second.answer();
    await pressDuringMenu(w, second, '1');
    expect(await w.finished(id)).to.include({ state: 'delivered', outcome: 'digit' });
    await second.waitEnded();
    expect(w.oncall.state.groups.get(group)!.acknowledgedBy).to.equal(s.alice);
    expect((await w.attempts(id)).map((a) => a.outcome)).to.deep.equal(['busy', 'answered']);
    await expectHeard(w, second, items(w));
  });
});
