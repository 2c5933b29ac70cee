/**
 * A person with two phones over SIP: the mobile declines (603), and the desk phone is rung at
 * once in the same round; the engineer there hears the page and 1 acknowledges. One attempt with
 * both legs on it.
 */
import { expect } from 'chai';
import { useStory, ALICE_PHONE, pressDuringMenu } from './stories';
import type { DialLeg } from '../../src/db/notifications-repo';

const DESK_PHONE = '15550003333';

describe('real Asterisk: a person with two phones, over SIP', function () {
  const story = useStory(this);

  it('the first phone declines, the second rings in the same round and 1 there acknowledges', async () => {
    const s = story();
    const { w } = s;
    await w.app.users.update('alice@example.com', {
      phones: [
        { number: `+${ALICE_PHONE}`, label: 'mobile' },
        { number: `+${DESK_PHONE}`, label: 'desk' },
      ],
    });
    const { id, group } = await s.page('Replication lag on db-2');
    const mobile = await w.phones.expectCall(ALICE_PHONE);
    await mobile.ring();
    await mobile.endWith('decline');
    const declinedAt = Date.now();
    const desk = await w.phones.expectCall(DESK_PHONE);
    const nextRingMs = Date.now() - declinedAt;
    process.stdout.write(`      decline on phone 1 → call on phone 2: ${nextRingMs} ms\n`);
    await desk.ring();
    await desk.answer();
    await pressDuringMenu(w, desk, '1');
    const row = await w.finished(id);
    expect(row).to.include({ state: 'delivered', outcome: 'digit' });
    expect(w.oncall.state.groups.get(group)!.acknowledgedBy).to.equal(s.alice);
    await desk.waitEnded();

    const attempts = await w.attempts(id);
    expect(attempts).to.have.length(1);
    const [a] = attempts;
    expect(a).to.include({ outcome: 'answered', digits: '1', trunk: 'default' });
    const legs = JSON.parse(String(a.legs)) as DialLeg[];
    expect(legs.map((l) => [l.phoneIndex, l.outcome, l.cause])).to.deep.equal([
      [0, 'rejected', 21],
      // Each leg's record is completed when it ends: the answered one by dozvon's normal hang-up.
      [1, 'answered', 16],
    ]);
    expect(legs[1].startedAt).to.be.at.least(legs[0].endedAt!);
    // The mobile is not called again: the round ended on the desk phone.
    expect(w.phones.events.filter((e) => e.type === 'StasisStart' && e.args?.[0] === ALICE_PHONE)).to.have.length(1);
  });
});
