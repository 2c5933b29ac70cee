/**
 * A real Alertmanager 0.25 (Debian's prometheus-alertmanager) with `opsgenie_configs` whose
 * `api_url` is dozvon: a firing alert becomes a dozvon alert that calls the person over SIP on
 * the real Asterisk, and the phone hears the alert; Alertmanager's repeated notifications of the
 * group only count up; the resolved notification closes it and stops the escalation; with
 * nobody answering, the next step calls the next person after its delay.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { useStory, answered, starts, ends, expectHeard, items, MENU, SPEECH, ALICE_PHONE } from './stories';
import { freePort } from './asterisk/process';
import type { ResponderResolver } from '../../src/alerts/responders';
import type { RealWorld } from './world';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const BOB_PHONE = '15550002222';
const STEP_MS = 8_000;

/** Alice first, Bob after STEP_MS, Alice again later: a team's escalation policy, as the teams module will plan it. */
function escalation(users: { current: RealWorld | null; stepMs: number }): ResponderResolver {
  return {
    async plan(_responders, team) {
      const app = users.current!.app;
      const alice = (await app.users.getByEmail('alice@example.com'))!.id;
      const bob = (await app.users.getByEmail('bob@example.com'))!.id;
      return {
        steps: [
          { afterMs: 0, userIds: [alice], label: 'alice@example.com' },
          { afterMs: users.stepMs, userIds: [bob], label: 'bob@example.com' },
          { afterMs: 3 * users.stepMs, userIds: [alice], label: 'alice@example.com (again)' },
        ],
        teamId: team,
        unresolved: [],
      };
    },
  };
}

class Alertmanager {
  private constructor(
    readonly url: string,
    private readonly proc: ChildProcess,
    private readonly dir: string,
    readonly log: string[],
  ) {}

