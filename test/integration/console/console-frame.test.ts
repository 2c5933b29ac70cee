/**
 * The console's frame: sign-in and `next`, CSRF and origin checks, languages, the audit log in the
 * console and the admin API, the start page's checklist and the settings page (secrets masked).
 */
import { expect } from 'chai';
import { startConsoleApp, ConsoleClient, RunningApp, ADMIN_TOKEN } from './harness';

const CLOUD_SECRET = 'cloud-token-1-0123456789';
const HB_KEY = 'heartbeat-key-0123456789abc';

describe('console frame over HTTP', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  before(async () => {
    app = await startConsoleApp({
      DOZVON_HEARTBEAT_KEYS: HB_KEY,
      DOZVON_ONCALL_URL: 'http://127.0.0.1:9/',
      DOZVON_ONCALL_TOKEN: 'oncall-user-token-abcdef0123',
    });
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => app?.close());

  it('sends a visitor without a session to the login page and back to where they were going', async () => {
    const res = await fetch(`${app.url}/console/settings`, { redirect: 'manual' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/../login?next=console%2Fsettings');
    const login = await (await fetch(`${app.url}/login?next=console%2Fsettings`)).text();
    expect(login).to.include('name="next" value="console/settings"');
    const signIn = await fetch(`${app.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: ADMIN_TOKEN, next: 'console/settings' }),
      redirect: 'manual',
    });
    expect(signIn.status).to.equal(303);
    expect(signIn.headers.get('location')).to.equal('console/settings');
  });

  it('never redirects off-site after sign-in', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/console/', 'console/../../x', 'javascript:alert(1)']) {
      const res = await fetch(`${app.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ token: ADMIN_TOKEN, next }),
        redirect: 'manual',
      });
      expect(res.headers.get('location'), next).to.equal('./');
    }
  });

  it('refuses a POST without a session (401), without the CSRF field or from another origin (403)', async () => {
    const anon = await fetch(`${app.url}/console/people/new`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'x@example.com' }),
      redirect: 'manual',
    });
    expect(anon.status).to.equal(401);
    const noToken = await c.post('/console/people/new', { email: 'x@example.com', name: 'X', phone: '+15550001111' }, { csrf: null });
    expect(noToken.status).to.equal(403);
    expect(await noToken.text()).to.include('expired or came from another site');
    const wrong = await c.post('/console/people/new', { email: 'x@example.com', name: 'X', phone: '+15550001111' }, { csrf: 'forged' });
    expect(wrong.status).to.equal(403);
    const evil = await c.post(
      '/console/people/new',
      { email: 'x@example.com', name: 'X', phone: '+15550001111' },
      { headers: { origin: 'http://evil.example' } },
    );
    expect(evil.status).to.equal(403);
    expect(await app.app.users.getByEmail('x@example.com')).to.equal(null);
  });

  it('a session CSRF token from another session does not work', async () => {
    const other = await ConsoleClient.signIn(app.url);
    const token = await other.csrf();
    const res = await c.post('/console/people/new', { email: 'y@example.com', name: 'Y', phone: '+15550001112' }, { csrf: token });
    expect(res.status).to.equal(403);
  });

  it('speaks Russian from the switch, the cookie or the browser language, English otherwise', async () => {
    const viaQuery = await c.get('/console/?lang=ru');
    expect(viaQuery.headers.get('set-cookie')).to.include('dozvon_lang=ru');
    expect(await viaQuery.text())
      .to.include('<html lang="ru">')
      .and.include('Первые шаги');
    const viaHeader = await (await c.get('/console/', { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' })).text();
    expect(viaHeader).to.include('Первые шаги');
    const viaCookie = await (
      await fetch(`${app.url}/console/`, { headers: { cookie: `dozvon_lang=ru; ${await sessionCookie()}` } })
    ).text();
    expect(viaCookie).to.include('Первые шаги');
    const english = await (await c.get('/console/', { 'accept-language': 'de-DE,de;q=0.9' })).text();
    expect(english).to.include('<html lang="en">').and.include('Getting started');
  });

  async function sessionCookie(): Promise<string> {
    const res = await fetch(`${app.url}/login`, { method: 'POST', body: new URLSearchParams({ token: ADMIN_TOKEN }), redirect: 'manual' });
    return (res.headers.get('set-cookie') ?? '').split(';')[0];
  }

  it('serves its script and stylesheet from its own origin under a strict CSP', async () => {
    const page = await c.get('/console/');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'").and.include("default-src 'none'").and.include("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).not.to.match(/<script>|\son[a-z]+=/i);
    expect(html).not.to.match(/(src|href)="https?:\/\//);
    const js = await fetch(`${app.url}/console/assets/console.js`);
    expect(js.headers.get('content-type')).to.match(/javascript/);
    expect(await js.text()).to.include('data-copy');
    const css = await fetch(`${app.url}/console/assets/console.css`);
    expect(css.headers.get('content-type')).to.match(/text\/css/);
  });

  it('works with the bearer token too (scripts), without a CSRF field', async () => {
    const res = await fetch(`${app.url}/console/settings`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).to.equal(200);
    const bad = await fetch(`${app.url}/console/settings`, {
      headers: { authorization: 'Bearer wrong-token-0123456789' },
      redirect: 'manual',
    });
    expect(bad.status).to.equal(303);
  });

  it('settings show the configuration with every secret masked, the checks and the telephony state', async () => {
    await app.app.checks.runNow();
    const html = await c.html('/console/settings');
    expect(html).to.include('DOZVON_ADMIN_TOKEN').and.include('DOZVON_CLOUD_TOKENS').and.include('DOZVON_ONCALL_URL');
    for (const secret of [ADMIN_TOKEN, CLOUD_SECRET, 'oncall-user-token-abcdef0123']) expect(html).not.to.include(secret);
    expect(html).to.include('set (hidden)'); // the admin token, masked as `dozvon config` masks it
    expect(html).to.include('id="checks"').and.include('database');
    expect(html).to.include('No Asterisk is configured');
  });

  it('the start page follows the setup: people, test call, heartbeats', async () => {
    let html = await c.html('/console/');
    expect(html).to.match(/id="step-people" class="bad"/);
    expect(html).to.include('GRAFANA_CLOUD_ONCALL_API_URL=http://dozvon.test:8080/');
    await app.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+79161234567' }, { lang: 'en' });
    await app.app.heartbeats.create({ name: 'watchdog', kind: 'alertmanager', periodS: 300, graceS: 60, page: ['alice@example.com'] });
    html = await c.html('/console/');
    expect(html).to.match(/id="step-people" class="good"/);
    expect(html).to.include('People in the directory: 1;');
    expect(html).to.match(/id="step-heartbeats" class="good"/);
    expect(html).to.match(/id="step-test-call" class="bad"/);
  });

  it('changes made through the admin API land in the audit log, visible in the console and the API', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = await fetch(`${app.url}/api/admin/users`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ email: 'bob@example.com', name: 'Bob', phone: '+15557654321', pin: '2468' }),
    });
    expect(created.status).to.equal(201);
    const api = (await (await fetch(`${app.url}/api/admin/audit?target=bob@example.com`, { headers: auth })).json()) as {
      results: { actor: string; action: string; detail: Record<string, unknown> }[];
    };
    expect(api.results).to.have.length(1);
    expect(api.results[0].action).to.equal('user.create');
    expect(api.results[0].actor).to.match(/^admin API \(/);
    expect(api.results[0].detail.pin).to.equal('set');
    expect(JSON.stringify(api.results[0])).not.to.include('2468').and.not.include('+15557654321');
    const html = await c.html('/console/audit');
    expect(html).to.include('user.create').and.include('bob@example.com');
    const bad = await fetch(`${app.url}/api/admin/audit?limit=0`, { headers: auth });
    expect(bad.status).to.equal(400);
  });

  it('heartbeat changes over the Opsgenie API are audited with the caller', async () => {
    const genie = { authorization: `GenieKey ${HB_KEY}`, 'content-type': 'application/json' };
    const made = await fetch(`${app.url}/v2/heartbeats`, {
      method: 'POST',
      headers: genie,
      body: JSON.stringify({ name: 'nightly', interval: 1, intervalUnit: 'hours', enabled: true, page: ['alice@example.com'] }),
    });
    expect(made.status).to.equal(201);
    expect(
      (await fetch(`${app.url}/v2/heartbeats/nightly/disable`, { method: 'POST', headers: { authorization: genie.authorization } })).status,
    ).to.equal(200);
    expect(
      (await fetch(`${app.url}/v2/heartbeats/nightly`, { method: 'DELETE', headers: { authorization: genie.authorization } })).status,
    ).to.equal(200);
    const entries = await app.app.db('audit_log').where({ target: 'nightly' }).orderBy('id');
    expect(entries.map((e: { action: string }) => e.action)).to.deep.equal(['heartbeat.create', 'heartbeat.pause', 'heartbeat.remove']);
    expect(entries[0].actor).to.match(/^Opsgenie heartbeat API \(/);
    expect(JSON.stringify(entries)).not.to.include(HB_KEY);
  });

  it('under a path prefix in the public URL, links and redirects keep the prefix the browser used', async () => {
    const prefixed = await startConsoleApp({ DOZVON_PUBLIC_URL: 'http://dozvon.test:8080/oncall/' });
    try {
      const anon = await fetch(`${prefixed.url}/oncall/console/people`, { redirect: 'manual' });
      expect(anon.headers.get('location')).to.equal('/oncall/console/../login?next=console%2Fpeople');
      const pc = await ConsoleClient.signIn(`${prefixed.url}/oncall`);
      const html = await pc.html('/console/');
      expect(html).to.include('href="/oncall/console/assets/console.css"').and.include('href="/oncall/console/people"');
      // Straight to the server (no proxy in front): links without the prefix.
      const direct = await (await ConsoleClient.signIn(prefixed.url)).html('/console/');
      expect(direct).to.include('href="/console/people"');
    } finally {
      await prefixed.close();
    }
  });
});
