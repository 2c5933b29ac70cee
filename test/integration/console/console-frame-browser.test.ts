/** The console frame in Chromium: sign-in lands where asked, keyboard use, language switch, layouts. */
import { expect } from 'chai';
import { launchBrowser, Browser } from '../status/browser';
import { startConsoleApp, signInWithBrowser, checkLayouts, RunningApp } from './harness';

describe('console frame in headless Chromium', function () {
  this.timeout(60_000);
  let app: RunningApp;
  let b: Browser;
  before(async () => {
    app = await startConsoleApp();
    await app.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+79161234567' }, { lang: 'ru' });
    await app.app.checks.runNow();
    b = await launchBrowser();
  });
  after(async () => {
    await b?.close();
    await app?.close();
  });

  it('signs in through the login form and comes back to the page asked for', async () => {
    await signInWithBrowser(b.page, app.url, '/console/settings');
    expect(new URL(b.page.url()).pathname).to.equal('/console/settings');
    expect(await b.page.textContent('main h1')).to.equal('Settings at a glance');
    await checkLayouts(b.page, 'settings');
  });

  it('the start page: the checklist, a skip link for keyboard users, and the language switch', async () => {
    await b.page.goto(`${app.url}/console/`);
    await b.page.keyboard.press('Tab');
    expect(await b.page.evaluate('document.activeElement && document.activeElement.className')).to.equal('skip');
    expect(await b.page.isVisible('a.skip')).to.equal(true);
    expect(await b.page.getAttribute('#step-people', 'class')).to.equal('good');
    await checkLayouts(b.page, 'start');
    await Promise.all([b.page.waitForURL(/lang=ru/), b.page.click('a.lang')]);
    expect(await b.page.textContent('main h1')).to.equal('Начало');
    // The choice sticks: the next page is Russian without the query.
    await b.page.goto(`${app.url}/console/settings`);
    expect(await b.page.textContent('main h1')).to.equal('Настройки');
    await b.page.goto(`${app.url}/console/?lang=en`);
  });

  it('the copy button puts the OnCall setting on the clipboard', async () => {
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await b.page.goto(`${app.url}/console/`);
    await b.page.click('button[data-copy="oncall-env"]');
    await b.page.waitForSelector('button[data-copy="oncall-env"]:has-text("Copied")');
    expect(await b.page.evaluate('navigator.clipboard.readText()')).to.equal('GRAFANA_CLOUD_ONCALL_API_URL=http://dozvon.test:8080/');
  });

  it('the audit log page lists a change made in the admin API', async () => {
    await app.app.users.update('alice@example.com', { name: 'Alice S.' });
    await app.app.db('audit_log').insert({
      at: Date.now(),
      actor: 'admin API (127.0.0.1)',
      action: 'user.update',
      target: 'alice@example.com',
      detail: JSON.stringify({ name: 'Alice S.' }),
    });
    await b.page.goto(`${app.url}/console/audit`);
    expect(await b.page.textContent('main table')).to.include('user.update');
    await checkLayouts(b.page, 'audit');
  });
});
