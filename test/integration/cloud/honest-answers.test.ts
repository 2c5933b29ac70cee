/**
 * Honest answers to OnCall. A page no channel could deliver is refused the way
 * the contract says a provider failure is (503 {"error":"failed"}), not accepted and failed at
 * once; and the daily limits hold on every intake route, so the webhook and the push relay
 * cannot walk around what make_call and send_sms refuse.
 */
import { expect } from 'chai';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startApp, RunningApp } from '../../helpers/app';
import { startDeliverableApp } from '../../helpers/deliverable-app';
import { pyRequest, rawRequest } from '../../helpers/raw-http';
import { FakeConfiguredTelephony } from '../../fakes/telephony';
import { deviceKey } from '../../../src/cloud/fcm-relay';

const TOKEN = 'cloud-token-1-0123456789';
const CALL =
  'email=alice%40example.com&message=You+are+invited+to+check+an+Alert+Group+from+Grafana+OnCall.+Alert+via+Prod+with+title+Disk+full+triggered+1+times';
const SMS =
  'email=alice%40example.com&message=Grafana+OnCall%3A+Alert+group+%2342%22Disk+full%22+from+stack%3A+%22s%22%2C+integration%3A+Prod%2C+alerts+registered%3A+1.';
const webhook = (group: string) =>
  JSON.stringify({
    event: { type: 'personal notification', time: new Date().toISOString() },
    user: { id: 'U4DNY931HHJS5', username: 'alice', email: 'alice@example.com' },
    alert_group: { id: group, alerts_count: 1, state: 'firing', title: `Disk full ${group}` },
    alert_group_id: group,
    alert_payload: { title: `Disk full ${group}` },
    integration: { id: 'CFRPV98RPR1U8', type: 'formatted_webhook', name: 'Prod', team: null },
  });
const push = (group: string) =>
  JSON.stringify({
    android: { priority: 'high' },
    apns: { payload: { aps: { alert: { title: 'New alert group' } } } },
    data: { title: 'New alert group', alertGroupId: group, type: 'oncall.message' },
    token: 'alices-phone',
  });
/** Distinct alert-group ids, so the webhook's repeat guard never merges two of them. */
const group = (i: number) => `I${'ABCDEFGHJKLM'.slice(0, 11)}${'ABCDEFGHJKLMNPQRSTUVWXYZ'[i]}`;