  static async start(dozvonUrl: string, key: string): Promise<Alertmanager> {
    const dir = mkdtempSync(path.join(tmpdir(), 'dz-am-'));
    const port = await freePort();
    // Short intervals: the group is re-sent every couple of seconds, as repeat_interval does over hours in production.
    writeFileSync(
      path.join(dir, 'am.yml'),
      [
        'route:',
        '  receiver: dozvon',
        '  group_by: [alertname]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 2s',
        'receivers:',
        '  - name: dozvon',
        '    opsgenie_configs:',
        `      - api_key: ${key}`,
        `        api_url: ${dozvonUrl}/`,
        '        priority: P1',
        '        responders: [{ type: team, name: dba }]',
        '',
      ].join('\n'),
    );
    const log: string[] = [];
    const proc = spawn(
      ALERTMANAGER,
      [
        `--config.file=${path.join(dir, 'am.yml')}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout!.on('data', (d) => log.push(String(d)));
    proc.stderr!.on('data', (d) => log.push(String(d)));
    const am = new Alertmanager(`http://127.0.0.1:${port}`, proc, dir, log);
    const end = Date.now() + 20_000;
    for (;;) {
      const ok = await fetch(`${am.url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return am;
      if (Date.now() > end || proc.exitCode !== null) {
        await am.stop();
        throw new Error(`Alertmanager did not start: ${log.join('').slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** POST /api/v2/alerts; `endsAt` in the past resolves the alert. */
  async post(labels: Record<string, string>, endsAt?: Date): Promise<void> {
    const body = [{ labels, annotations: { summary: 'Disk / is 97% full' }, ...(endsAt ? { endsAt: endsAt.toISOString() } : {}) }];
    const r = await fetch(`${this.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`Alertmanager refused the alert: ${r.status} ${await r.text()}`);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('real Alertmanager 0.25 → Opsgenie alert API → real Asterisk', function () {
  const holder: { current: RealWorld | null; stepMs: number } = { current: null, stepMs: STEP_MS };
  const story = useStory(this, { overrides: { alertResolver: escalation(holder) } });
  let am: Alertmanager | null = null;

  before(function () {
    if (existsSync(ALERTMANAGER)) return;
    // Like the other real dependencies: CI must have it, a laptop may not.
    if (process.env.CI === 'true') throw new Error(`${ALERTMANAGER} is missing (.ci/apt-packages installs prometheus-alertmanager)`);
    this.skip();
  });
  afterEach(async function () {
    if (am && this.currentTest?.state === 'failed') process.stderr.write(`alertmanager said: ${am.log.join('').slice(-3000)}\n`);
    await am?.stop();
    am = null;
    holder.current = null;
    holder.stepMs = STEP_MS;
  });

  async function setUp() {
    const s = story();
    holder.current = s.w;
    const { key } = await s.w.app.alerts.integrations.create('test', { name: 'alertmanager', defaultTeam: 'dba', rules: [] });
    am = await Alertmanager.start(s.w.url, key);
    return s;
  }
  const alerts = (w: RealWorld) => w.app.alerts.service.list({}, { offset: 0, limit: 10, sort: 'createdAt', order: 'asc' });
  const pages = (w: RealWorld) =>
    w.app.db('notifications').where({ source: 'alert' }).orderBy('id') as Promise<{ id: number; email: string; state: string }[]>;

  it('firing: Alice is called and hears the alert; repeats only count up; 1 acknowledges; resolved closes it', async () => {
    // Bob's step stays far off: the call reads the alert for longer than STEP_MS.
    holder.stepMs = 120_000;
    const s = await setUp();
    const { w } = s;
    await am!.post({ alertname: 'DiskFull', instance: 'db-2', severity: 'critical' });
    const call = await answered(w, ALICE_PHONE, 30_000);
    const speech = await starts(w, SPEECH);
    await ends(w, speech);
    await starts(w, MENU);
    const said = s.said.find((t) => t.startsWith('Alert, priority 1:'));
    expect(said, `dozvon said ${JSON.stringify(s.said)}`).to.match(/^Alert, priority 1: \[FIRING:1\] DiskFull/);
    expect(said).to.match(/Team dba\.$/);
    // Alertmanager keeps re-sending the group while the call goes on.
    const counted = await w.until(async () => (await alerts(w)).find((a) => a.count >= 2), 'a repeated notification', 30_000);
    expect(counted.message).to.match(/^\[FIRING:1\] DiskFull/);
    await call.press('1');
    await w.until(async () => (await alerts(w))[0].acknowledged, 'the alert acknowledged', 20_000);
    await call.waitEnded();
    await expectHeard(w, call, items(w));
    const [a] = await alerts(w);
    expect(a).to.include({ owner: 'alice@example.com', status: 'open' });
    expect(await alerts(w)).to.have.length(1);
    expect(await pages(w), 'one page, however often Alertmanager repeated').to.have.length(1);

    await am!.post({ alertname: 'DiskFull', instance: 'db-2', severity: 'critical' }, new Date(Date.now() - 1000));
    const closed = await w.until(async () => (await alerts(w)).find((x) => x.status === 'closed'), 'the resolved notification', 30_000);
    expect(closed.closedBy).to.equal('integration alertmanager');
    expect(closed.count).to.be.greaterThan(1);
  });

  it('nobody answers: Bob is called after the step delay; the resolved notification stops the escalation', async () => {
    const s = await setUp();
    const { w } = s;
    await am!.post({ alertname: 'ApiDown', service: 'api' });
    const alice = await w.phones.expectCall(ALICE_PHONE, 30_000);
    const createdAt = (await w.until(async () => (await alerts(w))[0], 'the alert')).createdAt;
    await alice.ring();
    await alice.endWith('decline');
    const bob = await w.phones.expectCall(BOB_PHONE, 30_000);
    const waited = Date.now() - createdAt;
    expect(waited, `Bob called ${waited} ms after the alert`).to.be.at.least(STEP_MS - 200);
    await bob.ring();
    await bob.endWith('decline');
    await am!.post({ alertname: 'ApiDown', service: 'api' }, new Date(Date.now() - 1000));
    const closed = await w.until(async () => (await alerts(w)).find((x) => x.status === 'closed'), 'the resolved notification', 30_000);
    expect(closed.nextStepAt).to.equal(null);
    // Past the third step's time: nothing more was paged, and the busy/declined retries were cancelled.
    const third = createdAt + 3 * STEP_MS + 2_000;
    await new Promise((r) => setTimeout(r, Math.max(0, third - Date.now())));
    const steps = (await w.app.alerts.service.events(closed.id)).filter((e) => e.kind === 'step').map((e) => e.text);
    expect(steps).to.deep.equal(['step 1 of 3: alice@example.com', 'step 2 of 3: bob@example.com']);
    const rows = await pages(w);
    expect(rows.map((r) => r.email)).to.deep.equal(['alice@example.com', 'bob@example.com']);
    expect(rows.every((r) => r.state !== 'pending')).to.equal(true);
  });
});
