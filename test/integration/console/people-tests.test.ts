/**
 * Test calls and messages from the person page, through the whole app: the fake Asterisk answers
 * and presses 1 while the console's event stream reports each step; a fake SMS gateway delivers
 * the test SMS and the verification code, which the operator then types into the console.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { voiceWorld, VoiceWorld } from '../../e2e/voice/harness';
import { FakeSmsGateway } from '../../fakes/senders';
import { startConsoleApp, ConsoleClient, RunningApp, ADMIN_TOKEN } from './harness';
import { EventStream, stepTexts } from '../../helpers/sse';

/** A session cookie of its own (the login form's answer), for requests made outside ConsoleClient. */
async function sessionCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/login`, { method: 'POST', body: new URLSearchParams({ token: ADMIN_TOKEN }), redirect: 'manual' });
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

describe('console test call with live progress (fake Asterisk)', function () {
  this.timeout(30_000);
  let w: VoiceWorld;
  let c: ConsoleClient;
  let cookie: string;
  before(async () => {
    w = await voiceWorld({ env: { DOZVON_ONCALL_URL: '', DOZVON_ONCALL_TOKEN: '' } });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
    c = await ConsoleClient.signIn(w.t.url);
    cookie = await sessionCookie(w.t.url);
  });
  after(async () => w?.close());

  it('the stream shows dialing → ringing → answered → 1 → ended as they happen, then the finished page', async () => {
    const person = await c.html('/console/people/alice%40example.com');
    expect(person).to.match(/<button type="submit" class="">Test call<\/button>/);
    const phone = w.asterisk.phone('+15550001111');
    const start = await c.post('/console/people/alice%40example.com/test-call', { live: '1' });
    expect(start.status).to.equal(303);
    const page = start.headers.get('location')!;
    const m = /^\/console\/people\/alice%40example\.com\/test\/(\d+)\?live=1$/.exec(page);
    expect(m, page).to.not.equal(null);
    const id = Number(m![1]);
    const row = (await w.t.app.notifications.get(id))!;
    expect(row).to.include({ kind: 'call', source: 'test-call', email: 'alice@example.com' });
    const [entry] = await w.t.app.db('audit_log').where({ action: 'user.test-call' });
    expect(entry.target).to.equal('alice@example.com');

    // The live page does not reload itself; the stream does the updating.
    const live = await c.html(page);
    expect(live).not.to.include('http-equiv="refresh"');
    expect(live).to.include(`data-events="/console/people/alice%40example.com/test/${id}/events"`);

    const stream = await EventStream.open(`${w.t.url}/console/people/alice%40example.com/test/${id}/events`, { cookie });
    expect(stream.status).to.equal(200);
    expect(stream.contentType).to.match(/^text\/event-stream/);

    const call = await phone.expectCall(5000);
    // Without the script the page reloads every 2 s while the call is on.
    expect(await c.html(`/console/people/alice%40example.com/test/${id}`)).to.include('<meta http-equiv="refresh" content="2">');
    call.answer();
    await call.expectPlayback(/dozvon\/menu/, 5000);
    call.press('1');
    await call.expectPlayback(/dozvon\/got_it/, 5000);
    await call.expectHangup(5000);

    const events = await stream.until((e) => e.event === 'done', 20_000);
    stream.close();
    const steps = stepTexts(events);
    expect(steps[0]).to.equal('Queued');
    const order = ['Dialing', 'Ringing', 'Answered', 'Pressed 1', 'Taken: Got it. The test call worked.', 'Call ended: answered'];
    expect(steps.filter((s) => order.some((o) => s.startsWith(o)))).to.deep.equal(order.map((o) => steps.find((s) => s.startsWith(o))));
    let at = -1;
    for (const o of order) {
      const i = steps.findIndex((s) => s.startsWith(o));
      expect(i, `${o} in ${JSON.stringify(steps)}`).to.be.greaterThan(at);
      at = i;
    }
    const done = events[events.length - 1];
    expect(done.event).to.equal('done');
    expect(JSON.parse(done.data)).to.include({ state: 'delivered' });
    // Ids count the steps, so a reconnecting client resumes where it was.
    expect(events.filter((e) => e.event === 'step').map((e) => e.id)).to.deep.equal(steps.map((_, i) => String(i)));

    const final = await c.html(`/console/people/alice%40example.com/test/${id}`);
    expect(final).not.to.include('http-equiv="refresh"');
    expect(final).to.include('Delivered: pressed 1: Got it. The test call worked.');
    expect(final).to.include('id="test-record"').and.include('take: Got it. The test call worked.');
    expect(final).to.match(/<span class="mono">1<\/span>/); // the digits column of the attempt

    // After a reconnect (Last-Event-ID) only the rest comes, then done at once.
    const again = await EventStream.open(`${w.t.url}/console/people/alice%40example.com/test/${id}/events`, {
      cookie,
      'last-event-id': String(steps.length - 2),
    });
    const rest = await again.until((e) => e.event === 'done');
    expect(stepTexts(rest)).to.deep.equal([steps[steps.length - 1]]);
    await again.until(() => false, 2000); // the server ends the stream after done
    expect(again.closedByServer).to.equal(true);

    // The person page lists the run.
    expect(await c.html('/console/people/alice%40example.com')).to.include(`href="/console/people/alice%40example.com/test/${id}"`);
  });

  it('a call that did not reach the person shows why (busy) and that it will be retried', async () => {
    await w.t.app.users.create({ email: 'bob@example.com', name: 'Bob Jones', phone: '+15550002222' }, { lang: 'ru' });
    w.asterisk.phone('+15550002222').willBeBusy();
    const start = await c.post('/console/people/bob%40example.com/test-call', {});
    const page = start.headers.get('location')!;
    expect(page).to.match(/\/test\/\d+$/);
    const id = Number(/(\d+)$/.exec(page)![1]);
    const stream = await EventStream.open(`${w.t.url}${page}/events`, { cookie });
    const events = await stream.until((e) => e.event === 'step' && /Call ended/.test(e.data));
    expect(stepTexts(events).slice(-1)[0]).to.match(/^Call ended: busy/);
    expect(events.some((e) => e.event === 'done')).to.equal(false);
    stream.close();
    // The busy call is retried later; the row waits for it.
    const html = await c.html(page);
    expect(html).to.include('Will try again');
    expect((await w.t.app.notifications.get(id))!.state).to.equal('pending');
  });
});

describe('console test SMS and phone verification (fake SMS gateway)', function () {
  this.timeout(30_000);
  let app: RunningApp;
  let gw: FakeSmsGateway;
  let c: ConsoleClient;
  let dir: string;
  before(async () => {
    gw = await FakeSmsGateway.start();
    dir = mkdtempSync(join(tmpdir(), 'dozvon-people-sms-'));
    const file = join(dir, 'dozvon.yaml');
    writeFileSync(
      file,
      `senders:\n  sms:\n    - { type: http, name: gw, url: "${gw.url}/send", body: { to: "{{to}}", text: "{{text}}" } }\n`,
    );
    app = await startConsoleApp({ DOZVON_CONFIG: file }, { startEngines: true, sweepMs: 200 });
    await app.app.users.create(
      { email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111', channels: ['sms'] },
      { lang: 'en' },
    );
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => {
    await app?.close();
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('buttons that cannot work are disabled with the reason: no telephony, no push sender', async () => {
    const html = await c.html('/console/people/alice%40example.com');
    expect(html).to.match(/<button type="submit" class="" disabled aria-describedby="why-test-call">Test call<\/button>/);
    expect(html).to.include('id="why-test-call" class="hint">No telephony: Asterisk is not configured');
    expect(html).to.match(/disabled aria-describedby="why-test-push">Test push/);
    expect(html).to.include('No push sender is configured');
    expect(html).to.match(/<button type="submit" class="secondary">Test SMS<\/button>/);
    expect(html).to.match(/value="call" disabled aria-describedby="why-verify-call">Send code by call/);
    // Posting anyway is refused with the same reason, and nothing is queued.
    const res = await c.post('/console/people/alice%40example.com/test-call', {});
    expect(res.status).to.equal(409);
    expect(await res.text()).to.include('Cannot place a test call. No telephony');
    const verify = await c.post('/console/people/alice%40example.com/verify', { method: 'call' });
    expect(verify.status).to.equal(409);
    expect(await app.app.db('notifications').count({ n: '*' })).to.deep.equal([{ n: 0 }]);
  });

  it('a test SMS goes through the gateway and the progress page shows it delivered', async () => {
    const start = await c.post('/console/people/alice%40example.com/test-sms', {});
    expect(start.status).to.equal(303);
    const page = start.headers.get('location')!;
    const stream = await EventStream.open(`${app.url}${page}/events`, { cookie: await sessionCookie(app.url) });
    const events = await stream.until((e) => e.event === 'done');
    stream.close();
    expect(stepTexts(events)).to.deep.equal(['Queued', 'Sending through gw', 'Sent through gw: id sms-1']);
    expect(JSON.parse(events[events.length - 1].data)).to.include({ state: 'delivered' });
    const sms = JSON.parse(gw.last().body) as { to: string; text: string };
    expect(sms).to.deep.equal({ to: '+15550001111', text: 'dozvon test message: if you can read this, SMS pages reach you.' });
    const html = await c.html(page);
    expect(html).to.include('Delivered: sent by sms').and.include('sms:gw');
    const ru = await (await c.get(`${page}?lang=ru`)).text();
    expect(ru).to.include('Тестовое SMS').and.include('Доставлено');
    const audit = (await (
      await fetch(`${app.url}/api/admin/audit?action=user.test-sms`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as { results: unknown[] };
    expect(audit.results).to.have.length(1);
  });

  it('sends a verification code by SMS; the code the person reads back verifies the number', async () => {
    await app.app.users.update('alice@example.com', { phone_verified: false });
    const sent = await c.post('/console/people/alice%40example.com/verify', { method: 'sms' });
    expect(sent.status).to.equal(303);
    expect(sent.headers.get('location')).to.equal('/console/people/alice%40example.com?done=code-sms');
    const text = (JSON.parse(gw.last().body) as { text: string }).text;
    const code = /code is (\d{6})/.exec(text)![1];
    const pending = await c.html('/console/people/alice%40example.com?done=code-sms');
    expect(pending).to.include('The code is on its way by SMS').and.include('A code was sent by SMS (5 tries left)');
    const wrong = await c.post('/console/people/alice%40example.com/confirm', { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).to.equal(422);
    expect(await wrong.text()).to.include('Wrong code: 4 tries left');
    expect((await app.app.users.getByEmail('alice@example.com'))!.phoneVerified).to.equal(false);
    const ok = await c.post('/console/people/alice%40example.com/confirm', { code });
    expect(ok.headers.get('location')).to.equal('/console/people/alice%40example.com?done=verified');
    expect((await app.app.users.getByEmail('alice@example.com'))!.phoneVerified).to.equal(true);
    expect(await c.html('/console/people/alice%40example.com')).to.include('Verified with a code by SMS');
    // A second code within the minute is refused with the wait.
    const soon = await c.post('/console/people/alice%40example.com/verify', { method: 'sms' });
    expect(soon.status).to.equal(429);
    expect(await soon.text()).to.match(/less than a minute ago\. Try again in \d+ s/);
  });

  it('with two phones, each has its own verify buttons and mark; a code for the second goes to the second alone', async () => {
    await app.app.users.create(
      {
        email: 'bob@example.com',
        name: 'Bob',
        phones: [
          { number: '+15550003333', label: 'mobile' },
          { number: '+15550004444', label: 'desk', verified: false },
        ],
      },
      { lang: 'en' },
    );
    const page = await c.html('/console/people/bob%40example.com');
    expect(page).to.match(/\+1555\*+33<\/span> <small><bdi>mobile<\/bdi><\/small> <span class="badge good">verified/);
    expect(page).to.match(/\+1555\*+44<\/span> <small><bdi>desk<\/bdi><\/small> <span class="badge warn">not verified/);
    expect(page).to.include('<input type="hidden" name="phone" value="1">').and.not.include('+15550004444');
    expect((await c.post('/console/people/bob%40example.com/verify', { method: 'sms', phone: '7' })).status).to.equal(400);
    const sent = await c.post('/console/people/bob%40example.com/verify', { method: 'sms', phone: '1' });
    expect(sent.status).to.equal(303);
    const sms = JSON.parse(gw.last().body) as { to: string; text: string };
    expect(sms.to).to.equal('+15550004444');
    const pending = await c.html('/console/people/bob%40example.com');
    expect(pending).to.match(/<span class="mono">\+1555\*+44<\/span>: A code was sent by SMS/);
    const ok = await c.post('/console/people/bob%40example.com/confirm', { code: /code is (\d{6})/.exec(sms.text)![1] });
    expect(ok.status).to.equal(303);
    expect((await app.app.users.getByEmail('bob@example.com'))!.phones.map((p) => p.verified)).to.deep.equal([true, true]);
  });
});

describe('console test progress stream and shutdown', function () {
  this.timeout(15_000);

  it('an open stream ends when the app stops, instead of holding up the shutdown', async () => {
    const app = await startConsoleApp();
    let closed = false;
    try {
      const u = await app.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
      // Engines are off: the row stays pending and the stream has nothing to end it.
      const { notification } = await app.app.notifications.enqueue({
        kind: 'sms',
        source: 'test-sms',
        userId: u.id,
        email: u.email,
        message: 'test',
      });
      const stream = await EventStream.open(`${app.url}/console/people/alice%40example.com/test/${notification.id}/events`, {
        cookie: await sessionCookie(app.url),
      });
      const first = await stream.until((e) => e.event === 'step');
      expect(stepTexts(first)).to.deep.equal(['Queued']);
      const t0 = Date.now();
      await app.close();
      closed = true;
      expect(Date.now() - t0, 'shutdown time').to.be.below(5_000);
      await stream.until(() => false, 1000);
      expect(stream.closedByServer).to.equal(true);
    } finally {
      if (!closed) await app.close();
    }
  });
});
