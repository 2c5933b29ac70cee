import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { maskPhone } from '../../../src/core/mask';
import { SessionSigner } from '../../../src/web/session';
import type { StatusSource } from '../../../src/status';
import { ALICE_PHONE, BOB_PHONE, EVIL, NOW, TOKEN, startStatus, StatusHarness } from './harness';
import { launchBrowser, Browser } from './browser';

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(5000) });
const postLogin = (h: StatusHarness, token: string, headers: Record<string, string> = {}) =>
  fetch(`${h.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ token }),
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(5000),
  });

describe('status page over HTTP', () => {
  let h: StatusHarness;
  afterEach(async () => h?.close());

  it('answers 401 with a sign-in form without a token, and with a wrong one', async () => {
    h = await startStatus();
    for (const headers of [{}, { authorization: 'Bearer nope' }, { cookie: 'dozvon_session=v1.99999999999999.x.y' }] as Record<
      string,
      string
    >[]) {
      const res = await get(`${h.url}/`, headers);
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.match(/^Bearer/);
      const html = await res.text();
      expect(html).to.include('action="login"');
      expect(html).not.to.include('Alice');
    }
  });

  it('is disabled (403) when no admin token is configured', async () => {
    h = await startStatus({ adminToken: null });
    expect((await get(`${h.url}/`, { authorization: 'Bearer ' })).status).to.equal(403);
    expect((await postLogin(h, 'anything')).status).to.equal(403);
  });

  it('with the bearer token: incidents, masked numbers, heartbeats, health and queue; everything escaped', async () => {
    h = await startStatus();
    const res = await get(`${h.url}/`, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
    expect(res.headers.get('cache-control')).to.equal('no-store');
    const html = await res.text();
    expect(html).to.match(/<meta http-equiv="refresh" content="15">/);
    expect(html).to.include('Database down on db1.example.com');
    expect(html).to.include('IABCDEF123');
    expect(html).to.include('Alice Smith');
    expect(html).to.include(maskPhone(ALICE_PHONE));
    expect(html).to.include(maskPhone(BOB_PHONE));
    expect(html).not.to.include(ALICE_PHONE);
    expect(html).not.to.include(BOB_PHONE);
    expect(html).to.include('c***l@example.com'); // not in the directory: masked email
    expect(html).not.to.include('carol@example.com');
    expect(html).to.include('nightly-backup');
    expect(html).to.include('oncall-engine');
    expect(html).to.include('HTTP 503 from the gateway');
    expect(html).not.to.include('<script');
    expect(html).not.to.include('<img');
    expect(html).to.include('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('login sets an HttpOnly, SameSite=Strict signed cookie that opens the page; logout clears it', async () => {
    h = await startStatus();
    const bad = await postLogin(h, 'wrong');
    expect(bad.status).to.equal(401);
    expect(bad.headers.get('set-cookie')).to.equal(null);
    const ok = await postLogin(h, TOKEN);
    expect(ok.status).to.equal(303);
    expect(ok.headers.get('location')).to.equal('./');
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).to.match(/^dozvon_session=v1\.\d+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.to.include(TOKEN);
    const cookie = setCookie.split(';')[0];
    expect((await get(`${h.url}/`, { cookie })).status).to.equal(200);
    expect((await get(`${h.url}/login`, { cookie })).status).to.equal(303);

    const tampered = cookie.replace(/\.(\d+)\./, (_m, exp: string) => `.${Number(exp) + 1000}.`);
    expect((await get(`${h.url}/`, { cookie: tampered })).status).to.equal(401);

    h.now.t = NOW + 12 * 3600_000 + 1;
    expect((await get(`${h.url}/`, { cookie })).status, 'expired').to.equal(401);

    const out = await fetch(`${h.url}/logout`, { method: 'POST', redirect: 'manual' });
    expect(out.status).to.equal(303);
    expect(out.headers.get('set-cookie')).to.match(/^dozvon_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
  });

  it('marks the cookie Secure when asked, refuses a cross-site login and throttles guessing', async () => {
    h = await startStatus({ secureCookie: true, loginFailures: 3, loginFailureWindowMs: 60_000 });
    expect((await postLogin(h, TOKEN, { origin: 'https://evil.example' })).status).to.equal(403);
    expect((await postLogin(h, TOKEN)).headers.get('set-cookie')).to.match(/; Secure$/);
    for (let i = 0; i < 3; i++) expect((await postLogin(h, `guess-${i}`)).status).to.equal(401);
    const refused = await postLogin(h, TOKEN);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
    h.now.t += 61_000;
    expect((await postLogin(h, TOKEN)).status).to.equal(303);
  });

  it('a session signed under another token is refused', async () => {
    h = await startStatus();
    const foreign = new SessionSigner('another-token', 3600_000).issue(NOW);
    expect((await get(`${h.url}/`, { cookie: `dozvon_session=${foreign}` })).status).to.equal(401);
  });

  it('a failing section is reported on the page while the rest still renders', async () => {
    const source: StatusSource = {
      activePages: async () => [],
      recentAttempts: async () => Promise.reject(new Error('attempts table locked')),
      heartbeats: () => new Promise(() => undefined),
      health: async () => [
        { name: 'asterisk', ok: false, detail: 'connection refused' },
        { name: 'speech', ok: true, state: 'degraded', detail: 'espeak carries the load' },
        { name: 'oncall', ok: true, state: 'not configured', detail: 'DOZVON_ONCALL_URL is empty' },
      ],
      queueDepth: async () => ({ pending: 7 }),
    };
    h = await startStatus({ source, sectionTimeoutMs: 100 });
    const res = await get(`${h.url}/`, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.include('attempts: attempts table locked');
    expect(html).to.include('heartbeats: no answer within 100 ms');
    expect(html).to.include('Nobody is being paged.');
    expect(html).to.include('connection refused');
    // The four states, each with its own badge: degraded in amber, not configured neutral.
    expect(html).to.match(/<span class="badge bad">down<\/span> asterisk/);
    expect(html).to.match(/<span class="badge warn">degraded<\/span> speech/);
    expect(html).to.match(/<span class="badge neutral">not configured<\/span> oncall/);
    expect(html).to.match(/pending<\/span><\/td><td>7</);
  });
});

describe('status page in headless Chromium', function () {
  this.timeout(60_000);
  let h: StatusHarness;
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => browser?.close());
  afterEach(async () => h?.close());

  it('signs in through the form, shows incidents, masked numbers and heartbeats, runs no injected script', async () => {
    h = await startStatus();
    const page = browser.page;
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    const first = await page.goto(`${h.url}/`);
    expect(first?.status()).to.equal(401);
    await page.fill('#token', 'not-the-token');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    expect(await page.textContent('.error')).to.equal('Wrong token.');

    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${h.url}/`), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).to.equal('dozvon status');

    const cookies = await browser.context.cookies(h.url);
    const session = cookies.find((c) => c.name === 'dozvon_session');
    expect(session?.httpOnly).to.equal(true);
    expect(session?.sameSite).to.equal('Strict');
    expect(await page.evaluate('document.cookie')).to.equal('');

    const pages = await page.locator('#pages tbody tr').allInnerTexts();
    expect(pages).to.have.length(2);
    expect(pages.join('\n')).to.include('Database down on db1.example.com');
    expect(pages.join('\n')).to.include('Alice Smith');
    expect(pages.join('\n')).to.include(maskPhone(ALICE_PHONE));
    expect(pages.join('\n')).to.include('c***l@example.com');
    const body = await page.innerText('body');
    expect(body).not.to.include(ALICE_PHONE);
    expect(body).not.to.include(BOB_PHONE);
    expect(body).to.include(EVIL.slice(0, 30)); // shown as text, not run

    const attempts = await page.locator('#attempts tbody tr').allInnerTexts();
    expect(attempts).to.have.length(2);
    expect(attempts[0]).to.match(/busy/);
    expect(attempts[1]).to.match(/answered[\s\S]*16[\s\S]*1[\s\S]*acknowledge: Acknowledged\./);
    const heartbeats = await page.locator('#heartbeats tbody tr').allInnerTexts();
    expect(heartbeats.map((r) => r.split('\t')[0])).to.deep.equal(['nightly-backup', 'oncall-engine']);
    expect(heartbeats[0]).to.match(/down[\s\S]*1 d ago[\s\S]*every 1 d, grace 1 h/);
    expect(heartbeats[1]).to.match(/every 3 min, grace 7 min/);
    expect(await page.innerText('#health')).to.match(/sms:gateway/);
    expect(await page.innerText('#queue')).to.match(/active\s+1/);

    expect(await page.evaluate('window.__pwned ?? 0')).to.equal(0);
    expect(await page.locator('script, img').count()).to.equal(0);
    expect(dialogs).to.deep.equal([]);
    expect(await page.getAttribute('meta[http-equiv=refresh]', 'content')).to.equal('15');

    const out = join(__dirname, '../../../test-output');
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: join(out, 'status.png'), fullPage: true });

    await Promise.all([page.waitForURL(`${h.url}/login`), page.click('header button[type=submit]')]);
    const again = await page.goto(`${h.url}/`);
    expect(again?.status()).to.equal(401);
  });
});
