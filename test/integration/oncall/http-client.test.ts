import { expect } from 'chai';
import { HttpOnCallClient } from '../../../src/oncall/http-client';
import { OnCallError } from '../../../src/oncall/http-request';
import { FakeOnCall } from '../../fakes/oncall';

describe('HttpOnCallClient against the fake OnCall engine', () => {
  let oncall: FakeOnCall;
  let client: HttpOnCallClient;
  let integ: string;

  beforeEach(async () => {
    oncall = await FakeOnCall.start();
    oncall.state.addUser({ email: 'svc@example.com', username: 'dozvon', token: 'svc-token' });
    integ = oncall.state.addIntegration({ name: 'Prod' }).id;
    client = new HttpOnCallClient({ baseUrl: oncall.url, token: 'svc-token', timeoutMs: 500 });
  });
  afterEach(() => oncall.close());

  it('sends the raw token (no Bearer) and reads a group', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ, title: 'High CPU' });
    const got = await client.getAlertGroup(g.id);
    expect(got).to.include({ id: g.id, state: 'firing', title: 'High CPU', alerts_count: 1 });
    expect(oncall.requests[0].headers.authorization).to.equal('svc-token');
  });

  it('maps filters to the query string (state=new finds "firing" groups) and follows pages', async () => {
    oncall.pageSize.alert_groups = 2;
    for (let i = 0; i < 5; i++) oncall.state.addAlertGroup({ integrationId: integ, title: `g${i}`, createdAt: Date.now() - i * 1000 });
    oncall.state.addAlertGroup({ integrationId: integ, title: 'acked', state: 'acknowledged' });
    const groups = await client.listAlertGroups({
      state: 'new',
      integrationId: integ,
      startedAt: { from: Date.now() - 3600_000, to: Date.now() + 60_000 },
    });
    expect(groups.map((g) => g.title)).to.deep.equal(['g0', 'g1', 'g2', 'g3', 'g4']);
    expect(groups.every((g) => g.state === 'firing')).to.equal(true);
    const reqs = oncall.requestsTo('GET', '/api/v1/alert_groups');
    expect(reqs).to.have.length(3);
    expect(reqs[0].query.get('state')).to.equal('new');
    expect(reqs[0].query.get('started_at')).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(reqs[2].query.get('page')).to.equal('3');
  });

  it('treats "already acknowledged" as an outcome and attributes acks to the token owner', async () => {
    const bob = oncall.state.addUser({ email: 'bob@example.com', token: 'bob-token' });
    const g = oncall.state.addAlertGroup({ integrationId: integ, title: 'x' });
    expect(await client.acknowledge(g.id, { token: 'bob-token' })).to.deep.equal({ status: 'done' });
    expect(oncall.state.groups.get(g.id)!.acknowledgedBy).to.equal(bob.id);
    expect(await client.acknowledge(g.id)).to.deep.include({
      status: 'already',
      state: 'acknowledged',
      detail: "Can't acknowledge an acknowledged alert group",
    });
    expect(await client.resolve(g.id)).to.deep.equal({ status: 'done' });
    expect(await client.resolve(g.id)).to.deep.include({ status: 'already', state: 'resolved' });
  });

  it('fails other 400s with what OnCall said', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ, title: 'x', attached: true });
    const err = await client.acknowledge(g.id).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(OnCallError);
    expect((err as OnCallError).message).to.equal(
      `OnCall POST /api/v1/alert_groups/${g.id}/acknowledge: 400 Can't acknowledge an attached alert group`,
    );
    expect((err as OnCallError).temporary).to.equal(false);
  });

  it('says 403 Invalid token. and does not retry it', async () => {
    const bad = new HttpOnCallClient({ baseUrl: oncall.url, token: 'wrong' });
    const err = (await bad.currentUser().catch((e: unknown) => e)) as OnCallError;
    expect(err.status).to.equal(403);
    expect(err.message).to.match(/403 Invalid token\.$/);
    expect(oncall.requests).to.have.length(1);
  });

  it('retries 503 and 429 (honouring Retry-After), then succeeds', async () => {
    oncall.failNext(1, { status: 503 });
    expect((await client.currentUser()).email).to.equal('svc@example.com');
    oncall.failNext(1, { status: 429, retryAfter: 0 });
    expect((await client.currentUser()).email).to.equal('svc@example.com');
    expect(oncall.requests).to.have.length(4);
  });

  it('gives up after its retries with a temporary error when OnCall is down', async () => {
    await oncall.setDown('refused');
    const c = new HttpOnCallClient({ baseUrl: oncall.url, token: 'svc-token', retries: 1 });
    const err = (await c.currentUser().catch((e: unknown) => e)) as OnCallError;
    expect(err.temporary).to.equal(true);
    expect(err.message).to.match(/^OnCall GET \/api\/v1\/users\/current\/: unreachable \(ECONNREFUSED\)$/);
    await oncall.setDown(false);
    expect((await client.currentUser()).username).to.equal('dozvon');
  });

  it('times out a slow answer', async () => {
    oncall.setDelay(300, 1);
    const c = new HttpOnCallClient({ baseUrl: oncall.url, token: 'svc-token', timeoutMs: 50, retries: 0 });
    const err = (await c.currentUser().catch((e: unknown) => e)) as OnCallError;
    expect(err.message).to.match(/no answer within 50 ms/);
    expect(err.temporary).to.equal(true);
  });

  it('pages users with an explicit "team": null (OnCall would otherwise use the UI team)', async () => {
    const team = oncall.state.addTeam({ name: 'DB' });
    const svc = [...oncall.state.users.values()][0];
    svc.currentTeam = team.id;
    const carol = oncall.state.addUser({ email: 'carol@example.com' });
    const g = oncall.state.addAlertGroup({ integrationId: integ, title: 'x' });
    const res = await client.page({ users: [{ id: carol.id }], alertGroupId: g.id });
    expect(res.id).to.equal(g.id);
    expect(oncall.requestsTo('POST', '/api/v1/escalation')[0].body).to.deep.equal({
      team: null,
      users: [{ id: carol.id, important: false }],
      alert_group_id: g.id,
    });
    const created = await client.page({ users: [{ id: carol.id }], title: 'Help', message: 'db down' });
    expect(created.id).to.not.equal(g.id);
    expect(oncall.state.pages.map((p) => p.created)).to.deep.equal([false, true]);
  });

  it('reads schedules, final shifts, users, teams, integrations and notes', async () => {
    const alice = oncall.state.addUser({ email: 'alice@example.com' });
    const s = oncall.state.addSchedule({
      name: 'Primary',
      onCallNow: [alice.id],
      shifts: [{ userId: alice.id, start: '2026-11-21T08:00:00Z', end: '2026-11-21T20:00:00Z' }],
    });
    expect((await client.listSchedules({ name: 'Primary' }))[0].on_call_now).to.deep.equal([alice.id]);
    const shifts = await client.finalShifts(s.id, { from: Date.parse('2026-11-21T00:00:00Z'), to: Date.parse('2026-11-21T12:00:00Z') });
    expect(shifts).to.deep.equal([
      {
        user_pk: alice.id,
        user_email: 'alice@example.com',
        user_username: 'alice',
        shift_start: '2026-11-21T08:00:00Z',
        shift_end: '2026-11-21T12:00:00Z',
      },
    ]);
    expect((await client.listUsers({ email: 'ALICE@example.com' })).map((u) => u.id)).to.deep.equal([alice.id]);
    oncall.state.addTeam({ name: 'DB' });
    expect((await client.listTeams({ name: 'DB' }))[0].name).to.equal('DB');
    expect((await client.getIntegration(integ)).name).to.equal('Prod');
    const g = oncall.state.addAlertGroup({ integrationId: integ, title: 'x', alerts: [{ a: 1 }, { a: 2 }] });
    expect((await client.listAlerts(g.id)).map((a) => a.payload)).to.deep.equal([{ a: 2 }, { a: 1 }]);
    const note = await client.addResolutionNote(g.id, 'hello');
    expect(note).to.include({ alert_group_id: g.id, text: 'hello', source: 'web' });
    expect((await client.listResolutionNotes(g.id)).map((n) => n.text)).to.deep.equal(['hello']);
    const err = (await client.addResolutionNote('I111111111111', 'x').catch((e: unknown) => e)) as OnCallError;
    expect(err.message).to.match(/400 alert_group_id: Object does not exist/);
  });
});
