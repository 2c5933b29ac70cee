/**
 * A real Alertmanager 0.25 (Debian's prometheus-alertmanager) with `opsgenie_configs` whose
 * `api_url` is dozvon, and the team `dba` set up as an operator does (teams/resolver.ts decides
 * who is called): a firing alert calls the person on call of the responder team over SIP on the
 * real Asterisk, and the phone hears the alert; Alertmanager's repeated notifications of the
 * group only count up; the resolved notification closes it and stops the escalation; with
 * nobody answering, the policy's next step calls the next person after its delay; an override
 * for tonight puts someone else on call, and they are called instead.
 */
import { expect } from 'chai';
import { useStory, answered, starts, ends, expectHeard, items, pressDuringMenu, rescheduled, MENU, SPEECH, ALICE_PHONE } from './stories';
import { Alertmanager, needAlertmanager } from './alertmanager';
import { BOB_PHONE, CAROL_PHONE, POLICY_MINUTE_MS, SCHEDULE, TEAM, carolTakesTonight, setUpPolicy, setUpTeam } from './teams';
import type { RealWorld } from './world';

/** Far enough that a call read to its end and acknowledged never meets Bob's step. */
const BOB_LATE = 120;

describe('real Alertmanager 0.25 → Opsgenie alert API → teams → real Asterisk', function () {
  const story = useStory(this, { overrides: { policyMinuteMs: POLICY_MINUTE_MS } });
  let am: Alertmanager | null = null;

  before(function () {
    needAlertmanager(this);
  });
  afterEach(async function () {
    if (am && this.currentTest?.state === 'failed') process.stderr.write(`alertmanager said: ${am.log.join('').slice(-3000)}\n`);
    await am?.stop();
    am = null;
  });

  async function setUp(o: { bobAfterMinutes: number; repeatAfterMinutes: number }) {
    const s = story();
    await setUpTeam(s.w);
    const { key } = await setUpPolicy(s.w, o);
    am = await Alertmanager.start(s.w.url, key, TEAM);
    return { ...s, key };
  }
  const alerts = (w: RealWorld) => w.app.alerts.service.list({}, { offset: 0, limit: 10, sort: 'createdAt', order: 'asc' });
  const pages = (w: RealWorld) =>
    w.app.db('notifications').where({ source: 'alert' }).orderBy('id') as Promise<{ id: number; email: string; state: string }[]>;
  /** GET /v2/alerts as an Opsgenie client asks it. */
  async function listed(w: RealWorld, key: string): Promise<{ count: number; status: string; acknowledged: boolean; owner: string }[]> {
    const r = await fetch(`${w.url}/v2/alerts`, { headers: { authorization: `GenieKey ${key}` }, signal: AbortSignal.timeout(5000) });
    expect(r.status).to.equal(200);
    return ((await r.json()) as { data: { count: number; status: string; acknowledged: boolean; owner: string }[] }).data;
  }
  /** Every call dozvon placed to a number so far. */
  const callsTo = (w: RealWorld, number: string) => w.phones.events.filter((e) => e.type === 'StasisStart' && e.args?.[0] === number);

  it("firing: the rotation's on-call (Alice) is called and hears the alert; repeats only count up; 1 acknowledges; resolved closes it", async () => {
    const s = await setUp({ bobAfterMinutes: BOB_LATE, repeatAfterMinutes: 60 });
    const { w } = s;
    await am!.post({ alertname: 'DiskFull', instance: 'db-2', severity: 'critical' });
    const call = await answered(w, ALICE_PHONE, 30_000);
    const speech = await starts(w, SPEECH);
    await ends(w, speech);
    await starts(w, MENU);
    const said = s.said.find((t) => t.startsWith('Alert, priority 1:'));
    expect(said, `dozvon said ${JSON.stringify(s.said)}`).to.match(/^Alert, priority 1: \[FIRING:1\] DiskFull/);
    // The team by the name people know it by, not its id.
    expect(said).to.match(/Team dba\.$/);
    // Alertmanager keeps re-sending the group while the call goes on: the API counts them.
    const counted = await w.until(async () => (await listed(w, s.key)).find((a) => a.count >= 2), 'a repeated notification', 30_000);
    expect(counted.status).to.equal('open');
    await call.press('1');
    await w.until(async () => (await listed(w, s.key))[0].acknowledged, 'the alert acknowledged', 20_000);
    await call.waitEnded();
    await expectHeard(w, call, items(w));
    const [a] = await listed(w, s.key);
    expect(a).to.include({ owner: 'alice@example.com', status: 'open' });
    expect(await alerts(w)).to.have.length(1);
    expect(await pages(w), 'one page, however often Alertmanager repeated').to.have.length(1);
    expect(callsTo(w, ALICE_PHONE), 'one call to Alice').to.have.length(1);
    const [first] = await alerts(w);
    const steps = (await w.app.alerts.service.events(first.id)).filter((e) => e.kind === 'step').map((e) => e.text);
    expect(steps).to.deep.equal([`step 1 of 4: on call of ${SCHEDULE}`]);

    await am!.post({ alertname: 'DiskFull', instance: 'db-2', severity: 'critical' }, new Date(Date.now() - 1000));
    const closed = await w.until(async () => (await alerts(w)).find((x) => x.status === 'closed'), 'the resolved notification', 30_000);
    expect(closed.closedBy).to.equal('integration alertmanager');
    expect(closed.count).to.be.greaterThan(1);
    expect((await listed(w, s.key))[0].status).to.equal('closed');
  });

  it("nobody answers: the policy's next step calls Bob after its delay; the resolved notification stops the escalation", async () => {
    // Bob 8 policy minutes after the alert; the policy would start over 45 minutes after it, leaving
    // a loaded machine plenty of time to ring both and close the alert before then.
    const s = await setUp({ bobAfterMinutes: 8, repeatAfterMinutes: 37 });
    const { w } = s;
    const stepMs = 8 * POLICY_MINUTE_MS;
    const repeatMs = 45 * POLICY_MINUTE_MS;
    await am!.post({ alertname: 'ApiDown', service: 'api' });
    const alice = await w.phones.expectCall(ALICE_PHONE, 30_000);
    const createdAt = (await w.until(async () => (await alerts(w))[0], 'the alert')).createdAt;
    await alice.ring();
    await alice.endWith('decline');
    const bob = await w.phones.expectCall(BOB_PHONE, 30_000);
    const waited = Date.now() - createdAt;
    expect(waited, `Bob called ${waited} ms after the alert`).to.be.at.least(stepMs - 200);
    await bob.ring();
    await bob.endWith('decline');
    // Both declined calls are over and their retries wait (a minute away): what closing must cancel.
    const [alicePage, bobPage] = await pages(w);
    await rescheduled(w, alicePage.id);
    await rescheduled(w, bobPage.id);
    await am!.post({ alertname: 'ApiDown', service: 'api' }, new Date(Date.now() - 1000));
    const closed = await w.until(async () => (await alerts(w)).find((x) => x.status === 'closed'), 'the resolved notification', 30_000);
    expect(Date.now() - createdAt, 'closed before the policy would start over').to.be.below(repeatMs);
    expect(closed.nextStepAt).to.equal(null);
    // Past the time the policy would have started over: nothing more was paged, and the retries were cancelled.
    await new Promise((r) => setTimeout(r, Math.max(0, createdAt + repeatMs + 3_000 - Date.now())));
    const steps = (await w.app.alerts.service.events(closed.id)).filter((e) => e.kind === 'step').map((e) => e.text);
    expect(steps).to.deep.equal([`step 1 of 4: on call of ${SCHEDULE}`, 'step 2 of 4: bob@example.com']);
    const rows = await pages(w);
    expect(rows.map((r) => r.email)).to.deep.equal(['alice@example.com', 'bob@example.com']);
    expect(rows.every((r) => r.state !== 'pending')).to.equal(true);
  });

  it('an override for tonight: Carol is on call, so Carol is called and acknowledges, and Alice is not called', async () => {
    const s = await setUp({ bobAfterMinutes: BOB_LATE, repeatAfterMinutes: 60 });
    const { w } = s;
    await carolTakesTonight(w);
    await am!.post({ alertname: 'ReplicationLag', instance: 'db-3', severity: 'critical' });
    const carol = await answered(w, CAROL_PHONE, 30_000);
    await pressDuringMenu(w, carol, '1');
    await w.until(async () => (await listed(w, s.key))[0]?.acknowledged, 'the alert acknowledged', 20_000);
    await carol.waitEnded();
    expect(s.said.find((t) => t.startsWith('Alert, priority 1:'))).to.match(/\[FIRING:1\] ReplicationLag/);
    await expectHeard(w, carol, items(w));
    expect((await listed(w, s.key))[0]).to.include({ owner: 'carol@example.com' });
    expect((await pages(w)).map((r) => r.email)).to.deep.equal(['carol@example.com']);
    expect(callsTo(w, ALICE_PHONE), 'no call to Alice').to.have.length(0);
  });
});
