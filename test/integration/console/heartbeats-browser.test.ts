/**
 * The heartbeats console in Chromium: sign in, create a heartbeat through the form, copy its ping
 * URL with the Copy button (and ping with what was copied), pause, resume, remove through the
 * confirmation dialog, and the layouts at desktop and phone widths.
 */
import { expect } from 'chai';
import { startConsoleApp, signInWithBrowser, checkLayouts, RunningApp } from './harness';
import { launchBrowser, Browser } from '../status/browser';

const KEY = 'hb-browser-key-0123456789';

describe('console heartbeats in a browser', function () {
  this.timeout(45_000);
  let app: RunningApp;
  let browser: Browser;
  before(async () => {
    // Both start at once; whichever started is kept for after() to close, even when the other failed.
    const [started, launched] = await Promise.allSettled([startConsoleApp({ DOZVON_HEARTBEAT_KEYS: KEY }), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const r of [started, launched]) if (r.status === 'rejected') throw r.reason;
    await app.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+79161234567' }, { lang: 'en' });
    await app.app.users.create({ email: 'bob@example.com', name: 'Bob Jones', phone: '+15557654321' }, { lang: 'en' });
    await app.app.heartbeats.create({
      name: 'alertmanager-watchdog',
      kind: 'alertmanager',
      periodS: 300,
      graceS: 300,
      page: ['bob@example.com'],
    });
    await app.app.heartbeats.ping('alertmanager-watchdog', 'alertmanager test');
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates, copies, pings, pauses, resumes and removes a heartbeat', async () => {
    const page = browser.page;
    await signInWithBrowser(page, app.url, '/console/heartbeats');
    expect(new URL(page.url()).pathname).to.equal('/console/heartbeats');

    await page.click('text=New heartbeat');
    await page.waitForURL(/\/console\/heartbeats\/new$/);
    await page.fill('#f-name', 'nightly-backup');
    await page.fill('#f-every', '1h');
    await page.fill('#f-grace', '10m');
    await page.check('input[name=page][value="alice@example.com"]');
    await page.fill('#f-description', 'pg_dump on db-1');
    await checkLayouts(page, 'heartbeat-new');
    await Promise.all([
      page.waitForURL(/\/console\/heartbeats\/nightly-backup\?done=created$/),
      page.click('button[type=submit]:has-text("Create heartbeat")'),
    ]);
    expect(await page.locator('main h1').textContent()).to.equal('nightly-backup');
    expect(await page.locator('.notice.good').textContent()).to.include('Heartbeat created.');

    // The Copy button puts the URL on the clipboard and says so; what was copied pings the heartbeat.
    const shown = await page.inputValue('#url-hc');
    expect(shown).to.match(new RegExp(`/ping/${KEY}/nightly-backup$`));
    const button = page.locator('button[data-copy="url-hc"]');
    await button.click();
    await page.waitForFunction('document.querySelector(\'button[data-copy="url-hc"]\').textContent === "Copied"');
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).to.equal(shown);
    const local = new URL(copied);
    expect(await (await fetch(`${app.url}${local.pathname}`)).text()).to.equal('OK');
    await page.locator('button[data-copy="curl-opsgenie"]').click();
    expect((await page.evaluate('navigator.clipboard.readText()')) as string).to.match(
      /^curl -fsS .* -H 'Authorization: GenieKey hb-browser-key-0123456789' /,
    );
    await page.reload();
    expect(await page.locator('#facts [data-state]').textContent()).to.equal('up');
    await checkLayouts(page, 'heartbeat');

    await Promise.all([page.waitForURL(/done=paused$/), page.click('button:has-text("Pause")')]);
    expect(await page.locator('#facts [data-state]').textContent()).to.equal('paused');
    await Promise.all([page.waitForURL(/done=resumed$/), page.click('button:has-text("Resume")')]);
    expect(await page.locator('#facts [data-state]').textContent()).to.equal('up');
    expect((await app.app.heartbeats.get('nightly-backup'))!.state).to.equal('up');

    await page.goto(`${app.url}/console/heartbeats`);
    expect(await page.locator('table.hb-list tbody tr').count()).to.equal(2);
    await checkLayouts(page, 'heartbeats-list');

    // Remove asks first: saying no keeps it, saying yes removes it.
    await page.goto(`${app.url}/console/heartbeats/nightly-backup`);
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.click('button.danger:has-text("Remove")');
    await page.waitForTimeout(200);
    expect(new URL(page.url()).pathname).to.equal('/console/heartbeats/nightly-backup');
    expect(await app.app.heartbeats.get('nightly-backup')).to.not.equal(null);
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await Promise.all([page.waitForURL(/\/console\/heartbeats\?done=removed$/), page.click('button.danger:has-text("Remove")')]);
    expect(dialogs).to.deep.equal(['Remove nightly-backup? This cannot be undone.', 'Remove nightly-backup? This cannot be undone.']);
    expect(await app.app.heartbeats.get('nightly-backup')).to.equal(null);
    expect(await page.locator('.notice.good').textContent()).to.include('removed');
  });
});
