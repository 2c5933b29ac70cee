/**
 * The rest of the menu over SIP: 2 escalates, 3 and a choice reassigns, 4 resolves. Alice knows
 * the menu and presses while it plays; OnCall does what she chose and she hears the result.
 */
import { expect } from 'chai';
import { useStory, answered, pressDuringMenu, starts, items, expectHeard, SPEECH, MENU } from './stories';

describe('real Asterisk: menu digits 2, 3, 4 over SIP', function () {
  const story = useStory(this);

  it('2 pages the escalation target (Bob) in OnCall; Alice hears greeting, summary, menu and who was paged', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('Disk full on web-07');
    const call = await answered(w);
    await pressDuringMenu(w, call, '2');
    const row = await w.finished(id);
    await call.waitEnded();

    expect(row).to.include({ state: 'delivered', outcome: 'digit' });
    expect(row.reason).to.match(/^pressed 2: .*Bob/);
    expect(w.oncall.state.pages.map((p) => ({ group: p.alertGroupId, users: p.userIds, by: p.byUserId }))).to.deep.equal([
      { group, users: [s.bob], by: s.alice },
    ]);
    expect(w.oncall.state.notes.map((n) => n.text).join(' ')).to.match(/Bob/);
    const [attempt] = await w.attempts(id);
    expect(attempt).to.include({ outcome: 'answered', digits: '2', action: 'escalate' });
    // greeting, summary, the menu cut by 2, the result as speech, goodbye.
    const heard = items(w);
    expect(heard.map((p) => p.media)).to.satisfy(
      (m: string[]) =>
        m[0] === 'sound:dozvon/greeting' && SPEECH.test(m[1]) && m[2] === 'sound:dozvon/menu' && m.at(-1) === 'sound:dozvon/goodbye',
    );
    await expectHeard(w, call, heard);
  });

  it('3 reads the reassign list; 1 there pages the Database team (Carol) and Alice hears it done', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('Replication lag on pg-2');
    const call = await answered(w);
    await starts(w, MENU);
    const list = starts(w, SPEECH, 10_000);
    await call.press('3');
    // "For Database team, press 1. For Bob, press 2.": she waits for her choice, then presses.
    await list;
    await new Promise((r) => setTimeout(r, 1500));
    await call.press('1');
    const row = await w.finished(id);
    await call.waitEnded();

    expect(row).to.include({ state: 'delivered', outcome: 'digit' });
    expect(row.reason).to.match(/^pressed 31: .*Database team/);
    expect(s.said).to.include('For Database team, press 1. For Bob, press 2.');
    expect(w.oncall.state.pages.map((p) => ({ group: p.alertGroupId, users: p.userIds }))).to.deep.equal([{ group, users: [s.carol] }]);
    const [attempt] = await w.attempts(id);
    expect(attempt).to.include({ outcome: 'answered', digits: '31', action: 'reassign' });
    await expectHeard(w, call, items(w));
  });

  it('4 resolves the incident in OnCall; Alice hears it resolved', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('Certificate expires on api.example.com');
    const call = await answered(w);
    await pressDuringMenu(w, call, '4');
    const row = await w.finished(id);
    await call.waitEnded();

    expect(row).to.include({ state: 'delivered', outcome: 'digit' });
    expect(row.reason).to.match(/^pressed 4: .*[Rr]esolved/);
    const g = w.oncall.state.groups.get(group)!;
    expect(g.resolvedBy).to.equal(s.alice);
    expect(w.oncall.requestsTo('POST', `/api/v1/alert_groups/${group}/resolve`)).to.have.length(1);
    const [attempt] = await w.attempts(id);
    expect(attempt).to.include({ outcome: 'answered', digits: '4', action: 'resolve' });
    await expectHeard(w, call, items(w));
  });
});