describe('honest answers to OnCall', () => {
  let t: RunningApp;
  afterEach(() => t?.close());
  const post = (path: string, body: string, contentType?: string) =>
    rawRequest(t.port, pyRequest('POST', path, { token: TOKEN, body, contentType }));
  const rows = () => t.app.db('notifications').select('kind', 'source').orderBy('id');
  const alice = (over: Record<string, unknown> = {}) =>
    t.app.users.create(
      { email: 'alice@example.com', name: 'Alice', phone: '+15550001111', contacts: { fcm_device: deviceKey('alices-phone') }, ...over },
      { lang: 'en' },
    );

  describe('no channel able to deliver → 503 {"error":"failed"}, nothing stored', () => {
    it('no telephony and no sender: make_call, send_sms and the webhook all answer 503', async () => {
      t = await startApp();
      await alice();
      for (const [path, body, type] of [
        ['/api/v1/make_call', CALL],
        ['/api/v1/send_sms', SMS],
        ['/api/v1/oncall/webhook', webhook(group(0)), 'application/json'],
      ] as const) {
        const r = await post(path, body, type);
        expect(r.status, path).to.equal(503);
        expect(r.json(), path).to.deep.equal({ error: 'failed' });
      }
      expect(await rows()).to.deep.equal([]);
    });

    it('no telephony: a call page is accepted when the person can get the fallback SMS, refused when voice is all they have', async () => {
      const file = join(tmpdir(), `dozvon-honest-${process.pid}-${Date.now()}.yaml`);
      writeFileSync(
        file,
        'senders:\n  sms: { type: http, name: gw, url: "http://127.0.0.1:9/send", body: { to: "{{to}}", text: "{{text}}" } }\n',
      );
      try {
        t = await startApp({ DOZVON_CONFIG: file });
      } finally {
        rmSync(file, { force: true });
      }
      await alice({ channels: ['voice', 'sms'] });
      await t.app.users.create({ email: 'bob@example.com', name: 'Bob', phone: '+15550002222', channels: ['voice'] }, { lang: 'en' });
      expect((await post('/api/v1/make_call', CALL)).status).to.equal(200);
      const bob = await post('/api/v1/make_call', CALL.replace('alice', 'bob'));
      expect(bob.status).to.equal(503);
      expect(bob.json()).to.deep.equal({ error: 'failed' });
      expect(await rows()).to.deep.equal([{ kind: 'call', source: 'oncall-cloud' }]);
    });

    it('telephony but no SMS sender: make_call is accepted, send_sms answers 503', async () => {
      t = await startApp({}, { telephony: new FakeConfiguredTelephony() });
      await alice();
      expect((await post('/api/v1/make_call', CALL)).status).to.equal(200);
      const sms = await post('/api/v1/send_sms', SMS);
      expect(sms.status).to.equal(503);
      expect(sms.json()).to.deep.equal({ error: 'failed' });
      expect(await rows()).to.deep.equal([{ kind: 'call', source: 'oncall-cloud' }]);
    });
  });

  describe('the same daily limits on every route', () => {
    it('after make_call hit the call limit, 20 of 20 webhook pages are refused the same way (they used to be accepted)', async () => {
      t = await startDeliverableApp({ DOZVON_DAILY_LIMIT_CALLS: '3' });
      await alice();
      for (let i = 0; i < 3; i++) expect((await post('/api/v1/make_call', CALL)).status).to.equal(200);
      expect((await post('/api/v1/make_call', CALL)).json()).to.deep.equal({ error: 'limit-exceeded' });
      let refused = 0;
      for (let i = 0; i < 20; i++) {
        const r = await post('/api/v1/oncall/webhook', webhook(group(i)), 'application/json');
        if (r.status === 400 && (r.json() as { error?: string }).error === 'limit-exceeded') refused++;
      }
      expect(refused).to.equal(20);
      expect(await rows()).to.have.length(3);
    });

    it('webhook pages use up the call limit for make_call', async () => {
      t = await startDeliverableApp({ DOZVON_DAILY_LIMIT_CALLS: '2' });
      await alice();
      expect((await post('/api/v1/oncall/webhook', webhook(group(0)), 'application/json')).status).to.equal(200);
      expect((await post('/api/v1/oncall/webhook', webhook(group(1)), 'application/json')).status).to.equal(200);
      const r = await post('/api/v1/make_call', CALL);
      expect(r.status).to.equal(400);
      expect(r.json()).to.deep.equal({ error: 'limit-exceeded' });
    });

    it('pushes relayed for a person count with their SMS as text pages: 20 relays over a limit of 5 → 5 accepted, then 400 limit-exceeded', async () => {
      t = await startDeliverableApp({ DOZVON_DAILY_LIMIT_SMS: '5' });
      await alice();
      expect((await post('/api/v1/send_sms', SMS)).status).to.equal(200);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await post('/mobile_app/v1/fcm_relay', push(group(i)), 'application/json')).status);
      expect(statuses.filter((s) => s === 200)).to.have.length(4);
      const over = await post('/mobile_app/v1/fcm_relay', push(group(0)), 'application/json');
      expect(over.status).to.equal(400);
      expect(over.json()).to.include({ error: 'limit-exceeded' });
      expect((await post('/api/v1/send_sms', SMS)).json()).to.deep.equal({ error: 'limit-exceeded' });
      expect(await rows()).to.have.length(5);
    });

    it("only OnCall's pages count: heartbeat pages and fallbacks do not use up the limit", async () => {
      t = await startDeliverableApp({ DOZVON_DAILY_LIMIT_CALLS: '1' });
      const a = await alice();
      for (const source of ['heartbeat', 'self-check'])
        await t.app.notifications.enqueue({ kind: 'call', source, userId: a.id, email: a.email, message: 'x' });
      await t.app.notifications.enqueue({ kind: 'sms', source: 'voice-fallback', userId: a.id, email: a.email, message: 'x' });
      expect((await post('/api/v1/make_call', CALL)).status).to.equal(200);
      expect((await post('/api/v1/make_call', CALL)).status).to.equal(400);
    });
  });
});
