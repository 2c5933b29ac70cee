/**
 * A full app run at trace level — pages rung and acknowledged, a hotline caller with a PIN, ack
 * and verification links (one ending 502), voicemail and media links, heartbeat keys in paths,
 * the status-page login, the admin API, malformed bodies — and then every log line is searched
 * for every secret the run created, and for keys written twice.
 */
import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './voice/harness';
import { captureLogs, CapturedLogs, repeatedKeys } from '../helpers/log-scan';
import { ADMIN_TOKEN, CLOUD_TOKEN, CLOUD_TOKEN_2 } from '../helpers/app';
import { pyRequest, rawRequest } from '../helpers/raw-http';
import { AckLinks } from '../../src/links';
import { VerifyLinks } from '../../src/verify/links';
import { HotlineMessagesRepo, messageUrl } from '../../src/hotline';

const PUBLIC = 'http://dozvon.test:8080/oncall/';
const HB_KEY = 'log-scan-heartbeat-key-4f1c2a';
const LINK_SECRET = 'log-scan-link-secret-9d8e7f6a';
const PIN = '86420975';
const ALICE_PHONE = '+15550001111';
const CALLER = '+15557654321';

describe('nothing secret in any log line, at any level', function () {
  this.timeout(60_000);
  let w: VoiceWorld;
  let logs: CapturedLogs;
  const secrets = new Set<string>([CLOUD_TOKEN, CLOUD_TOKEN_2, ADMIN_TOKEN, HB_KEY, LINK_SECRET, PIN, 'tok-alice-0123456789', 'svc-token']);

  before(async () => {
    logs = captureLogs('trace');
    w = await voiceWorld({
      logger: logs.logger,
      env: { DOZVON_PUBLIC_URL: PUBLIC, DOZVON_HEARTBEAT_KEYS: HB_KEY, DOZVON_LINK_SECRET: LINK_SECRET, DOZVON_HOTLINE_PUBLIC: 'false' },
    });
    secrets.add(w.asterisk.password);
    w.oncall.state.addUser({ email: 'alice@example.com', token: 'tok-alice-0123456789', username: 'alice' });
    await w.t.app.users.create(
      { email: 'alice@example.com', name: 'Alice Smith', phone: ALICE_PHONE, pin: PIN, oncall_token: 'tok-alice-0123456789' },
      { lang: 'en' },
    );
  });
  after(() => w?.close());

  const http = (method: string, path: string, opts: { headers?: Record<string, string>; body?: string; type?: string } = {}) =>
    fetch(`${w.t.url}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(opts.type ? { 'content-type': opts.type } : {}), ...opts.headers },
      body: opts.body,
    });

  async function whileAdvancing<T>(p: Promise<T>): Promise<T> {
    let done = false;
    void p.finally(() => (done = true)).catch(() => undefined);
    while (!done) await w.advance(1000);
    return p;
  }

  it('runs the flows that handle secrets', async () => {
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    const group = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'High CPU on db-1' });

    // A page rung and acknowledged by digit 1.
    w.asterisk.phone(ALICE_PHONE).willAnswerAfter(100).willPress('1', { afterPlaybackStartMs: 50 });
    const id = await w.makeCall('alice@example.com', pageText('High CPU on db-1', group.id));
    await w.until(async () => (await w.rows()).find((r) => r.id === id && r.state === 'delivered'), 'the page to be delivered');

    // Wrong and right cloud tokens, a deep and a broken body.
    await rawRequest(w.t.port, pyRequest('GET', '/oncall/api/v1/info/', { token: CLOUD_TOKEN_2 }));
    await rawRequest(w.t.port, pyRequest('GET', '/api/v1/info/', { token: 'not-the-token-at-all' }));
    await rawRequest(
      w.t.port,
      pyRequest('POST', '/api/v1/make_call', { token: CLOUD_TOKEN, body: '['.repeat(10_000), contentType: 'application/json' }),
    );
    await http('POST', '/api/v1/make_call', {
      headers: { authorization: CLOUD_TOKEN, 'content-encoding': 'gzip' },
      body: 'garbage',
      type: 'application/json',
    });

    // The OnCall heartbeat link (its token is in the path).
    const created = await rawRequest(
      w.t.port,
      pyRequest('POST', '/oncall/api/v1/integrations/', { token: CLOUD_TOKEN, body: 'type=formatted_webhook&name=OnCall+Cloud+Heartbeat' }),
    );
    const link = new URL((created.json() as { heartbeat: { link: string } }).heartbeat.link);
    secrets.add(link.pathname.split('/')[5]);
    await http('GET', link.pathname);
    await http('POST', link.pathname.replace('/oncall', ''));

    // Ack links: shown, then acknowledged while OnCall is down (502), then an expired one.
    const links = new AckLinks({ secret: LINK_SECRET, clock: w.t.app.clock, publicUrl: PUBLIC });
    const ack = new URL(links.url(id));
    secrets.add(ack.pathname.split('/').pop()!);
    await http('GET', ack.pathname);
    await w.oncall.setDown(503);
    // OnCall's retries and the action's deadline run on the app's fake clock: move it along meanwhile.
    const failed = await whileAdvancing(http('POST', ack.pathname, { body: '', type: 'application/x-www-form-urlencoded' }));
    expect(failed.status).to.equal(502);
    await w.oncall.setDown(false);
    const expired = new URL(links.url(id, -1000)).pathname;
    secrets.add(expired.split('/').pop()!);
    await http('POST', expired, { body: 't=x', type: 'application/x-www-form-urlencoded' });

    // A verification link (names no live code: 409), GET and POST with a code.
    const verify = new URL(new VerifyLinks(LINK_SECRET, PUBLIC, w.t.app.clock).url('verifyid0123', w.t.app.clock.now() + 600_000));
    secrets.add(verify.pathname.split('/').pop()!);
    await http('GET', verify.pathname);
    await http('POST', verify.pathname.replace('/oncall', ''), { body: 'code=123456', type: 'application/x-www-form-urlencoded' });

    // A voicemail recording and a guess at one; a media name.
    const vm = 'VmLogScan0123456789abcdefghijklm';
    secrets.add(vm);
    await new HotlineMessagesRepo(w.t.app.db).insert({
      token: vm,
      caller: CALLER,
      userId: null,
      recordedAt: Date.now(),
      durationMs: 1000,
      contentType: 'audio/wav',
      incidentId: null,
      alertUid: 'dozvon-hotline-log',
      audio: Buffer.from('RIFF'),
    });
    expect((await http('GET', new URL(messageUrl(PUBLIC, vm)).pathname)).status).to.equal(200);
    await http('GET', '/hotline/messages/GuessGuessGuessGuessGuess01.wav');
    await http('GET', '/media/0123456789abcdef0123456789abcdef.wav');

    // Heartbeat keys in the path, the header and the query; an error on /ping/<key>/….
    await http('GET', `/ping/${HB_KEY}/nightly?create=1`);
    await http('POST', `/oncall/ping/${HB_KEY}/nightly/fail`);
    await http('POST', `/ping/${HB_KEY}/nightly/log`, { body: '{"a":', type: 'application/json' });
    await http('GET', `/ping/${HB_KEY}/unknown-heartbeat/log`);
    await http('GET', `/ping/${HB_KEY}`);
    await http('GET', `/v2/heartbeats?apiKey=${HB_KEY}`);
    await http('GET', '/v2/heartbeats', { headers: { authorization: `GenieKey ${HB_KEY}` } });
    await http('POST', '/api/v1/alertmanager', {
      headers: { authorization: `Bearer ${HB_KEY}` },
      body: '{"receiver":',
      type: 'application/json',
    });

    // The status page: wrong and right tokens, the session cookie, logout.
    await http('POST', '/oncall/login', { body: 'token=wrong-token-guess', type: 'application/x-www-form-urlencoded' });
    const login = await http('POST', '/oncall/login', {
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
      type: 'application/x-www-form-urlencoded',
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    secrets.add(cookie.split('=')[1]);
    expect((await http('GET', '/oncall/', { headers: { cookie } })).status).to.equal(200);
    await http('POST', '/oncall/logout', { headers: { cookie } });

    // The admin API, right and wrong.
    await http('GET', '/api/admin/users/alice%40example.com', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    await http('GET', '/api/admin/users', { headers: { authorization: 'Bearer wrong-admin-token-guess' } });
    await http('POST', '/api/admin/users', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: '{"email":"x@example.com","name":"X","pin":"11112222"',
      type: 'application/json',
    });

    // A hotline caller from an unknown number names Alice and enters her PIN; another call guesses wrong.
    const caller = w.asterisk.inboundCall({ from: CALLER, args: ['hotline'] });
    await caller.expectPlayback(/dozvon\/hotline_welcome/);
    caller.press(`1111*${PIN}#`);
    await caller.expectPlayback(/dozvon\/hotline_menu/, 10_000);
    caller.hangup();
    await caller.expectHangup();
    const guesser = w.asterisk.inboundCall({ from: CALLER, args: ['hotline'] });
    await guesser.expectPlayback(/dozvon\/hotline_welcome/);
    guesser.press('1111*12345678#');
    await guesser.expectPlayback(/dozvon\/wrong_pin/, 10_000);
    guesser.hangup();
    await guesser.expectHangup();
  });

  it('no line carries a secret the run created, a whole phone number, or a key twice', async () => {
    const lines = await logs.lines();
    expect(lines.length).to.be.greaterThan(50);
    expect(
      lines.some((l) => l.includes('"path":"/oncall/ack/:token"')),
      'logged paths keep their mount prefix',
    ).to.equal(true);
    for (const s of secrets) expect(s.length, `secret ${s}`).to.be.greaterThan(5);
    const leaks: string[] = [];
    for (const line of lines) {
      for (const s of [...secrets, ALICE_PHONE, CALLER, ALICE_PHONE.slice(1), CALLER.slice(1)])
        if (line.includes(s)) leaks.push(`${s.slice(0, 6)}… in ${line.slice(0, 300)}`);
      const twice = repeatedKeys(line);
      if (twice.length) leaks.push(`keys ${twice.join(', ')} twice in ${line.slice(0, 300)}`);
    }
    expect(leaks).to.deep.equal([]);
  });
});
