/** /readyz: ready = the database answers and some channel can page; telephony shown on its own. */
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { readiness, healthRouter } from '../../src/http/health';
import { requestLog } from '../../src/http/request-log';
import { express } from '../../src/http/express';
import { createLogger } from '../../src/core/log';
import { channelProbes } from '../../src/compose/readiness';
import type { Sender } from '../../src/senders';
import type { CheckOutcome } from '../../src/watchers/checks/check';
import type { TrunkStatus } from '../../src/trunks';

const db = { name: 'database', check: async () => undefined };
const sender = (name: string) => ({ name }) as Sender;
const outcome = (name: string, ok: boolean, detail = ok ? 'ok' : 'HTTP 503'): CheckOutcome => ({
  name,
  ok,
  state: ok ? 'ok' : 'down',
  detail,
  at: 0,
  durationMs: 1,
});

function probes(o: { telephonyOk: boolean; sms?: string[]; push?: string[]; latest?: CheckOutcome[] }) {
  return channelProbes({
    telephony: {
      health: () => ({
        ok: o.telephonyOk,
        configured: true,
        message: o.telephonyOk
          ? 'connected to 1 Asterisk server(s)'
          : '0/1 Asterisk server(s) connected; ast:8088: replaced (another client took Stasis app "dozvon")',
        servers: [],
      }),
    },
    senders: { sms: (o.sms ?? []).map(sender), push: (o.push ?? []).map(sender) },
    latest: () => o.latest ?? [],
  });
}

describe('/readyz readiness', () => {
  it('telephony down but an SMS sender works: ready, with the telephony state in the checks', async () => {
    const r = await readiness([db, ...probes({ telephonyOk: false, sms: ['gw'] })]);
    expect(r.ready).to.equal(true);
    expect(r.checks).to.deep.equal({
      database: 'ok',
      telephony: '0/1 Asterisk server(s) connected; ast:8088: replaced (another client took Stasis app "dozvon")',
      sms: 'ok',
      push: 'no sender configured',
    });
  });

  it('no channel can page anyone: not ready, and the reason names each channel', async () => {
    const r = await readiness([db, ...probes({ telephonyOk: false, sms: ['gw'], latest: [outcome('sender:gw', false)] })]);
    expect(r.ready).to.equal(false);
    expect(r.checks.sms).to.equal('every sender fails its self-check: sender:gw: HTTP 503');
    expect(r.reason).to.match(
      /^no channel can page anyone \(telephony: 0\/1 .*; sms: every sender fails .*; push: no sender configured\)$/,
    );
  });

  it('one SMS sender of two failing still pages, and /readyz says sms is degraded; telephony alone is enough', async () => {
    const one = await readiness([db, ...probes({ telephonyOk: false, sms: ['a', 'b'], latest: [outcome('sender:a', false)] })]);
    expect(one.ready).to.equal(true);
    expect(one.checks.sms).to.equal('degraded: sender:a down: HTTP 503');
    expect((await readiness([db, ...probes({ telephonyOk: true })])).ready).to.equal(true);
  });

  it('a sender nobody can probe leaves sms unchecked, one whose sends fail makes it degraded', async () => {
    const unprobed: CheckOutcome = {
      name: 'sender:a',
      ok: true,
      state: 'unchecked',
      detail: 'not checked (no health_url)',
      at: 0,
      durationMs: 0,
    };
    const alone = await readiness([db, ...probes({ telephonyOk: false, sms: ['a'], latest: [unprobed] })]);
    expect(alone).to.deep.include({ ready: true });
    expect(alone.checks.sms).to.equal('unchecked: sender:a unchecked: not checked (no health_url)');
    const failing: CheckOutcome = {
      name: 'sender:b',
      ok: true,
      state: 'degraded',
      detail: 'the last send failed (ECONNREFUSED)',
      at: 0,
      durationMs: 0,
    };
    const both = await readiness([db, ...probes({ telephonyOk: false, sms: ['a', 'b'], latest: [unprobed, failing] })]);
    expect(both.checks.sms).to.equal(
      'degraded: sender:a unchecked: not checked (no health_url); sender:b degraded: the last send failed (ECONNREFUSED)',
    );
  });

  it('a failing required probe (the database) is not ready whatever the channels say', async () => {
    const r = await readiness([
      {
        name: 'database',
        check: async () => {
          throw new Error('SQLITE_BUSY');
        },
      },
      ...probes({ telephonyOk: true }),
    ]);
    expect(r).to.deep.include({ ready: false, reason: 'database: SQLITE_BUSY' });
  });

  it('a 503 from /readyz is logged once when readiness changes, with the reason, not as a failed request each probe', async () => {
    const stream = new PassThrough();
    const lines: { level: string; msg: string; reason?: string; status?: number }[] = [];
    stream.on('data', (d: Buffer) =>
      d
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((l) => lines.push(JSON.parse(l))),
    );
    const logger = createLogger({ level: 'debug', destination: stream });
    let smsOk = false;
    const app = express();
    app.use(requestLog(logger));
    app.use(
      healthRouter(
        [
          db,
          {
            name: 'sms',
            role: 'channel',
            check: async () => {
              if (!smsOk) throw new Error('no sender configured');
            },
          },
        ],
        logger,
      ),
    );
    app.get('/boom', (_req, res) => void res.status(500).end());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (let i = 0; i < 3; i++) expect((await fetch(`${url}/readyz`)).status).to.equal(503);
      smsOk = true;
      expect((await fetch(`${url}/readyz`)).status).to.equal(200);
      expect((await fetch(`${url}/boom`)).status).to.equal(500);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      server.close();
    }
    const notices = lines.filter((l) => l.msg === 'not ready' || l.msg === 'ready');
    expect(notices.map((l) => [l.level, l.msg])).to.deep.equal([
      ['warn', 'not ready'],
      ['info', 'ready'],
    ]);
    expect(notices[0].reason).to.equal('no channel can page anyone (sms: no sender configured)');
    expect(lines.filter((l) => l.msg === 'request failed').map((l) => l.status)).to.deep.equal([500]);
  });
});

