/**
 * Digit 3 on an alert call, through the whole app: the call reads the members of the alert's
 * team with a digit each, the caller chooses, the alert is assigned to that person (the API shows
 * the owner) and they are paged now. Without a team the rest of the plan takes it; with nobody
 * else the call says so; a wrong digit or silence reads the list once more, then the main menu.
 */
import { expect } from 'chai';
import { voiceWorld, VoiceWorld } from './harness';
import { Teams } from '../../../src/teams/service';
import { AuditRepo } from '../../../src/audit';
import type { ResponderResolver } from '../../../src/alerts/responders';
import type { CallHandle } from '../../fakes/asterisk';

const ALICE = '+15550001111';
const BOB = '+15550002222';
const CAROL = '+15550003333';

describe('voice e2e: handing an alert to a chosen team member', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  let key: string;
  afterEach(() => w.close());

  /** Alice first; Bob five minutes later. The alert's team is the integration's (null without one). */
  const aliceThenBob = (): ResponderResolver => ({
    async plan(_responders, team) {
      const alice = await w.t.app.users.getByEmail('alice@example.com');
      const bob = await w.t.app.users.getByEmail('bob@example.com');
      return {
        steps: [
          { afterMs: 0, userIds: [alice!.id], label: 'alice@example.com' },
          { afterMs: 300_000, userIds: [bob!.id], label: 'bob@example.com' },
        ],
        teamId: team,
        unresolved: [],
      };
    },
  });

  async function world(o: { team: string | null; members: string[] }) {
    w = await voiceWorld({ env: { DOZVON_ONCALL_URL: '', DOZVON_ONCALL_TOKEN: '' }, overrides: { alertResolver: aliceThenBob() } });
    const people = [
      { email: 'alice@example.com', name: 'Alice Smith', phone: ALICE },
      { email: 'bob@example.com', name: 'Bob Jones', phone: BOB },
      { email: 'carol@example.com', name: 'Carol White', phone: CAROL },
    ];
    for (const p of people) {
      await w.t.app.users.create(p, { lang: 'en' });
      w.asterisk.phone(p.phone);
    }
    if (o.team) {
      const teams = new Teams({ db: w.t.app.db, audit: new AuditRepo(w.t.app.db, () => w.clock.now()), now: () => w.clock.now() });
      await teams.change('test', async (ops) => {
        await ops.createTeam({ name: o.team! });
        for (const m of o.members) await ops.addMember(o.team!, m);
      });
    }
    key = (await w.t.app.alerts.integrations.create('test', { name: 'am', defaultTeam: o.team, rules: [] })).key;
    await w.advance(1000);
  }

  const og = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${w.t.url}${path}`, {
      method,
      headers: { authorization: `GenieKey ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await r.json()) as any;
  };
  const alert = async () => (await og('GET', '/v2/alerts/api?identifierType=alias')).data;
  const attempt = () =>
    w.until(async () => {
      const rows = (await w.t.app.db('attempts').whereNotNull('action')) as { digits: string; action: string; result: string }[];
      return rows[0];
    }, "Alice's attempt");

  async function aliceAtTheMenu(): Promise<CallHandle> {
    await og('POST', '/v2/alerts', { message: 'API down', alias: 'api', priority: 'P1' });
    const call = await w.asterisk.phone(ALICE).expectCall();
    call.answer();
    await call.expectPlayback(/dozvon\/menu/);
    return call;
  }

  it('3 reads the team without the caller; 2 hands it to the second: the owner, the page, the words and the timeline', async () => {
    await world({ team: 'ops', members: ['alice@example.com', 'bob@example.com', 'carol@example.com'] });
    const call = await aliceAtTheMenu();
    call.press('3');
    // "Press 1 for Bob Jones, 2 for Carol White": the list names both digits.
    await call.expectPlayback('number:1');
    await call.expectPlayback('number:2');
    call.press('2');
    await call.expectHangup();
    expect(await attempt()).to.include({
      digits: '32',
      action: 'reassign',
      result: 'The alert is handed over to Carol White, who is being paged now.',
    });
    const a = await alert();
    expect(a).to.include({ owner: 'carol@example.com', acknowledged: false, status: 'open' });
    const carol = await w.asterisk.phone(CAROL).expectCall(5000);
    expect(w.asterisk.phone(BOB).calls).to.have.length(0);
    carol.answer();
    await carol.expectPlayback(/dozvon\/menu/);
    carol.press('1');
    await carol.expectHangup();
    const acked = await w.until(async () => ((await alert()).acknowledged ? alert() : null), 'Carol to acknowledge');
    expect(acked.owner).to.equal('carol@example.com');
    const events = (await w.t.app.alerts.service.events(a.id)).map((e) => `${e.kind}|${e.actor}|${e.text}`);
    expect(events).to.include.members([
      'assigned|Alice Smith|assigned to carol@example.com',
      'note|Alice Smith|Alice Smith handed the alert over on the phone to Carol White',
      'paged|escalation|Carol White: call (handed over by Alice Smith)',
      'acknowledged|Carol White|Acknowledged',
    ]);
  });

  it('3 and 1 pressed in one go: the 1 typed ahead chooses from the list without waiting for it', async () => {
    await world({ team: 'ops', members: ['alice@example.com', 'bob@example.com', 'carol@example.com'] });
    w.asterisk.phone(ALICE).willAnswerAfter(100).willPress('31', { afterPlaybackStartMs: 50, gapMs: 1 });
    await og('POST', '/v2/alerts', { message: 'API down', alias: 'api', priority: 'P1' });
    expect(await attempt()).to.include({ digits: '31', action: 'reassign' });
    expect((await alert()).owner).to.equal('bob@example.com');
    await w.asterisk.phone(BOB).expectCall(5000);
  });

  it('an alert without a team: 3 gives it to the rest of the plan, as before', async () => {
    await world({ team: null, members: [] });
    const call = await aliceAtTheMenu();
    call.press('3');
    await call.expectHangup();
    expect(await attempt()).to.include({ digits: '3', action: 'reassign', result: 'The alert is handed over.' });
    // Bob's step runs now, not five minutes after the alert.
    await w.asterisk.phone(BOB).expectCall(5000);
    expect((await alert()).owner).to.equal('bob@example.com');
  });

  it('nobody else in the team: the call says so and nothing changes', async () => {
    await world({ team: 'ops', members: ['alice@example.com'] });
    const call = await aliceAtTheMenu();
    call.press('3');
    await call.expectHangup();
    expect(await attempt()).to.include({ digits: '3', action: 'reassign', result: 'There is nobody else to hand it to.' });
    expect(await alert()).to.include({ owner: '', acknowledged: false });
    expect(await w.t.app.db('notifications').where({ source: 'alert' })).to.have.length(1);
  });

  it('a digit nobody has, then silence: the list is read twice, then the main menu, where 1 acknowledges', async () => {
    await world({ team: 'ops', members: ['alice@example.com', 'bob@example.com'] });
    const call = await aliceAtTheMenu();
    call.press('3');
    await call.expectPlayback('number:1');
    call.press('7');
    await call.expectPlayback('number:1');
    // Silence after the second reading: the app's clock runs out the wait for a choice.
    const menus = () => w.asterisk.mediaPlayed(call.channelId).filter((m) => m === 'sound:dozvon/menu').length;
    await w.until(async () => (await w.advance(2000), menus() === 2), 'the main menu again', 15000);
    call.press('1');
    await call.expectHangup();
    expect(await attempt()).to.include({ digits: '371', action: 'acknowledge' });
    expect(await alert()).to.include({ owner: 'alice@example.com', acknowledged: true });
    expect(await w.t.app.db('notifications').where({ source: 'alert' })).to.have.length(1);
  });
});
