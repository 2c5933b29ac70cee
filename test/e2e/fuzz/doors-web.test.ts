/**
 * The web doors, from outside, against the whole app: the admin token has one failure limit at
 * every door, logout is a form like any other, the sign-in redirect stays inside the console, the
 * cookie keeps to the public URL's prefix and the origin check counts the scheme.
 */
import { checkHeartbeatName } from '../../../src/watchers/heartbeats/fields';
import { expect } from 'chai';
import { ADMIN_TOKEN, RunningApp, startApp } from '../../helpers/app';
import { FakeClock } from '../../fakes/clock';
import { confirmPage } from '../../../src/links/page';

const T = 5000;
const get = (app: RunningApp, path: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { headers, redirect: 'manual', signal: AbortSignal.timeout(T) });
const post = (app: RunningApp, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(T),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signIn(app: RunningApp): Promise<string> {
  const res = await post(app, '/login', { token: ADMIN_TOKEN });
  expect(res.status, 'sign-in').to.equal(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

describe('web doors', function () {
  this.timeout(30_000);
  let app: RunningApp;
  afterEach(async () => app?.close());

  describe('one failure limit for every door of the admin token', () => {
    let clock: FakeClock;
    beforeEach(async () => {
      clock = new FakeClock();
      app = await startApp({}, { clock });
    });

    it('Bearer guesses on /console/ run into 429 (with Retry-After), and then even the right token is refused there, on / and at /api/admin', async () => {
      for (let i = 0; i < 10; i++) {
        const res = await get(app, '/console/', bearer(`guess-${i}-0123456789`));
        expect(res.status, `guess ${i}`).to.not.equal(429);
      }
      const refused = await get(app, '/console/', bearer('guess-10-0123456789'));
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 15 * 60);
      expect((await get(app, '/console/', bearer(ADMIN_TOKEN))).status, 'console, right token').to.equal(429);
      expect((await get(app, '/', bearer(ADMIN_TOKEN))).status, 'status page, right token').to.equal(429);
      expect((await get(app, '/api/admin/users', bearer(ADMIN_TOKEN))).status, 'admin API, right token').to.equal(429);
      expect((await post(app, '/login', { token: ADMIN_TOKEN })).status, 'sign-in form, right token').to.equal(429);
      await clock.advance(15 * 60_000 + 1);
      expect((await get(app, '/console/', bearer(ADMIN_TOKEN))).status, 'after the window').to.equal(200);
    });

    it('an address locked out by the sign-in form is refused through Bearer on the status page and the console too', async () => {
      for (let i = 0; i < 10; i++) expect((await post(app, '/login', { token: `guess-${i}` })).status).to.equal(401);
      expect((await post(app, '/login', { token: 'guess-10' })).status).to.equal(429);
      expect((await get(app, '/', bearer(ADMIN_TOKEN))).status).to.equal(429);
      expect((await get(app, '/console/', bearer(ADMIN_TOKEN))).status).to.equal(429);
      expect((await get(app, '/api/admin/users', bearer(ADMIN_TOKEN))).status).to.equal(429);
    });

    it('guesses spread over the doors add up: 5 at the admin API and 5 on the status page lock the console', async () => {
      for (let i = 0; i < 5; i++) expect((await get(app, '/api/admin/users', bearer(`guess-${i}-0123456789`))).status).to.equal(401);
      for (let i = 0; i < 5; i++) expect((await get(app, '/', bearer(`guess-${i}-0123456789`))).status).to.equal(401);
      expect((await get(app, '/console/', bearer(ADMIN_TOKEN))).status).to.equal(429);
    });
  });

  describe('logout is checked like every other form', () => {
    beforeEach(async () => {
      app = await startApp();
    });

    it('from another site, or without the CSRF field, it is refused and the session stays', async () => {
      const cookie = await signIn(app);
      const page = await (await get(app, '/console/', { cookie })).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      expect(csrf).to.not.equal('');
      expect((await post(app, '/logout', { _csrf: csrf }, { cookie, origin: 'https://evil.example' })).status, 'cross-site').to.equal(403);
      expect((await post(app, '/logout', {}, { cookie })).status, 'no CSRF field').to.equal(403);
      expect((await post(app, '/logout', { _csrf: 'forged' }, { cookie })).status, 'wrong CSRF field').to.equal(403);
      expect((await get(app, '/console/', { cookie })).status, 'still signed in').to.equal(200);
      const out = await post(app, '/logout', { _csrf: csrf }, { cookie, origin: app.url });
      expect(out.status).to.equal(303);
      expect((await get(app, '/console/', { cookie })).status, 'signed out').to.equal(303);
    });

    it('the logout buttons of the console and the status page carry the CSRF field', async () => {
      const cookie = await signIn(app);
      for (const path of ['/console/', '/']) {
        const page = await (await get(app, path, { cookie })).text();
        expect(page, path).to.match(/<form method="post" action="[^"]*logout"><input type="hidden" name="_csrf" value="[^"]+">/);
      }
    });
  });

  describe('the sign-in redirect stays inside the console', () => {
    beforeEach(async () => {
      app = await startApp();
    });

    for (const next of [
      'console/%2e%2e/api/admin/users',
      'console/%2E%2e/%2e%2E/metrics',
      'console/.%2e/api/admin/users',
      'console/%2e%2e%2fapi/admin/users',
    ]) {
      it(`next=${next} is not followed`, async () => {
        const res = await post(app, '/login', { token: ADMIN_TOKEN, next });
        expect(res.status).to.equal(303);
        expect(res.headers.get('location')).to.equal('./');
        const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
        const again = await get(app, `/login?next=${encodeURIComponent(next)}`, { cookie });
        expect(again.headers.get('location')).to.equal('./');
      });
    }

    it('a console page still is', async () => {
      const res = await post(app, '/login', { token: ADMIN_TOKEN, next: 'console/people/alice%40example.com' });
      expect(res.headers.get('location')).to.equal('console/people/alice%40example.com');
    });
  });

  describe('cookies and origins follow the public URL', () => {
    it('under a path prefix the session and language cookies are scoped to it', async () => {
      app = await startApp({ DOZVON_PUBLIC_URL: 'https://x.example/oncall/' });
      const res = await post(app, '/oncall/login', { token: ADMIN_TOKEN }, { origin: 'https://x.example' });
      expect(res.status).to.equal(303);
      expect(res.headers.get('set-cookie')).to.match(/; Path=\/oncall\/;/);
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
      const lang = await get(app, '/oncall/console/?lang=ru', { cookie });
      expect(lang.headers.get('set-cookie')).to.match(/dozvon_lang=ru; Path=\/oncall\/;/);
    });

    it('at the root the cookie path stays /', async () => {
      app = await startApp({ DOZVON_PUBLIC_URL: 'https://x.example/' });
      const res = await post(app, '/login', { token: ADMIN_TOKEN });
      expect(res.headers.get('set-cookie')).to.match(/; Path=\/;/);
    });

    it('the same host under another scheme is another origin: sign-in and console forms from it are refused', async () => {
      app = await startApp({ DOZVON_PUBLIC_URL: 'https://x.example/' });
      const host = new URL(app.url).host;
      expect((await post(app, '/login', { token: ADMIN_TOKEN }, { origin: `https://${host}` })).status, 'https to an http server').to.equal(
        403,
      );
      expect(
        (await post(app, '/login', { token: ADMIN_TOKEN }, { origin: 'http://x.example' })).status,
        'http to an https public URL',
      ).to.equal(403);
      expect((await post(app, '/login', { token: ADMIN_TOKEN }, { origin: 'https://x.example' })).status).to.equal(303);
      expect((await post(app, '/login', { token: ADMIN_TOKEN }, { origin: app.url })).status, 'direct access').to.equal(303);
      const cookie = await signIn(app);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get(app, '/console/', { cookie })).text())?.[1] ?? '';
      expect((await post(app, '/console/heartbeats', { _csrf: csrf, name: 'x' }, { cookie, origin: `https://${host}` })).status).to.equal(
        403,
      );
    });
  });

  describe('text from people and from OnCall is isolated from the page around it', () => {
    const RLO = '\u202E';
    const NAME = `Mallory ${RLO}gnp.exe`;
    /** Every right-to-left override in the page's text (outside tags, <title> and headings) must sit inside a <bdi>. */
    const loose = (page: string) =>
      page
        .replace(/<title>[\s\S]*?<\/title>|<h1>[\s\S]*?<\/h1>/g, '')
        .replace(/<bdi>[^<]*<\/bdi>/g, '')
        .replace(/<[^>]*>/g, '')
        .split(RLO).length - 1;

    beforeEach(async () => {
      app = await startApp();
      const created = await fetch(`${app.url}/api/admin/users`, {
        method: 'POST',
        headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'mallory@example.com', name: 'Mallory', phone: '+15550001111' }),
        signal: AbortSignal.timeout(T),
      });
      expect(created.status, await created.clone().text()).to.equal(201);
      // Input refuses direction controls now; a row stored before that (or by hand) must still be shown safely.
      await app.app
        .db('users')
        .where({ email: 'mallory@example.com' })
        .update({ name: NAME, contacts: JSON.stringify({ telegram: `@mal${RLO}lory` }) });
      const paged = await fetch(`${app.url}/api/admin/test-call`, {
        method: 'POST',
        headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'mallory@example.com', text: `Disk ${RLO}lluf on db1`, wait_seconds: 0 }),
        signal: AbortSignal.timeout(T),
      });
      expect(paged.status, await paged.clone().text()).to.be.oneOf([200, 201, 202]);
    });

    it('input refuses direction controls in emails, names and heartbeat names, naming the field', async () => {
      const post = (path: string, body: unknown) =>
        fetch(`${app.url}${path}`, {
          method: 'POST',
          headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(T),
        });
      const byName = await post('/api/admin/users', { email: 'eve@example.com', name: `Eve ${RLO}gnp.exe`, phone: '+15550002222' });
      expect(byName.status).to.equal(400);
      expect(await byName.text())
        .to.include('name')
        .and.include('U+202A');
      const byEmail = await post('/api/admin/users', { email: `eve${RLO}@example.com`, name: 'Eve', phone: '+15550002222' });
      expect(byEmail.status).to.equal(400);
      expect(await byEmail.text()).to.include('email');
      expect(checkHeartbeatName(`backup${RLO}kcab`).ok).to.equal(false);
      expect(checkHeartbeatName('backup').ok).to.equal(true);
    });

    for (const path of [
      '/console/people',
      '/console/people/mallory%40example.com',
      '/console/heartbeats/new',
      '/console/pages',
      '/console/pages/1',
      '/',
    ]) {
      it(`${path}: a name with U+202E is shown inside <bdi>`, async () => {
        const cookie = await signIn(app);
        const res = await get(app, path, { cookie });
        expect(res.status).to.equal(200);
        const page = await res.text();
        // The person page names them only in its heading (a paragraph of its own), and shows their contacts.
        expect(page, 'the text is on the page').to.include(
          path.startsWith('/console/people/') ? `<bdi>@mal${RLO}lory</bdi>` : `<bdi>${NAME}</bdi>`,
        );
        expect(loose(page), 'overrides outside <bdi>').to.equal(0);
      });
    }

    it('the ack page isolates the incident title OnCall sent', async () => {
      const page = confirmPage('t0ken', { title: `Disk ${RLO}lluf on db1`, text: `note ${RLO}x` }).markup;
      expect(loose(page)).to.equal(0);
      expect(page).to.include(`<bdi>Disk ${RLO}lluf on db1</bdi>`);
    });
  });

  describe('an icon for every page', () => {
    beforeEach(async () => {
      app = await startApp();
    });

    it('/favicon.ico answers with the icon instead of 404, and console pages link the same icon', async () => {
      const ico = await get(app, '/favicon.ico');
      expect(ico.status).to.equal(200);
      expect(ico.headers.get('content-type')).to.match(/^image\/svg\+xml/);
      expect(await ico.text()).to.match(/^<svg /);
      const cookie = await signIn(app);
      const page = await (await get(app, '/console/', { cookie })).text();
      const href = /<link rel="icon" href="([^"]+)"/.exec(page)?.[1];
      expect(href).to.equal('/console/assets/favicon.svg');
      const svg = await get(app, href!, { cookie });
      expect(svg.status).to.equal(200);
      expect(svg.headers.get('content-type')).to.match(/^image\/svg\+xml/);
    });
  });
});