describe('/readyz: the trunks', () => {
  const trunk = (name: string, up: boolean, extra: Partial<TrunkStatus> = {}): TrunkStatus => ({
    name,
    breaker: up ? 'closed' : 'open',
    failuresInRow: up ? 0 : 3,
    retryAt: null,
    activeCalls: 0,
    maxCalls: null,
    lastTest: null,
    lastTestSuccessAt: null,
    up,
    ...extra,
  });
  const withTrunks = (telephonyOk: boolean, list: TrunkStatus[]) =>
    channelProbes({
      telephony: { health: () => ({ ok: telephonyOk, configured: true, message: telephonyOk ? 'connected' : 'no Asterisk', servers: [] }) },
      senders: { sms: [], push: [] },
      latest: () => [],
      trunks: () => list,
    });

  it('says which trunk is down while another carries calls; ready', async () => {
    const r = await readiness([db, ...withTrunks(true, [trunk('a', false), trunk('b', true)])]);
    expect(r.ready).to.equal(true);
    expect(r.checks.trunks).to.equal('degraded: a breaker open');
  });

  it('names the failed test call rather than the breaker it opened', async () => {
    const failed = { at: 0, ok: false, detail: 'rejected (cause 21, SIP 403) instead of an answer within 20 s' };
    const r = await readiness([db, ...withTrunks(true, [trunk('a', false, { lastTest: failed }), trunk('b', true)])]);
    expect(r.checks.trunks).to.equal('degraded: a test call failed: rejected (cause 21, SIP 403) instead of an answer within 20 s');
  });

  it('every trunk down fails the trunks channel; the telephony alone still counts', async () => {
    const r = await readiness([db, ...withTrunks(true, [trunk('a', false), trunk('b', false)])]);
    expect(r.checks.trunks).to.equal('every trunk is down: a breaker open; b breaker open');
    expect(r.ready).to.equal(true);
  });

  it('without telephony the trunks never make an instance look able to call', async () => {
    const r = await readiness([db, ...withTrunks(false, [trunk('a', true)])]);
    expect(r.checks.trunks).to.equal('no telephony: no Asterisk');
    expect(r.ready).to.equal(false);
  });
});
