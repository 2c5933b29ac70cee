/** The acknowledge link of an alert's SMS or push acknowledges the alert, with the person as owner. */
import { expect } from 'chai';
import { alertsHarness, AlertsHarness } from '../alerts-api/harness';
import { ackHandlers } from '../../../src/compose/ack';

describe('alerts: the SMS/push acknowledge link', function () {
  this.timeout(20000);
  let h: AlertsHarness;
  beforeEach(async () => {
    h = await alertsHarness();
  });
  afterEach(() => h.close());

  it('offers the button for an alert page and acknowledges the alert behind it', async () => {
    const { app } = h.t;
    await app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111', channels: ['sms'] }, { lang: 'en' });
    await h.og('POST', '/v2/alerts', {
      message: 'Queue backlog',
      alias: 'q',
      priority: 'P3',
      responders: [{ type: 'user', username: 'alice@example.com' }],
    });
    await app.alerts.escalator.runDue();
    const page = (await app.db('notifications').where({ source: 'alert' }).first()) as { id: number; kind: string; message: string };
    expect(page.kind).to.equal('sms');
    expect(page.message).to.match(/^dozvon alert #\d+ P3: Queue backlog$/);
    const links = ackHandlers(app.notifications, app.users, null, app.alerts.pageActions);
    const target = await links.lookup({ notificationId: String(page.id) } as never);
    expect(target?.alertGroupId, 'the page offers its button').to.be.a('string');
    const r = await links.acknowledge({
      notificationId: String(page.id),
      email: 'alice@example.com',
      alertGroupId: target!.alertGroupId!,
      via: 'link',
    });
    expect(r).to.include({ status: 'done' });
    const alert = (await h.og('GET', '/v2/alerts/q?identifierType=alias')).body.data;
    expect(alert).to.include({ acknowledged: true, owner: 'alice@example.com' });
    const again = await links.acknowledge({
      notificationId: String(page.id),
      email: 'alice@example.com',
      alertGroupId: target!.alertGroupId!,
      via: 'link',
    });
    expect(again.status).to.equal('already');
  });
});
