/**
 * 0 and * repeat the summary, with barge-in: a digit pressed while the summary plays stops it at
 * once, and the greeting and summary start again from the top.
 */
import { expect } from 'chai';
import { useStory, answered, starts, ends, items, expectHeard, bargeIn, SPEECH, MENU } from './stories';

describe('real Asterisk: repeat with barge-in over SIP', function () {
  const story = useStory(this);

  it('0 and then * during the summary cut it at once and start it again; 1 after the menu acknowledges', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('High CPU on db-1.prod.example.com');
    const call = await answered(w);
    for (const digit of ['0', '*']) {
      await starts(w, SPEECH);
      await new Promise((r) => setTimeout(r, 1500));
      await call.press(digit);
    }
    await ends(w, await starts(w, MENU));
    await call.press('1');
    const row = await w.finished(id);
    await call.waitEnded();

    // Each digit stopped the summary within a moment, and the greeting started over.
    for (const digit of ['0', '*']) {
      const cut = bargeIn(w, digit);
      expect(cut.media, `${digit} cut the summary`).to.match(SPEECH);
      expect(cut.afterMs, `the summary stopped ${cut.afterMs} ms after ${digit}`).to.be.below(250);
    }
    const heard = items(w);
    const media = heard.map((p) => (SPEECH.test(p.media) ? 'speech' : p.media.replace('sound:dozvon/', '')));
    expect(media.slice(0, 7)).to.deep.equal(['greeting', 'speech', 'greeting', 'speech', 'greeting', 'speech', 'menu']);
    expect(heard[1].ms! / 1000).to.be.below(3);
    expect(heard[3].ms! / 1000).to.be.below(3);

    expect(row).to.include({ state: 'delivered', outcome: 'digit' });
    expect(row.reason).to.match(/^pressed 0\*1: Acknowledged/);
    expect(w.oncall.state.groups.get(group)!.acknowledgedBy).to.equal(s.alice);
    const attempts = await w.attempts(id);
    expect(attempts).to.have.length(1);
    expect(attempts[0]).to.include({ outcome: 'answered', digits: '0*1', action: 'acknowledge' });
    await expectHeard(w, call, heard);
  });
});
