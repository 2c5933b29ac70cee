/**
 * Through the whole app: digits on pages that have no OnCall alert
 * group behind them (a test call, a heartbeat page) and on OnCall pages whose incident could not
 * be identified. Only pages tied to an alert group act on OnCall.
 */
import { expect } from 'chai';
import { voiceWorld, VoiceWorld } from './harness';
import { FakeSmsGateway } from '../../fakes/senders';

const SMS_YAML = (url: string) =>
  `senders:\n  sms:\n    - { type: http, name: gw, url: "${url}/send", body: { to: "{{to}}", text: "{{text}}" } }\n`;
const phoneMessage = (integration: string, title: string, n: number) =>
  `You are invited to check an Alert Group from Grafana OnCall. Alert via ${integration} with title ${title} triggered ${n} times`;

describe('voice e2e: digits without OnCall', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  let gw: FakeSmsGateway | null = null;
  const sms = () => gw!;
  afterEach(async () => {
    await w.close();
    await gw?.close();
    gw = null;
  });

  const row = (id: number) =>
    w.until(async () => (await w.rows()).find((r) => r.id === id && r.state !== 'pending' && r.state !== 'active'), `page ${id} to finish`);
  const attempt = async (id: number) =>
    (await w.t.app.db('attempts').where({ notification_id: id }))[0] as { digits: string; action: string; result: string };
  const oncallWrites = () => w.oncall.requests.filter((r) => r.method !== 'GET');

  it('test call without OnCall configured (the README\'s first call): 1 means "got it", and the caller hears so', async () => {
    w = await voiceWorld({ env: { DOZVON_ONCALL_URL: '', DOZVON_ONCALL_TOKEN: '' } });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
    const p = w.asterisk.phone('+15550001111');
    const done = fetch(`${w.t.url}/api/admin/test-call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.t.app.config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.com', text: 'This is a dozvon test call', wait_seconds: 20 }),
    });
    const call = await p.expectCall();
    call.answer();
    await call.expectPlayback(/dozvon\/menu/);
    call.press('1');
    await call.expectPlayback(/dozvon\/got_it/);
    await call.expectHangup();
    const body = (await (await done).json()) as {
      state: string;
      reason: string;
      attempts: { digits: string; action: string; result: string }[];
    };
    expect(body).to.include({ state: 'delivered', reason: 'pressed 1: Got it. The test call worked.' });
    expect(body.attempts[0]).to.include({ digits: '1', action: 'take', result: 'Got it. The test call worked.' });
    expect(w.oncall.requests).to.have.length(0);
  });

  it('heartbeat page: 1 takes it, the rest of the page list is told who took it, a page still waiting for its call is cancelled', async () => {
    gw = await FakeSmsGateway.start();
    w = await voiceWorld({ yaml: SMS_YAML(gw.url) });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
    await w.t.app.users.create(
      { email: 'bob@example.com', name: 'Bob Jones', phone: '+15550002222', channels: ['voice', 'sms'] },
      { lang: 'en' },
    );
    await w.t.app.users.create(
      { email: 'carol@example.com', name: 'Carol White', phone: '+15550003333', channels: ['sms'] },
      { lang: 'ru' },
    );
    w.asterisk.phone('+15550002222').willBeBusy(); // Bob's page waits for its busy retry
    const alice = w.asterisk.phone('+15550001111');
    await w.t.app.heartbeats.create({
      name: 'db-backup',
      kind: 'healthchecks',
      periodS: 3600,
      graceS: 60,
      page: ['alice@example.com', 'bob@example.com', 'carol@example.com'],
    });
    await w.t.app.heartbeats.fail('db-backup', 'backup script exited 1');
    const call = await alice.expectCall();
    const pages = async () =>
      (await w.t.app.db('notifications').where({ source: 'heartbeat' }).orderBy('id')) as {
        id: number;
        email: string;
        kind: string;
        state: string;
        reason: string | null;
      }[];
    await w.until(
      async () => (await pages()).find((r) => r.email === 'bob@example.com' && r.state === 'pending' && /busy/.test(r.reason ?? '')),
      "Bob's busy retry to be pending",
    );
    call.answer();
    await call.expectPlayback(/dozvon\/menu/);
    call.press('1');
    await call.expectPlayback(/dozvon\/got_it/);
    await call.expectHangup();

    const mine = (await pages()).find((r) => r.email === 'alice@example.com')!;
    const finished = await row(mine.id);
    expect(finished).to.include({ state: 'delivered', reason: 'pressed 1: Got it. Bob Jones and Carol White are told that you took it.' });
    expect(await attempt(mine.id)).to.include({ digits: '1', action: 'take' });
    const bob = (await pages()).find((r) => r.email === 'bob@example.com')!;
    expect(bob).to.include({ state: 'cancelled', reason: 'taken by Alice Smith' });

    const notices = async () =>
      (await w.t.app.db('notifications').where({ source: 'page-taken' }).orderBy('id')) as {
        email: string;
        kind: string;
        state: string;
        message: string;
      }[];
    await w.until(async () => (await notices()).length === 2, 'a notice for each of the others');
    const [toBob, toCarol] = await notices();
    expect(toBob).to.include({ email: 'bob@example.com', kind: 'sms' });
    expect(toBob.message).to.match(/^dozvon: Alice Smith took this page\. .*db-backup/);
    expect(toCarol).to.include({ email: 'carol@example.com', kind: 'sms' });
    expect(toCarol.message).to.match(/^дозвон: Alice Smith взял\(а\) этот вызов на себя\./);
    // The notices go out (Carol's SMS waits for the SMS spacing after her heartbeat SMS), and Bob is not called again.
    await w.advance(120_000);
    await w.until(async () => (await notices()).every((n) => n.state === 'delivered'), 'both notices sent');
    expect(
      sms()
        .requests.map((r) => r.body)
        .filter((b) => /Alice Smith/.test(b)),
    ).to.have.length(2);
    expect(
      w.asterisk.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels' && /2222/.test(r.query.endpoint)),
    ).to.have.length(1);
    expect(oncallWrites()).to.have.length(0);
  });
});

describe('voice e2e: never act on a guess', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  afterEach(() => w.close());

  for (const digit of ['1', '4']) {
    it(`a title nobody has seen is not tied to the one firing group with that alert count; ${digit} says to use OnCall and changes nothing`, async () => {
      w = await voiceWorld();
      const integ = w.oncall.state.addIntegration({ name: 'Prod', type: 'formatted_webhook' });
      const disk = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on web-07', alerts: [{}] });
      await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
      const said: string[] = [];
      const tts = w.t.app.tts as unknown as { render: (text: string, ...rest: unknown[]) => Promise<unknown> };
      const render = tts.render.bind(tts);
      tts.render = (text, ...rest) => (said.push(text), render(text, ...rest));
      const p = w.asterisk.phone('+15550001111');
      const id = await w.makeCall('alice@example.com', phoneMessage('Prod - Formatted webhook', 'Something nobody has seen', 1));
      const call = await p.expectCall();
      call.answer();
      await call.expectPlayback(/dozvon\/menu/);
      call.press(digit);
      await call.expectPlayback(/dozvon\/not_identified/);
      await call.expectHangup();

      const r = await row(id);
      expect(r.state).to.equal('delivered');
      expect(r.reason).to.equal(
        `pressed ${digit}: The incident could not be identified in OnCall, so nothing was changed. Please use OnCall.`,
      );
      const [n] = await w.t.app.db('notifications').where({ id });
      expect(n.alert_group_id).to.equal(null);
      expect(n.correlation).to.be.oneOf([null, 'none']);
      const [a] = await w.t.app.db('attempts').where({ notification_id: id });
      expect(a).to.include({
        action: digit === '1' ? 'acknowledge' : 'resolve',
        result: 'The incident could not be identified in OnCall, so nothing was changed. Please use OnCall.',
      });
      // The call read the message OnCall sent, not the unrelated group's title.
      expect(said.some((t) => t.includes('Something nobody has seen'))).to.equal(true);
      expect(said.some((t) => t.includes('Disk full'))).to.equal(false);
      expect(w.oncall.state.groups.get(disk.id)).to.include({ acknowledgedBy: null, resolvedBy: null });
      expect(w.oncall.requests.filter((q) => q.method === 'POST')).to.have.length(0);
    });
  }

  async function row(id: number) {
    return w.until(
      async () => (await w.rows()).find((r) => r.id === id && r.state !== 'pending' && r.state !== 'active'),
      `page ${id} to finish`,
    );
  }
});
