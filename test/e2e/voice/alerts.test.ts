/**
 * Alerts through the whole app: the Opsgenie API creates an alert, the escalation runner pages
 * over the durable queue, the fake Asterisk plays the phone, and the menu acts on the alert.
 */
import { expect } from 'chai';
import { voiceWorld, VoiceWorld } from './harness';
import type { ResponderResolver } from '../../../src/alerts/responders';

const FIVE_MIN = 300_000;

describe('voice e2e: Opsgenie-style alerts', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  let key: string;
  afterEach(() => w.close());

  /** Alice first, Bob five minutes later: the shape a team's escalation policy gives. */
  const twoSteps = (): ResponderResolver => ({
    async plan(_responders, team) {
      const alice = await w.t.app.users.getByEmail('alice@example.com');
      const bob = await w.t.app.users.getByEmail('bob@example.com');
      return {
        steps: [
          { afterMs: 0, userIds: [alice!.id], label: 'alice@example.com' },
          { afterMs: FIVE_MIN, userIds: [bob!.id], label: 'bob@example.com' },
        ],
        teamId: team,
        unresolved: [],
      };
    },
  });

  async function world(resolver?: ResponderResolver) {
    w = await voiceWorld({
      env: { DOZVON_ONCALL_URL: '', DOZVON_ONCALL_TOKEN: '' },
      overrides: resolver ? { alertResolver: resolver } : {},
    });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
    await w.t.app.users.create({ email: 'bob@example.com', name: 'Bob Jones', phone: '+15550002222' }, { lang: 'en' });
    key = (await w.t.app.alerts.integrations.create('test', { name: 'am', defaultTeam: 'ops', rules: [] })).key;
    // Both phones exist on the fake network: an unknown number cannot be reached.
    w.asterisk.phone('+15550001111');
    w.asterisk.phone('+15550002222');
    // The escalation runner starts once its cluster lease is taken, on the app's (fake) clock.
    await w.advance(1000);
  }

  const og = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${w.t.url}${path}`, {
      method,
      headers: { authorization: `GenieKey ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const alert = async (alias: string) => (await og('GET', `/v2/alerts/${alias}?identifierType=alias`)).body.data;

  it('a P1 alert calls the responder; 1 acknowledges it, and the API shows it acknowledged with the person as owner', async () => {
    await world();
    const created = await og('POST', '/v2/alerts', {
      message: 'DiskFull db-2',
      alias: 'disk-db-2',
      priority: 'P1',
      entity: 'db-2',
      responders: [{ type: 'user', username: 'alice@example.com' }],
    });
    expect(created.status).to.equal(202);
    const call = await w.asterisk.phone('+15550001111').expectCall();
    call.answer();
    await call.expectPlayback(/dozvon\/menu/);
    call.press('1');
    await call.expectHangup();
    const a = await w.until(async () => {
      const x = await alert('disk-db-2');
      return x.acknowledged ? x : null;
    }, 'the alert to be acknowledged');
    expect(a).to.include({ acknowledged: true, owner: 'alice@example.com', status: 'open' });
    expect(a.report.acknowledgedBy).to.equal('alice@example.com');
    const events = await w.t.app.alerts.service.events(a.id);
    expect(events.map((e) => e.kind)).to.include.members(['created', 'step', 'paged', 'acknowledged']);
    expect(events.find((e) => e.kind === 'acknowledged')!.actor).to.equal('Alice Smith');
    const page = (await w.t.app.db('notifications').where({ source: 'alert' }))[0] as { kind: string; state: string };
    expect(page).to.include({ kind: 'call', state: 'delivered' });
    const attempt = (await w.t.app.db('attempts'))[0] as { digits: string; action: string; result: string };
    expect(attempt).to.include({ digits: '1', action: 'acknowledge', result: 'The alert is acknowledged; it is yours.' });
  });

  it('the call reads the alert: priority, message, entity, count and team', async () => {
    await world();
    await og('POST', '/v2/alerts', {
      message: 'DiskFull db-2',
      alias: 'd',
      priority: 'P2',
      entity: 'db-2',
      responders: [{ type: 'user', username: 'alice@example.com' }],
    });
    await og('POST', '/v2/alerts', { message: 'DiskFull db-2', alias: 'd', priority: 'P2' });
    const n = (await w.t.app.db('notifications').where({ source: 'alert' }).first()) as { id: number };
    const notification = (await w.t.app.notifications.get(n.id))!;
    const alice = (await w.t.app.users.getByEmail('alice@example.com'))!;
    const text = await w.t.app.alerts.speech.text(notification, alice.lang, w.clock.now());
    expect(text).to.equal('Alert, priority 2: DiskFull db-2. On db-2. Occurred 2 times, first just now. Team ops.');
  });

  it('nobody answers: the next step calls the next person after the step delay; acknowledging stops the rest', async () => {
    await world(twoSteps());
    w.asterisk.phone('+15550001111').willRingOut();
    await og('POST', '/v2/alerts', { message: 'API down', alias: 'api', priority: 'P1' });
    await w.asterisk.phone('+15550001111').expectCall();
    const bobCalls = () => w.asterisk.phone('+15550002222').calls;
    await w.advance(FIVE_MIN - 10_000);
    expect(bobCalls(), 'Bob before the delay').to.have.length(0);
    // The runner sets its next timer after its own database work: advance in steps until Bob's
    // page is due rather than in one jump that could pass before the timer exists.
    for (let i = 0; i < 60 && bobCalls().length === 0; i++) {
      await w.advance(1_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const bob = await w.asterisk.phone('+15550002222').expectCall(5000);
    bob.answer();
    await bob.expectPlayback(/dozvon\/menu/);
    bob.press('1');
    await bob.expectHangup();
    const a = await w.until(async () => ((await alert('api')).acknowledged ? alert('api') : null), 'acknowledged by Bob');
    expect(a.owner).to.equal('bob@example.com');
    const steps = (await w.t.app.alerts.service.events(a.id)).filter((e) => e.kind === 'step').map((e) => e.text);
    expect(steps).to.deep.equal(['step 1 of 2: alice@example.com', 'step 2 of 2: bob@example.com']);
  });

  it('close by alias stops the escalation: the next step never pages, and a page still waiting is cancelled', async () => {
    await world(twoSteps());
    w.asterisk.phone('+15550001111').willBeBusy();
    await og('POST', '/v2/alerts', { message: 'API down', alias: 'api', priority: 'P1' });
    await w.asterisk.phone('+15550001111').expectCall();
    await w.until(async () => {
      const p = (await w.t.app.db('notifications').where({ source: 'alert' }).first()) as { state: string; reason: string | null };
      return p?.state === 'pending' && /busy/.test(p.reason ?? '') ? p : null;
    }, "Alice's busy retry to be pending");
    const close = await og('POST', '/v2/alerts/api/close?identifierType=alias', { source: 'am' });
    expect(close.status).to.equal(202);
    const alicePage = (await w.t.app.db('notifications').where({ source: 'alert' }).first()) as { state: string; reason: string };
    expect(alicePage).to.include({ state: 'cancelled' });
    expect(alicePage.reason).to.match(/closed by integration am/);
    await w.advance(FIVE_MIN + 60_000);
    expect(await w.t.app.db('notifications').where({ source: 'alert' })).to.have.length(1);
    expect(w.asterisk.phone('+15550002222').calls).to.have.length(0);
    expect((await alert('api')).status).to.equal('closed');
  });

  it('closed while its call was still ringing: the call ends unanswered and no retry phones anyone about a closed alert', async () => {
    await world(twoSteps());
    w.asterisk.phone('+15550001111').willRingOut();
    await og('POST', '/v2/alerts', { message: 'API down', alias: 'api', priority: 'P1' });
    await w.asterisk.phone('+15550001111').expectCall();
    // The page is leased by the ringing call: the close cannot cancel it, only the call's end can.
    expect(await og('POST', '/v2/alerts/api/close?identifierType=alias', { source: 'am' })).to.have.property('status', 202);
    const page = await w.until(async () => {
      const p = (await w.t.app.db('notifications').where({ source: 'alert' }).first()) as {
        state: string;
        reason: string | null;
        outcome: string | null;
      };
      return p && p.state !== 'active' && p.state !== 'pending' ? p : null;
    }, "Alice's page to be settled after the call");
    expect(page).to.include({ state: 'cancelled', outcome: 'settled-elsewhere' });
    expect(page.reason).to.match(/already closed/);
    await w.advance(FIVE_MIN + 60_000);
    expect(w.asterisk.phone('+15550001111').calls).to.have.length(1);
    expect(w.asterisk.phone('+15550002222').calls).to.have.length(0);
  });

  it('2 escalates to the next step at once; 4 closes the alert', async () => {
    await world(twoSteps());
    await og('POST', '/v2/alerts', { message: 'API down', alias: 'api', priority: 'P1' });
    const alice = await w.asterisk.phone('+15550001111').expectCall();
    alice.answer();
    await alice.expectPlayback(/dozvon\/menu/);
    alice.press('2');
    await alice.expectHangup();
    // No clock advance: Bob's step runs now, not five minutes after the alert.
    const bob = await w.asterisk.phone('+15550002222').expectCall(5000);
    bob.answer();
    await bob.expectPlayback(/dozvon\/menu/);
    bob.press('4');
    await bob.expectHangup();
    const a = await w.until(async () => ((await alert('api')).status === 'closed' ? alert('api') : null), 'closed by Bob');
    expect(a.report.closedBy).to.equal('bob@example.com');
    const kinds = (await w.t.app.alerts.service.events(a.id)).map((e) => `${e.kind}:${e.actor}`);
    expect(kinds).to.include.members(['escalated:Alice Smith', 'closed:Bob Jones']);
  });
});
