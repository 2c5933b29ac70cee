import { expect } from 'chai';
import { HotlineHarness, makeHotlineHarness } from './harness';

const HOUR = 3600_000;
const isTts = (re: RegExp) => (s: string) => s.startsWith('tts:') && re.test(s);
const isPrompt = (id: string) => (s: string) => s === `prompt:${id}`;

describe('hotline: identify, read, navigate, acknowledge (fake Asterisk + fake OnCall)', () => {
  let h: HotlineHarness;

  async function seedIncidents(): Promise<string[]> {
    const now = Date.now();
    const old = h.oncall.state.addAlertGroup({ integrationId: h.integrationId, title: 'Queue backlog on mq-1', createdAt: now - 3 * HOUR });
    const newest = h.oncall.state.addAlertGroup({
      integrationId: h.integrationId,
      title: 'Disk full on db-1',
      createdAt: now - 5 * 60_000,
    });
    const mid = h.oncall.state.addAlertGroup({
      integrationId: h.integrationId,
      title: 'High CPU on web-2',
      createdAt: now - HOUR,
      state: 'acknowledged',
      by: h.ocUsers.dave.id,
    });
    h.oncall.state.addAlertGroup({ integrationId: h.integrationId, title: 'Resolved thing', createdAt: now - 60_000, state: 'resolved' });
    return [newest.id, mid.id, old.id];
  }

  afterEach(async () => h.close());

  it('public mode: an unknown caller hears the count and the newest incident without a PIN, # says goodbye', async () => {
    h = await makeHotlineHarness({ public: true });
    await seedIncidents();
    const caller = h.call('+15557654321');
    const menuAt = await h.waitHeard(caller, isPrompt('hotline_menu'));
    expect(h.heard(caller).slice(0, menuAt + 1)).to.deep.equal([
      'prompt:hotline_welcome',
      'prompt:there_are',
      'number:3',
      'prompt:open_incidents',
      h.heard(caller)[4],
      'prompt:hotline_menu',
    ]);
    expect(h.heard(caller)[4]).to.match(/^tts:Incident 1 of 3\. Incident: Disk full on db-1\. Source: Prometheus\./);
    caller.press('#');
    await h.waitHeard(caller, isPrompt('goodbye'), menuAt);
    await caller.expectHangup();
    const report = await h.reports[0];
    expect(report).to.include({ outcome: 'goodbye', digits: '#', verified: false, userEmail: null });
    expect(h.heard(caller)).to.not.include('prompt:enter_pin');
    expect(report!.states).to.deep.equal(['arrived', 'answering', 'identifying', 'loading', 'reading', 'goodbye', 'done']);
  });

  it('private mode: an unknown caller names themselves (last digits of their phone), then enters their PIN', async () => {
    h = await makeHotlineHarness({ public: false });
    await seedIncidents();
    const caller = h.call('+15557654321');
    const whoAt = await h.waitHeard(caller, isTts(/last four digits of your phone number/));
    expect(h.heard(caller).slice(0, whoAt)).to.deep.equal(['prompt:hotline_welcome']);
    caller.press('0002#'); // Bob's phone ends in 0002
    const pinAt = await h.waitHeard(caller, isPrompt('enter_pin'), whoAt);
    caller.press('5678#');
    const firstAt = await h.waitHeard(caller, isTts(/Incident 1 of 3/), pinAt);
    expect(h.heard(caller).slice(pinAt + 1, firstAt)).to.deep.equal(['prompt:there_are', 'number:3', 'prompt:open_incidents']);
    caller.hangup();
    const report = await h.reports[0];
    expect(report).to.include({ outcome: 'hangup', verified: true, userEmail: 'bob@example.com' });
  });

  it('a known caller with the right PIN acknowledges the incident being read; OnCall gets the acknowledge and a note', async () => {
    h = await makeHotlineHarness({ public: false });
    const [newest, mid] = await seedIncidents();
    const caller = h.call('+15550000001'); // Alice, by caller ID: hears summaries without a PIN
    let at = await h.waitHeard(caller, isPrompt('hotline_menu'));
    expect(h.heard(caller)).to.not.include('prompt:enter_pin');
    caller.press('1'); // second incident: already acknowledged by Dave
    at = await h.waitHeard(caller, isTts(/Incident 2 of 3\. Incident: High CPU on web-2\..*Already acknowledged\./), at);
    caller.press('2'); // back to the newest
    at = await h.waitHeard(caller, isTts(/Incident 1 of 3\. Incident: Disk full/), at);
    caller.press('5');
    at = await h.waitHeard(caller, isPrompt('enter_pin'), at);
    caller.press('1234#');
    at = await h.waitHeard(caller, isTts(/^tts:Acknowledged\.$/), at);
    await h.waitHeard(caller, isPrompt('hotline_menu'), at);
    expect(h.oncall.requestsTo('POST', `/api/v1/alert_groups/${newest}/acknowledge`)).to.have.length(1);
    expect(h.oncall.requestsTo('POST', `/api/v1/alert_groups/${mid}/acknowledge`)).to.have.length(0);
    expect(h.oncall.state.groups.get(newest)!.acknowledgedAt).to.be.a('string');
    expect(h.oncall.state.notes.map((n) => [n.groupId, n.text])).to.deep.equal([
      [newest, 'Acknowledged by hotline call by Alice Smith from +1555*****01 (via dozvon)'],
    ]);
    caller.press('#');
    await caller.expectHangup();
    const report = await h.reports[0];
    expect(report).to.include({ outcome: 'goodbye', verified: true, userEmail: 'alice@example.com' });
    expect(report!.acknowledged).to.deep.equal([newest]);
    expect(report!.states.join('>')).to.include('reading>pin>acting>reading');
  });

  it("require_pin: a known caller enters their own PIN first; another user's PIN does not do", async () => {
    h = await makeHotlineHarness({ public: true, section: { require_pin: true } });
    await seedIncidents();
    const caller = h.call('+15550000001');
    let at = await h.waitHeard(caller, isPrompt('enter_pin'));
    caller.press('5678#'); // Bob's PIN, from Alice's phone
    at = await h.waitHeard(caller, isPrompt('wrong_pin'), at);
    caller.press('1234#');
    const readAt = await h.waitHeard(caller, isTts(/Incident 1 of 3/), at);
    caller.press('5'); // already verified: no second PIN
    await h.waitHeard(caller, isTts(/^tts:Acknowledged\.$/), readAt);
    caller.hangup();
    const report = await h.reports[0];
    expect(report).to.include({ verified: true, userEmail: 'alice@example.com' });
    expect(h.heard(caller).filter(isPrompt('wrong_pin'))).to.have.length(1);
    expect(h.heard(caller).slice(readAt).filter(isPrompt('enter_pin'))).to.have.length(0);
    expect(report!.acknowledged).to.have.length(1);
  });

  it('three wrong PINs end the call, and nothing is acknowledged', async () => {
    h = await makeHotlineHarness({ public: false });
    await seedIncidents();
    const caller = h.call('+15557654321');
    let at = await h.waitHeard(caller, isTts(/last four digits/));
    caller.press('0002*0000#'); // who and PIN in one go
    at = await h.waitHeard(caller, isPrompt('wrong_pin'), at);
    caller.press('0002*1111#');
    at = await h.waitHeard(caller, isPrompt('wrong_pin'), at + 1);
    caller.press('0002*9999#');
    at = await h.waitHeard(caller, isPrompt('wrong_pin'), at + 1);
    await h.waitHeard(caller, isPrompt('goodbye'), at);
    await caller.expectHangup();
    const report = await h.reports[0];
    expect(report).to.include({ outcome: 'wrong-pin', verified: false });
    expect(h.heard(caller).filter((s) => s.startsWith('tts:Incident'))).to.deep.equal([]);
    expect(h.oncall.requests.filter((r) => r.method === 'POST')).to.deep.equal([]);
  });

  it('navigation: 1 next, 2 previous, 0 repeat, newest first, with an end-of-list notice', async () => {
    h = await makeHotlineHarness({ public: true });
    await seedIncidents();
    const caller = h.call('+15557654321');
    let at = await h.waitHeard(caller, isPrompt('hotline_menu'));
    for (const d of ['1', '1', '1', '2', '0', '2', '2']) {
      caller.press(d);
      at = await h.waitHeard(caller, isPrompt('hotline_menu'), at + 1);
    }
    const said = h
      .heard(caller)
      .filter((s) => s.startsWith('tts:'))
      .map((s) => s.replace(/^tts:(Incident \d of 3)\. Incident: ([^.]+)\..*$/, '$1 $2'));
    expect(said).to.deep.equal([
      'Incident 1 of 3 Disk full on db-1',
      'Incident 2 of 3 High CPU on web-2',
      'Incident 3 of 3 Queue backlog on mq-1',
      'tts:That was the last incident.',
      'Incident 2 of 3 High CPU on web-2',
      'Incident 2 of 3 High CPU on web-2',
      'Incident 1 of 3 Disk full on db-1',
      'tts:This is the first incident.',
    ]);
    caller.hangup();
    expect(await h.reports[0]).to.include({ outcome: 'hangup', digits: '1112022' });
  });

  it('OnCall unreachable: says so and reads the last day of dozvon pages, newest first, once each', async () => {
    h = await makeHotlineHarness({ public: true });
    await h.oncall.setDown('refused');
    const at = (ms: number) =>
      new (h.notifications.constructor as typeof import('../../../src/db/notifications-repo').NotificationsRepo)(h.tdb.db, () => ms);
    const now = Date.now();
    await at(now - 30 * HOUR).enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: null,
      email: 'a@example.com',
      message: 'Ancient page',
    });
    await at(now - 2 * HOUR).enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: null,
      email: 'a@example.com',
      message: 'Database down',
    });
    await at(now - 2 * HOUR).enqueue({
      kind: 'sms',
      source: 'oncall-cloud',
      userId: null,
      email: 'b@example.com',
      message: 'Database down',
    });
    await at(now - 10 * 60_000).enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: null,
      email: 'a@example.com',
      message: 'Certificate expires',
    });
    const caller = h.call('+15557654321');
    let i = await h.waitHeard(caller, isPrompt('hotline_menu'));
    expect(h.heard(caller).slice(0, 5)).to.deep.equal([
      'prompt:hotline_welcome',
      h.heard(caller)[1],
      'prompt:there_are',
      'number:2',
      'prompt:open_incidents',
    ]);
    expect(h.heard(caller)[1]).to.match(/^tts:OnCall cannot be reached/);
    expect(h.heard(caller)[5]).to.match(/^tts:Incident 1 of 2\. Certificate expires\./);
    caller.press('1');
    i = await h.waitHeard(caller, isTts(/Incident 2 of 2\. Database down\./), i);
    caller.press('1');
    await h.waitHeard(caller, isTts(/last incident/), i);
    caller.hangup();
    await h.reports[0];
    expect(h.tts.texts.join('\n')).to.not.include('Ancient page');
  });

  it('a burst of callers reads OnCall once (short cache)', async () => {
    h = await makeHotlineHarness({ public: true });
    await seedIncidents();
    const a = h.call('+15557654321');
    const b = h.call('+15557654322');
    await Promise.all([h.waitHeard(a, isPrompt('hotline_menu')), h.waitHeard(b, isPrompt('hotline_menu'))]);
    a.hangup();
    b.hangup();
    await Promise.all(h.reports);
    expect(h.oncall.requestsTo('GET', '/api/v1/alert_groups').length).to.equal(2); // firing + acknowledged, once
  });

  it('a caller hanging up mid-prompt leaves no timers or sessions behind', async () => {
    h = await makeHotlineHarness({ public: true });
    await seedIncidents();
    const caller = h.call('+15557654321');
    await h.waitHeard(caller, isPrompt('there_are'));
    caller.hangup();
    const report = await h.reports[0];
    expect(report!.outcome).to.equal('hangup');
    expect(h.clock.pending()).to.equal(0);
    expect(h.hotline.activeCalls()).to.equal(0);
  });
});
