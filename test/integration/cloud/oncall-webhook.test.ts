import { expect } from 'chai';
import type { RunningApp } from '../../helpers/app';
import { startDeliverableApp } from '../../helpers/deliverable-app';
import { pyRequest, rawRequest } from '../../helpers/raw-http';

const payload = (over: Record<string, unknown> = {}) => ({
  event: { type: 'personal notification', time: new Date().toISOString(), user: {} },
  user: { id: 'U4DNY931HHJS5', username: 'alice', email: 'Alice@Example.com' },
  alert_group: {
    id: 'I68T24C13IFW1',
    alerts_count: 1,
    state: 'firing',
    title: 'High CPU on db-1.example.com',
    created_at: '2026-11-21T16:29:58.123456Z',
  },
  alert_group_id: 'I68T24C13IFW1',
  alert_payload: { title: 'High CPU on db-1.example.com', message: 'load 42' },
  integration: { id: 'CFRPV98RPR1U8', type: 'formatted_webhook', name: 'Prod - Formatted webhook', team: null },
  ...over,
});

describe('OnCall personal-notification webhook → a page with the alert group known', () => {
  let t: RunningApp;
  beforeEach(async () => {
    t = await startDeliverableApp();
    await t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
  });
  afterEach(() => t.close());
  const post = (body: unknown, token: string | undefined = 'cloud-token-1-0123456789') =>
    rawRequest(t.port, pyRequest('POST', '/api/v1/oncall/webhook', { token, body: JSON.stringify(body), contentType: 'application/json' }));

  it('stores a webhook page correlated exactly, answering 200 fast', async () => {
    const r = await post(payload());
    expect(r.status).to.equal(200);
    expect(r.json()).to.include({ status: 'accepted' });
    const [row] = await t.app.db('notifications').select('*');
    expect(row).to.include({
      kind: 'webhook',
      alert_group_id: 'I68T24C13IFW1',
      correlation: 'exact',
      email: 'alice@example.com',
      state: 'pending',
    });
    expect(row.message).to.equal('Alert via Prod - Formatted webhook with title High CPU on db-1.example.com');
  });

  it('a retry of the same alert group for the same person is stored once', async () => {
    await post(payload());
    const again = await post(payload({ event: { type: 'personal notification', time: 'later', user: {} } }));
    expect(again.status).to.equal(200);
    expect(again.json()).to.include({ status: 'duplicate' });
    expect(await t.app.db('notifications').select('*')).to.have.length(1);
  });

  it('refuses what cannot be paged with clear JSON: other triggers, no group id, unknown user, bad token', async () => {
    const other = await post(payload({ event: { type: 'acknowledge' } }));
    expect(other.status).to.equal(400);
    expect((other.json() as { detail: string }).detail).to.include('personal notification');
    const noId = payload();
    delete (noId as Record<string, unknown>).alert_group_id;
    delete (noId as Record<string, unknown>).alert_group;
    expect((await post(noId)).status).to.equal(400);
    const ghost = await post(payload({ user: { id: 'U1', email: 'ghost@example.com' } }));
    expect(ghost.status).to.equal(404);
    expect((await post(payload(), 'wrong')).status).to.equal(403);
    expect(await t.app.db('notifications').select('*')).to.have.length(0);
  });
});
