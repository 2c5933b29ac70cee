/**
 * Several incidents for one person at once (OnCall sends one make_call per alert group): one
 * call reads them all, and 1 acknowledges every one of them.
 */
import { expect } from 'chai';
import { useStory, answered, pressDuringMenu, items, expectHeard, ALICE_PHONE, SPEECH } from './stories';

describe('real Asterisk: a bundle of incidents over SIP', function () {
  const story = useStory(this);

  it('three make_calls close together: one call reads all three, 1 acknowledges all three', async () => {
    const s = story();
    const { w } = s;
    const titles = ['Disk full on web-07', 'High CPU on db-1.prod.example.com', 'Replication lag on pg-2'];
    const pages = await Promise.all(titles.map((t) => s.page(t)));
    const call = await answered(w);
    await pressDuringMenu(w, call, '1');
    for (const p of pages) expect(await w.finished(p.id)).to.include({ state: 'delivered', outcome: 'digit' });
    await call.waitEnded();

    const attempts = (await Promise.all(pages.map((p) => w.attempts(p.id)))).flat();
    expect(attempts).to.have.length(3);
    expect(new Set(attempts.map((a) => a.call_id)).size, 'one call for the three pages').to.equal(1);
    for (const p of pages) expect(w.oncall.state.groups.get(p.group)!.acknowledgedBy).to.equal(s.alice);
    expect(w.oncall.state.notes).to.have.length(3);
    expect(
      w.phones.events.filter((e) => e.type === 'StasisStart' && e.args?.[0] === ALICE_PHONE),
      'one call',
    ).to.have.length(1);
    // One summary, one speech file, naming every incident in turn.
    const summary = s.said.find((t) => /^You have 3 incidents/.test(t));
    expect(summary).to.match(/First: .*Disk full.* Second: .*High CPU.* Third: .*Replication lag/);
    expect(items(w).filter((p) => SPEECH.test(p.media))).to.have.length(2); // the summary and the result
    await expectHeard(w, call, items(w));
  });
});
