/**
 * The Alerts console in Chromium, as an operator meets it when Alertmanager starts sending: the
 * list of open alerts, a search, one alert's timeline, acknowledge and close from the page (the
 * API then reports both), and an integration key made read-only (shown once, masked afterwards)
 * and revoked through its confirmation. Layouts are checked at desktop and phone widths.
 */
import { expect } from 'chai';
import { startConsoleApp, signInWithBrowser, checkLayouts, type RunningApp } from './harness';
import { launchBrowser, type Browser } from '../status/browser';

describe('console: alerts in a browser', function () {
  this.timeout(60_000);
  let t: RunningApp;
  let b: Browser;
  let key: string;
  before(async () => {
    const [app, browser] = await Promise.allSettled([startConsoleApp(), launchBrowser()]);
    if (app.status === 'fulfilled') t = app.value;
    if (browser.status === 'fulfilled') b = browser.value;
    for (const r of [app, browser]) if (r.status === 'rejected') throw r.reason;
    ({ key } = await t.app.alerts.integrations.create('test', { name: 'alertmanager', defaultTeam: 'ops', rules: [] }));
    for (const body of [
      { message: 'Disk / is 97% full', alias: 'db-2-disk', priority: 'P2', entity: 'db-2', tags: ['disk'] },
      { message: 'API latency high', alias: 'api-latency', priority: 'P3' },
    ])
      expect((await og('POST', '/v2/alerts', body)).status).to.equal(202);
  });
  after(async () => {
    await b?.close();
    await t?.close();
  });

  async function og(method: string, path: string, body?: unknown, k = key): Promise<{ status: number; body: any }> {
    const r = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `GenieKey ${k}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }

  it('lists the open alerts, searches, opens one and acknowledges then closes it from its page', async () => {
    const page = b.page;
    await signInWithBrowser(page, t.url, '/console/alerts');
    expect(new URL(page.url()).pathname).to.equal('/console/alerts');
    expect(await page.locator('#alerts tbody tr').count()).to.equal(2);
    await checkLayouts(page, 'alerts-list');

    await page.fill('input[name=q]', 'disk');
    await Promise.all([page.waitForURL(/q=disk/), page.click('form[role=search] button[type=submit]')]);
    const rows = page.locator('#alerts tbody tr');
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().textContent()).to.include('Disk / is 97% full');
    expect(await page.inputValue('input[name=q]')).to.equal('disk');

    const id = (await og('GET', '/v2/alerts/db-2-disk?identifierType=alias')).body.data.id as string;
    await Promise.all([page.waitForURL(new RegExp(`/console/alerts/${id}$`)), page.click('#alerts a:has-text("Disk / is 97% full")')]);
    expect(await page.locator('main h1').textContent()).to.match(/^Alert #\d+$/);
    expect(await page.locator('#timeline').textContent()).to.include('integration alertmanager');
    // Side by side: the buttons' forms stay inside their row rather than falling out below it.
    const ack = (await page.locator('main button:has-text("Acknowledge")').boundingBox())!;
    const close = (await page.locator('main button:has-text("Close")').boundingBox())!;
    expect([close.y, close.x > ack.x + ack.width]).to.deep.equal([ack.y, true]);
    await checkLayouts(page, 'alert-timeline');

    await Promise.all([page.waitForURL(/\?done=acknowledge$/), page.click('main button:has-text("Acknowledge")')]);
    expect(await page.textContent('.notice.good')).to.equal('Acknowledged.');
    const acked = (await og('GET', `/v2/alerts/${id}`)).body.data;
    expect(acked).to.include({ acknowledged: true, status: 'open' });
    expect(acked.report.acknowledgedBy).to.be.a('string').and.not.equal('');
    expect(await page.locator('main button:has-text("Acknowledge")').count()).to.equal(0);

    await Promise.all([page.waitForURL(/\?done=close$/), page.click('main button:has-text("Close")')]);
    expect(await page.textContent('.notice.good')).to.equal('Closed.');
    expect((await og('GET', `/v2/alerts/${id}`)).body.data.status).to.equal('closed');
    expect(await page.locator('main form button').count()).to.equal(0);

    await page.goto(`${t.url}/console/alerts?state=closed`);
    expect(await page.locator('#alerts tbody tr').count()).to.equal(1);
    await page.goto(`${t.url}/console/alerts`);
    expect(await page.locator('#alerts tbody tr').count()).to.equal(1);
  });

  it('makes a read-only key (shown once, masked afterwards) and revokes it through the confirmation', async () => {
    const page = b.page;
    await page.goto(`${t.url}/console/alerts`);
    await Promise.all([page.waitForURL(/\/console\/alerts\/integrations$/), page.click('main a:has-text("Integration keys")')]);
    await checkLayouts(page, 'alert-integrations');
    await page.fill('#f-name', 'wallboard');
    await page.uncheck('input[name=access][value=write]');
    await Promise.all([page.waitForLoadState('load'), page.click('main button:has-text("Create key")')]);
    const made = (await page.textContent('#new-key'))!.trim();
    expect(made).to.match(/^[0-9a-f-]{36}$/);
    expect((await og('GET', '/v2/alerts', undefined, made)).status).to.equal(200);
    expect((await og('POST', '/v2/alerts', { message: 'x' }, made)).status).to.equal(403);

    await page.goto(`${t.url}/console/alerts/integrations`);
    const html = await page.content();
    expect(html).to.not.include(made);
    const row = page.locator('#integrations tbody tr', { hasText: 'wallboard' });
    expect(await row.textContent())
      .to.include(`…${made.slice(-4)}`)
      .and.include('read');
    expect(await row.textContent()).to.not.include('write');

    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await Promise.all([page.waitForURL(/\/console\/alerts\/integrations$/), row.locator('button:has-text("Revoke")').click()]);
    expect(dialogs).to.deep.equal(['Revoke wallboard? Senders using its key are refused from now on.']);
    expect(await page.locator('#integrations tbody tr', { hasText: 'wallboard' }).textContent()).to.include('revoked');
    expect((await og('GET', '/v2/alerts', undefined, made)).status).to.equal(401);
  });
});
