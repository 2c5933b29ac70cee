/**
 * Channels end to end through the whole app: OnCall's send_sms and fcm_relay arrive over the
 * cloud API and leave as a delivered SMS (fake HTTP gateway) and push (fake ntfy), each with a
 * signed acknowledge link that acknowledges in the fake OnCall only on POST.
 */
import { expect } from 'chai';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, RunningApp } from '../helpers/app';
import { pyRequest, rawRequest } from '../helpers/raw-http';
import { FakeSmsGateway, FakeNtfy } from '../fakes/senders';
import { FakeOnCall } from '../fakes/oncall';
import { deviceKey } from '../../src/cloud/fcm-relay';

describe('channels e2e: send_sms and fcm_relay delivered with acknowledge links', function () {
  this.timeout(30000);
  let t: RunningApp;
  let gw: FakeSmsGateway;
  let ntfy: FakeNtfy;
  let oncall: FakeOnCall;
  let groupId: string;

  beforeEach(async () => {
    gw = await FakeSmsGateway.start();
    ntfy = await FakeNtfy.start();
    oncall = await FakeOnCall.start();
    oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token' });
    oncall.state.addUser({ email: 'alice@example.com', username: 'alice' });
    const integ = oncall.state.addIntegration({ name: 'Prod' });
    groupId = oncall.state.addAlertGroup({ integrationId: integ.id, title: 'High CPU' }).id;
    const file = join(mkdtempSync(join(tmpdir(), 'dozvon-ch-')), 'dozvon.yaml');
    writeFileSync(
      file,
      `senders:\n  sms:\n    - { type: http, name: gw, url: "${gw.url}/send", body: { to: "{{to}}", text: "{{text}}" } }\n  push:\n    - { type: ntfy, url: "${ntfy.url}" }\n`,
    );
    t = await startApp(
      { DOZVON_CONFIG: file, DOZVON_ONCALL_URL: oncall.url, DOZVON_ONCALL_TOKEN: 'svc-token', DOZVON_PUBLIC_URL: 'http://dozvon.test/' },
      { startEngines: true, sweepMs: 200 },
    );
    await t.app.users.create(
      {
        email: 'alice@example.com',
        name: 'Alice',
        phone: '+15550001111',
        channels: ['sms', 'push'],
        contacts: { ntfy: 'alice-topic', fcm_device: deviceKey('alice-phone-token') },
      },
      { lang: 'en' },
    );
  });
  afterEach(async () => {
    await t.close();
    await Promise.all([gw.close(), ntfy.close(), oncall.close()]);
  });

  const until = async <T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string): Promise<T> => {
    const end = Date.now() + 8000;
    for (;;) {
      const v = await fn();
      if (v) return v as T;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const localPath = (link: string) => new URL(link).pathname;

  it('send_sms → one SMS through the gateway, with a link that acknowledges only on POST', async () => {
    const message = `Grafana OnCall: Alert group #42"High CPU" from stack: "self_hosted_stack", integration: Prod, alerts registered: 3. http://grafana.test/a/grafana-oncall-app/alert-groups/${groupId}`;
    const r = await rawRequest(
      t.port,
      pyRequest('POST', '/api/v1/send_sms', {
        token: 'cloud-token-1-0123456789',
        body: `email=alice%40example.com&message=${encodeURIComponent(message)}`,
      }),
    );
    expect(r.status).to.equal(200);
    const row = await until(
      async () =>
        (await t.app.db('notifications').where({ kind: 'sms', state: 'delivered' }).first()) as { id: number; outcome: string } | undefined,
      'the SMS',
    );
    expect(row.outcome).to.equal('sent');
    const sms = JSON.parse(gw.last().body) as { to: string; text: string };
    expect(sms.to).to.equal('+15550001111');
    const m = /http:\/\/dozvon\.test\/ack\/\S+/.exec(sms.text);
    if (!m) throw new Error(`no ack link in: ${sms.text}`);
    const link = m[0];
    // Opening the link (a phone's link preview does this) must not acknowledge.
    const page = await fetch(`${t.url}${localPath(link)}`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include('<form');
    expect(oncall.state.groups.get(groupId)!.acknowledgedBy).to.equal(null);
    const post = await fetch(`${t.url}${localPath(link)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(post.status).to.equal(200);
    expect(await post.text()).to.match(/Acknowledged/);
    expect(oncall.state.groups.get(groupId)!.acknowledgedBy).to.be.a('string');
    expect(oncall.state.notes[0].text).to.match(/^Acknowledged by SMS link by Alice from \+1555\*+11/);
    const again = await fetch(`${t.url}${localPath(link)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(await again.text()).to.match(/Already acknowledged/);
    // A tampered link is refused.
    const tampered = await fetch(`${t.url}${localPath(link).slice(0, -2)}xx`);
    expect(tampered.status).to.equal(400);
  });

  it('fcm_relay → a push on ntfy for the person owning the device, urgent, with the acknowledge action', async () => {
    const body = JSON.stringify({
      android: { priority: 'high' },
      apns: { headers: { 'apns-priority': '10' }, payload: { aps: { alert: { title: 'New alert group', body: '#42 High CPU' } } } },
      data: {
        title: 'New alert group',
        subtitle: '#42 High CPU\nvia Prod',
        alertGroupId: groupId,
        type: 'oncall.critical_message',
        orgId: 'OABC',
        status: '0',
      },
      token: 'alice-phone-token',
    });
    const r = await rawRequest(
      t.port,
      pyRequest('POST', '/mobile_app/v1/fcm_relay', { token: 'cloud-token-1-0123456789', body, contentType: 'application/json' }),
    );
    expect(r.status).to.equal(200);
    await until(async () => (await t.app.db('notifications').where({ kind: 'push', state: 'delivered' }).first()) as unknown, 'the push');
    const [m] = ntfy.messages;
    expect(m.topic).to.equal('alice-topic');
    expect(m.title).to.equal('New alert group');
    expect(m.priority).to.equal(5);
    expect(JSON.stringify(m.actions)).to.match(/dozvon\.test\/ack\//);
  });

  it('a push from an unknown device is recorded as failed with the reason, never lost', async () => {
    const body = JSON.stringify({ apns: {}, data: { title: 'x', alertGroupId: groupId }, token: 'someone-else' });
    await rawRequest(
      t.port,
      pyRequest('POST', '/mobile_app/v1/fcm_relay', { token: 'cloud-token-1-0123456789', body, contentType: 'application/json' }),
    );
    const row = await until(
      async () => (await t.app.db('notifications').where({ kind: 'push', state: 'failed' }).first()) as { reason: string } | undefined,
      'the failure record',
    );
    expect(row.reason).to.equal(`no person has contacts.fcm_device = ${deviceKey('someone-else')}`);
  });
});
