import { expect } from 'chai';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../../src/config/env-schema';
import type { AddressInfo } from 'node:net';
import { SystemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { UsersRepo } from '../../../src/directory/users-repo';
import type { Notification } from '../../../src/db/notifications-repo';
import type { AlertGroup, OnCallClient } from '../../../src/oncall/index';
import { hotlineSectionSchema, HttpHotlineAlerter, IncidentSource, messageUrl } from '../../../src/hotline';
import { HotlineStateMachine } from '../../../src/hotline/states';
import { CallerDirectory } from '../../../src/hotline/identify';
import { announceText } from '../../../src/hotline/texts';
import { FakeClock } from '../../fakes/clock';
import { makeTestDb, TestDb } from '../../helpers/db';

function group(id: string, createdAt: string, title: string, state: AlertGroup['state'] = 'firing'): AlertGroup {
  return {
    id,
    integration_id: 'C1',
    team_id: null,
    route_id: null,
    alerts_count: 2,
    state,
    created_at: createdAt,
    resolved_at: null,
    resolved_by: null,
    acknowledged_at: null,
    acknowledged_by: null,
    labels: [{ key: { id: 'severity', name: 'severity' }, value: { id: 'critical', name: 'critical' } }],
    title,
    permalinks: { web: null },
    silenced_at: null,
  };
}

/** Just the reads the incident source makes; counts them and can be made to fail. */
class ScriptedOnCall {
  calls = 0;
  fail = false;
  groups: AlertGroup[] = [];
  client(): OnCallClient {
    return {
      listAlertGroups: async (f: { state?: string } = {}) => {
        this.calls++;
        if (this.fail) throw new Error('connect ECONNREFUSED');
        return this.groups.filter((g) => (f.state === 'new' ? g.state === 'firing' : g.state === f.state));
      },
      getIntegration: async () => ({ id: 'C1', name: 'Grafana', type: 'grafana', team_id: null }),
    } as unknown as OnCallClient;
  }
}

function page(id: number, receivedAt: number, message: string, alertGroupId: string | null = null, source = 'oncall-cloud'): Notification {
  return {
    id,
    kind: 'call',
    source,
    userId: null,
    email: 'a@example.com',
    message,
    payload: null,
    alertGroupId,
    correlation: null,
    receivedAt,
    state: 'delivered',
    attempts: 1,
    nextAttemptAt: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    outcome: null,
    reason: null,
    finishedAt: null,
  };
}

describe('hotline parts', () => {
  describe('state machine', () => {
    it('allows the hotline path and refuses a jump the flow never makes', () => {
      const seen: string[] = [];
      const fsm = new HotlineStateMachine((from, to) => seen.push(`${from}>${to}`));
      for (const s of [
        'answering',
        'identifying',
        'loading',
        'reading',
        'reading',
        'pin',
        'acting',
        'reading',
        'connecting',
        'voicemail',
        'goodbye',
        'done',
      ] as const)
        fsm.to(s);
      expect(seen).to.have.length(12);
      expect(() => new HotlineStateMachine(() => undefined).to('reading')).to.throw(/arrived → reading/);
      const b = new HotlineStateMachine(() => undefined);
      for (const s of ['answering', 'identifying', 'loading', 'reading', 'connecting', 'bridged'] as const) b.to(s);
      expect(() => b.to('reading')).to.throw(/not allowed/);
    });
  });

  describe('incident source', () => {
    const now = Date.parse('2026-11-21T03:00:00Z');
    let clock: FakeClock;
    let oc: ScriptedOnCall;
    let pages: Notification[];
    const source = (client: OnCallClient | null = oc.client()) =>
      new IncidentSource({ client, pages: { listRecent: async () => pages }, clock, logger: silentLogger(), cacheMs: 10_000 });

    beforeEach(() => {
      clock = new FakeClock(now);
      oc = new ScriptedOnCall();
      oc.groups = [
        group('I1', '2026-11-21T01:00:00.000000Z', 'Old one'),
        group('I2', '2026-11-21T02:55:00.000000Z', 'Newest one', 'acknowledged'),
        group('I3', '2026-11-21T02:00:00.000000Z', 'Middle one'),
      ];
      pages = [
        page(3, now - 60_000, 'Same page', 'I9'),
        page(2, now - 120_000, 'Same page', 'I9'),
        page(1, now - 25 * 3600_000, 'Too old'),
      ];
    });

    it('reads firing and acknowledged groups newest first, with sentences in both languages', async () => {
      const list = await source().list();
      expect(list.source).to.equal('oncall');
      expect(list.incidents.map((i) => i.alertGroupId)).to.deep.equal(['I2', 'I3', 'I1']);
      expect(list.incidents[0].spoken.en).to.equal(
        'Incident: Newest one. Severity: critical. Source: Grafana. 2 alerts, started 5 minutes ago. Already acknowledged.',
      );
      expect(list.incidents[0].spoken.ru).to.match(/^Инцидент: Newest one\./);
    });

    it('reuses the list for the cache period, shares one read between concurrent callers, and forgets it on invalidate', async () => {
      const s = source();
      await Promise.all([s.list(), s.list(), s.list()]);
      expect(oc.calls).to.equal(2); // firing + acknowledged, once
      await clock.advance(9_000);
      await s.list();
      expect(oc.calls).to.equal(2);
      await clock.advance(2_000);
      await s.list();
      expect(oc.calls).to.equal(4);
      s.invalidate();
      await s.list();
      expect(oc.calls).to.equal(6);
      expect(clock.pending()).to.equal(0);
    });

    it('OnCall failing or not configured: the local pages of the last 24 h, one per incident', async () => {
      oc.fail = true;
      for (const list of [await source().list(), await source(null).list()]) {
        expect(list.source).to.equal('local');
        expect(list.oncallError).to.be.a('string');
        expect(list.incidents.map((i) => [i.alertGroupId, i.title])).to.deep.equal([['I9', 'Same page']]);
      }
    });

    it('reads only pages that came from OnCall: no test calls, heartbeat notices or self-check alerts as "incidents"', async () => {
      oc.fail = true;
      const now = clock.now();
      pages = [
        page(9, now - 10_000, 'This is a dozvon test call', null, 'test-call'),
        page(8, now - 20_000, 'Heartbeat backup recovered', null, 'heartbeat'),
        page(7, now - 30_000, 'Self-check: speech is down', null, 'self-check'),
        page(6, now - 40_000, 'Shift starts', null, 'shift'),
        page(5, now - 50_000, 'Disk full on db1', 'I7', 'oncall-webhook'),
        page(4, now - 60_000, 'Same page', 'I9', 'oncall-cloud'),
      ];
      const list = await source(null).list();
      expect(list.incidents.map((i) => i.alertGroupId)).to.deep.equal(['I7', 'I9']);
    });
  });

  describe('caller directory', () => {
    let tdb: TestDb;
    let dir: CallerDirectory;
    before(async () => {
      tdb = await makeTestDb();
      const users = new UsersRepo(tdb.db);
      await users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550000001', pin: '1234' }, { lang: 'en' });
      await users.create({ email: 'bob@example.com', name: 'Bob', phone: '1002', pin: '4321' }, { lang: 'ru' });
      await users.create({ email: 'eve@example.com', name: 'Eve', phone: '1003', pin: '4321' }, { lang: 'en' });
      await users.create({ email: 'nopin@example.com', name: 'Nopin', phone: '1004' }, { lang: 'en' });
      dir = new CallerDirectory(users);
    });
    after(async () => tdb.close());

    it('matches caller ID as delivered, normalised, or missing its +', async () => {
      expect((await dir.byNumber('+15550000001'))?.email).to.equal('alice@example.com');
      expect((await dir.byNumber('15550000001'))?.email).to.equal('alice@example.com');
      expect((await dir.byNumber('+1 555 000 0001'))?.email).to.equal('alice@example.com');
      expect(await dir.byNumber('anonymous')).to.equal(null);
      expect(await dir.byNumber(null)).to.equal(null);
    });

    it("checks a known caller's own PIN; an unknown caller names themselves, and a PIN alone identifies nobody", async () => {
      const alice = (await dir.byNumber('+15550000001'))!;
      expect(await dir.checkPin(alice, '1234')).to.equal(true);
      expect(await dir.checkPin(alice, '4321')).to.equal(false);
      expect(await dir.checkPin(alice, '12')).to.equal(false);
      // By the last four digits of the phone, the whole number, or the extension; then the PIN.
      expect((await dir.identify('0001', '1234'))?.email).to.equal('alice@example.com');
      expect((await dir.identify('15550000001', '1234'))?.email).to.equal('alice@example.com');
      expect((await dir.identify('1002', '4321'))?.email).to.equal('bob@example.com');
      expect((await dir.identify('1003', '4321'))?.email).to.equal('eve@example.com'); // same PIN, told apart by who
      expect(await dir.identify('1002', '1234')).to.equal(null); // Alice's PIN does not open Bob
      expect(await dir.identify('1004', '0000')).to.equal(null); // no PIN set
      expect(await dir.identify('9999', '1234')).to.equal(null); // nobody
      expect(await dir.identify('', '1234')).to.equal(null);
    });
  });

  describe('OnCall alerter (formatted_webhook)', () => {
    let server: http.Server;
    let statuses: number[];
    let bodies: unknown[];
    let url: string;
    beforeEach(async () => {
      statuses = [];
      bodies = [];
      server = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c.toString()));
        req.on('end', () => {
          bodies.push(JSON.parse(raw));
          const st = statuses.shift() ?? 200;
          if (st === 0) return; // never answers: the per-try deadline must cut it
          res.writeHead(st).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    });
    const alert = { alert_uid: 'u1', title: 'T', message: 'M', state: 'alerting' as const, link_to_upstream_details: 'http://x/y' };

    it('retries 5xx and a hung request, then delivers', async () => {
      statuses.push(503, 0);
      const ok = await new HttpHotlineAlerter({
        url,
        clock: new SystemClock(),
        logger: silentLogger(),
        timeoutMs: 200,
        backoffMs: [10, 10],
      }).send(alert);
      expect(ok).to.equal(true);
      expect(bodies).to.have.length(3);
      expect(bodies[2]).to.deep.equal(alert);
    });

    it('gives up at once on a 4xx, and after the last try on 5xx', async () => {
      statuses.push(400);
      expect(await new HttpHotlineAlerter({ url, clock: new SystemClock(), logger: silentLogger(), backoffMs: [10] }).send(alert)).to.equal(
        false,
      );
      expect(bodies).to.have.length(1);
      statuses.push(500, 500);
      expect(await new HttpHotlineAlerter({ url, clock: new SystemClock(), logger: silentLogger(), backoffMs: [10] }).send(alert)).to.equal(
        false,
      );
      expect(bodies).to.have.length(3);
    });
  });

  describe('config and texts', () => {
    it('has safe defaults and refuses unknown keys', () => {
      expect(hotlineSectionSchema.parse({})).to.deep.equal({
        hunt: [],
        record_max_seconds: 120,
        ring_timeout_seconds: 25,
        require_pin: false,
        cache_seconds: 10,
      });
      expect(hotlineSectionSchema.safeParse({ hunt: ['not-an-email'] }).success).to.equal(false);
      expect(hotlineSectionSchema.safeParse({ shedule: 'typo' }).success).to.equal(false);
      expect(hotlineSectionSchema.safeParse({ oncall_alert_url: 'nope' }).success).to.equal(false);
    });

    it('builds message URLs under the public URL and announcements in both languages', () => {
      expect(messageUrl('https://dozvon.example.com/', 'abc')).to.equal('https://dozvon.example.com/hotline/messages/abc.wav');
      expect(announceText({ name: null, number: '+15557654321' }, 'Disk full', 'en')).to.equal(
        'Hotline call from + 1 5 5 5 7 6 5 4 3 2 1, about: Disk full. Connecting you now.',
      );
      expect(announceText({ name: 'Алиса', number: null }, null, 'ru')).to.equal(
        'Звонок на горячую линию от Алиса. Тема: открытых инцидентов нет. Соединяю.',
      );
    });
  });
});

describe('hotline dialplan', () => {
  it('[dozvon-hotline] sends callers to Stasis(<DOZVON_ARI_APP default>,hotline) without answering first', () => {
    const conf = readFileSync(join(__dirname, '../../../dialplan/extensions.conf'), 'utf8');
    const section = /^\[dozvon-hotline\]\n([\s\S]*?)(?=^\[|^; -{10})/m.exec(conf)![1];
    const app = SETTINGS.find((s) => s.name === 'DOZVON_ARI_APP')!.default;
    expect(section).to.match(new RegExp(`Stasis\\(${app},hotline\\)`));
    expect(section).to.not.match(/Answer\(/);
  });
});
