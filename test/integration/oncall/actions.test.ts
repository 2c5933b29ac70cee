import { expect } from 'chai';
import { HttpOnCallClient } from '../../../src/oncall/http-client';
import { OnCallActions, type ActionContext } from '../../../src/oncall/actions';
import { FakePageStore } from '../../fakes/page-store';
import type { PagingSections } from '../../../src/oncall/config';
import { FakeOnCall } from '../../fakes/oncall';
import type { FakeUser } from '../../fakes/oncall';

describe('OnCallActions (digits 1–4) against the fake OnCall engine', () => {
  let oncall: FakeOnCall;
  let svc: FakeUser;
  let alice: FakeUser;
  let bob: FakeUser;
  let integ: string;
  let teamDb: string;
  let pages: FakePageStore;
  let slow: number;

  const names: Record<string, string> = { 'alice@example.com': 'Alice Smith', 'bob@example.com': 'Bob Jones' };
  const make = (sections: PagingSections = {}, over: { deadlineMs?: number; slowAfterMs?: number } = {}) =>
    new OnCallActions({
      client: new HttpOnCallClient({ baseUrl: oncall.url, token: 'svc', timeoutMs: 5000 }),
      sections,
      pages,
      nameOf: async (e) => names[e] ?? null,
      deadlineMs: over.deadlineMs ?? 2000,
      slowAfterMs: over.slowAfterMs ?? 1000,
    });
  const ctx = (ids: string[], token?: string): ActionContext => ({
    alertGroupIds: ids,
    actor: { name: 'Alice Smith', email: 'alice@example.com', phone: '+79161234567', oncallToken: token },
    channel: 'phone',
  });
  const onSlow = () => void slow++;

  beforeEach(async () => {
    oncall = await FakeOnCall.start();
    svc = oncall.state.addUser({ email: 'dozvon@example.com', username: 'dozvon', token: 'svc' });
    alice = oncall.state.addUser({ email: 'alice@example.com', username: 'alice', token: 'alice-token' });
    bob = oncall.state.addUser({ email: 'bob@example.com', username: 'bob' });
    teamDb = oncall.state.addTeam({ name: 'Database' }).id;
    integ = oncall.state.addIntegration({ name: 'Prod' }).id;
    pages = new FakePageStore();
    slow = 0;
  });
  afterEach(() => oncall.close());

  it('1: acknowledges with the service token and credits the engineer in a note', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    const r = await make().acknowledge(ctx([g.id]), { onSlow });
    expect(r).to.include({ status: 'done', action: 'acknowledge' });
    expect(r.spoken).to.deep.equal({ en: 'Acknowledged.', ru: 'Подтверждено.' });
    expect(oncall.state.groups.get(g.id)!.acknowledgedBy).to.equal(svc.id);
    expect(oncall.state.notes.map((n) => n.text)).to.deep.equal(['Acknowledged by phone by Alice Smith from +7916*****67 (via dozvon)']);
    expect(slow).to.equal(0);
  });

  it("1: acts with the engineer's own token when they have one", async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    await make().acknowledge(ctx([g.id], 'alice-token'));
    expect(oncall.state.groups.get(g.id)!.acknowledgedBy).to.equal(alice.id);
    expect(oncall.state.notes[0]).to.include({ author: alice.id, text: 'Acknowledged by phone by Alice Smith from +7916*****67' });
  });

  it('1: "already acknowledged by <name>" when someone was faster; all bundled incidents at once', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ, state: 'acknowledged', by: bob.id });
    const r = await make().acknowledge(ctx([g.id]));
    expect(r).to.include({ status: 'already' });
    expect(r.spoken).to.deep.equal({ en: 'Already acknowledged by Bob Jones.', ru: 'Уже подтверждено: Bob Jones.' });
    expect(oncall.state.notes).to.have.length(0);
    const g2 = oncall.state.addAlertGroup({ integrationId: integ });
    const g3 = oncall.state.addAlertGroup({ integrationId: integ });
    const both = await make().acknowledge(ctx([g2.id, g3.id]));
    expect(both.spoken.en).to.equal('Acknowledged 2 incidents.');
    expect(both.spoken.ru).to.equal('Подтверждено: 2 инцидента.');
  });

  it('4: resolves; a resolved one says so', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    expect((await make().resolve(ctx([g.id]))).spoken.en).to.equal('Resolved.');
    expect(oncall.state.state(oncall.state.groups.get(g.id)!)).to.equal('resolved');
    const again = await make().resolve(ctx([g.id]));
    expect(again).to.include({ status: 'already' });
    expect(again.spoken.en).to.equal('Already resolved by dozvon.');
  });

  it('2: escalates to the team target (schedule on-call), says who, and remembers the page', async () => {
    const sched = oncall.state.addSchedule({ name: 'DB primary', onCallNow: [bob.id] });
    const g = oncall.state.addAlertGroup({ integrationId: integ, teamId: teamDb });
    const sections: PagingSections = {
      escalation: { default: { users: ['alice@example.com'] }, teams: { [teamDb]: { schedule: sched.name } } },
    };
    const r = await make(sections).escalate(ctx([g.id]));
    expect(r).to.include({ status: 'done' });
    expect(r.spoken).to.deep.equal({ en: 'Escalated to Bob Jones.', ru: 'Эскалировано: Bob Jones.' });
    expect(oncall.state.pages[0]).to.include({ alertGroupId: g.id, teamId: null, created: false });
    expect(oncall.state.pages[0].userIds).to.deep.equal([bob.id]);
    expect(await pages.take('bob@example.com', Date.now(), 60_000)).to.equal(g.id);
    expect(oncall.state.notes[0].text).to.equal('Escalated by phone by Alice Smith from +7916*****67: paged Bob Jones (via dozvon)');
  });

  it('2: says so when no escalation target is configured', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    const r = await make({}).escalate(ctx([g.id]));
    expect(r.status).to.equal('failed');
    expect(r.spoken.en).to.equal('Sorry, no escalation target is configured; the incident is unchanged.');
    expect(oncall.state.pages).to.have.length(0);
  });

  it('3: reads the reassign menu and pages the chosen team', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    const actions = make({ reassign: [{ users: ['alice'], label: 'Alice' }, { team: 'Database' }] });
    expect(actions.reassignMenu('en')!.text).to.equal('For Alice, press 1. For Database team, press 2.');
    expect(actions.reassignMenu('ru')!.text).to.equal('Alice: нажмите 1. Команда Database: нажмите 2.');
    const r = await actions.reassign(ctx([g.id]), 2);
    expect(r.spoken.en).to.equal('Reassigned to Database team.');
    expect(oncall.state.pages[0]).to.include({ teamId: teamDb, alertGroupId: g.id });
    expect((await actions.reassign(ctx([g.id]), 7)).spoken.en).to.equal('There is no choice 7.');
  });

  it('fails without changing anything when OnCall is down, after cueing "one moment" once', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    await oncall.setDown('refused');
    const r = await make().acknowledge(ctx([g.id]), { onSlow });
    expect(r.status).to.equal('failed');
    expect(r.spoken).to.deep.equal({
      en: 'Sorry, that failed; the incident is unchanged.',
      ru: 'Извините, не получилось; инцидент не изменён.',
    });
    expect(slow).to.equal(1);
    expect(r.detail).to.match(/unreachable/);
  });

  it('retries a 503 and succeeds; the cue fires once', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    oncall.failNext(2, { status: 503 });
    const r = await make().acknowledge(ctx([g.id]), { onSlow });
    expect(r.status).to.equal('done');
    expect(slow).to.equal(1);
    expect(oncall.requestsTo('POST', `/api/v1/alert_groups/${g.id}/acknowledge`)).to.have.length(3);
  });

  it('slow OnCall: cue after slowAfterMs, then fails at the deadline', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    oncall.setDelay(1500);
    const t0 = Date.now();
    const r = await make({}, { deadlineMs: 400, slowAfterMs: 100 }).acknowledge(ctx([g.id]), { onSlow });
    expect(r.status).to.equal('failed');
    expect(slow).to.equal(1);
    expect(Date.now() - t0).to.be.below(1200);
  });

  it('403 for the token: fails at once, no retries', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ });
    oncall.forbid('svc');
    const r = await make().resolve(ctx([g.id]), { onSlow });
    expect(r.status).to.equal('failed');
    expect(r.detail).to.match(/403 You do not have permission/);
    expect(oncall.requestsTo('POST', `/api/v1/alert_groups/${g.id}/resolve`)).to.have.length(1);
    expect(slow).to.equal(0);
  });
});
