/**
 * The hotline's team path (fake Asterisk): the menu offers 7 only when there are teams, 7 lists
 * them by number, the chosen team's engineer on call is rung and bridged; star goes back.
 */
import { expect } from 'chai';
import { HotlineHarness, makeHotlineHarness } from './harness';
import type { TeamDirectory } from '../../../src/hotline/teams';
import type { Candidate } from '../../../src/hotline/oncall-now';

const isPrompt = (id: string) => (s: string) => s === `prompt:${id}`;
const isTts = (re: RegExp) => (s: string) => s.startsWith('tts:') && re.test(s);

/** Two teams; only Web has someone on call (Dave, extension 1002). Unknown ids are a bug in the session, so they throw. */
class TwoTeams implements TeamDirectory {
  asked: string[] = [];
  async teams() {
    return [
      { id: 'T1', name: 'Database' },
      { id: 'T2', name: 'Web' },
    ];
  }
  async onCall(teamId: string): Promise<Candidate[]> {
    this.asked.push(teamId);
    if (teamId === 'T1') return [];
    if (teamId === 'T2') return [{ name: 'Dave Brown', email: 'dave@example.com', phone: '1002', lang: 'en' }];
    throw new Error(`no team ${teamId}`);
  }
}

describe('hotline: 7 picks a team and connects to its on-call', () => {
  let h: HotlineHarness;
  afterEach(async () => h.close());

  it('lists the teams, rings the chosen team’s engineer on call and bridges them', async () => {
    const teams = new TwoTeams();
    h = await makeHotlineHarness({ public: true, teams });
    const dave = h.asterisk.phone('1002').willAnswerAfter(100);
    const caller = h.call('+15550000001');
    await h.waitHeard(caller, isTts(/press 7/));
    caller.press('7');
    await h.waitHeard(caller, isTts(/^tts:For Database, press 1\. For Web, press 2\. To go back, press star\.$/));
    caller.press('2');
    const call = await dave.expectCall(3000);
    await h.waitHeard(caller, isTts(/^tts:Dave Brown$/));
    await h.asterisk.waitFor(() => h.asterisk.events.filter((e) => e.event.type === 'ChannelEnteredBridge').length === 2, 3000, 'bridge');
    caller.hangup();
    await call.expectHangup();
    const report = await h.reports[0];
    expect(report).to.include({ outcome: 'bridged', digits: '72' });
    expect(teams.asked).to.deep.equal(['T2']);
    // The OnCall schedule's engineer (Carol, 1001) was not rung: the caller chose a team.
    expect(h.asterisk.phone('1001').calls).to.have.length(0);
  });

  it('star goes back to the menu; a team with nobody on call leads to voicemail', async () => {
    h = await makeHotlineHarness({ public: true, teams: new TwoTeams() });
    const caller = h.call('+15550000001');
    await h.waitHeard(caller, isTts(/press 7/));
    caller.press('7');
    const listed = await h.waitHeard(caller, isTts(/^tts:For Database/));
    caller.press('*');
    await h.waitHeard(caller, isPrompt('hotline_menu'), listed + 1);
    caller.press('7');
    await h.waitHeard(caller, isTts(/^tts:For Database/), listed + 1);
    caller.press('1');
    await h.waitHeard(caller, isTts(/^tts:Nobody could be found on call\.$/));
    caller.hangup();
    const report = await h.reports[0];
    expect(report!.states).to.include('voicemail');
  });

  it('without teams the menu does not offer 7, and 7 does nothing', async () => {
    h = await makeHotlineHarness({ public: true });
    const caller = h.call('+15550000001');
    const menu = await h.waitHeard(caller, isPrompt('hotline_menu'));
    caller.press('7');
    caller.press('#');
    await caller.expectHangup();
    expect(h.heard(caller).filter(isTts(/press 7/))).to.deep.equal([]);
    expect(h.heard(caller).slice(menu)).to.include('prompt:goodbye');
    expect(await h.reports[0]).to.include({ outcome: 'goodbye' });
  });
});
