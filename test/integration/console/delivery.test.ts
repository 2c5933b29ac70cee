/** The console's Delivery page over the whole app: the figures from the real tables, in English and Russian. */
import { expect } from 'chai';
import { startConsoleApp, ConsoleClient, RunningApp } from './harness';
import { NotificationsRepo } from '../../../src/db/notifications-repo';
import { DeliveryRepo } from '../../../src/delivery';

describe('console: Delivery page', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  before(async () => {
    app = await startConsoleApp();
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => app?.close());

  it('shows the share acknowledged within 1/5/15 minutes and the time histograms, in the nav, in both languages', async () => {
    const hourAgo = Date.now() - 3600_000;
    const old = new NotificationsRepo(app.app.db, () => hourAgo);
    const page = async () =>
      (await old.enqueue({ kind: 'sms', source: 'oncall-cloud', userId: null, email: 'nobody@example.com', message: 'disk full' }))
        .notification.id;
    const acked = await page();
    await page();
    await new DeliveryRepo(app.app.db).markAcked(acked, 'link', hourAgo + 90_000);

    const en = await c.html('/console/delivery?lang=en');
    expect(en).to.match(/<a href="[^"]*delivery" aria-current="page">Delivery<\/a>/);
    const row = /<tr><td>sms<\/td><td>all trunks<\/td>(.*?)<\/tr>/.exec(en)![1];
    expect(row).to.include('<b>50.0 %</b> <small class="muted">(0.0 % · 50.0 %) of 2</small>');
    expect(en).to.include('id="histograms"');
    expect(en).to.include('≤ 2 min');
    const ru = await c.html('/console/delivery?lang=ru');
    expect(ru).to.include('Доставка');
    expect(ru).to.include('все транки');
    expect(ru).to.include('из 2');
  });
});
