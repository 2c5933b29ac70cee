/**
 * The schedule API in Opsgenie's shape over real HTTP: who is on call now (and at a given date),
 * flat or not, by id or name, behind the admin token or a readable integration key sent as a
 * GenieKey; and the calendar feed at its signed address.
 */
import { expect } from 'chai';
import { ADMIN_TOKEN, startApp, type RunningApp } from '../../helpers/app';
import { ALICE, BOB, teamsOver } from '../../helpers/teams';
import { KvRepo } from '../../../src/db/kv-repo';
import { CalendarLinks } from '../../../src/teams/calendar-links';
import type { Teams } from '../../../src/teams/service';

const T0 = Date.parse('2026-03-02T08:00:00Z');

interface Body {
  data: {
    _parent: unknown;
    startDate?: string;
    onCallParticipants?: { name: string; type: string }[];
    onCallRecipients?: string[];
    nextOnCallRecipients?: { name: string; type: string }[];
    exactNextOnCallRecipients?: { name: string; type: string }[];
    nextOnCallParticipants?: string[];
    exactNextOnCallParticipants?: string[];
  };
  message?: string;
  requestId: string;
  took: number;
}

describe('schedule API (Opsgenie on-calls shape) and calendar feeds', () => {
  let a: RunningApp;
  let teams: Teams;
  let scheduleId: string;
  let rotationId: string;

  before(async () => {
    a = await startApp();
    ({ teams } = await teamsOver(a.app.db));
    await teams.change('cli', async (ops) => {
      await ops.createTeam({ name: 'Database' });
      scheduleId = (await ops.createSchedule({ name: 'DB_schedule', team: 'Database', timeZone: 'Europe/Berlin' })).id;
      rotationId = (
        await ops.addRotation('DB_schedule', { name: 'primary', participants: [ALICE, BOB], startsAt: T0, length: 1, unit: 'days' })
      ).id;
    });
  });
  after(async () => a.close());

  const get = (path: string, auth: string | null = `GenieKey ${ADMIN_TOKEN}`) =>
    fetch(`${a.url}${path}`, { headers: auth ? { authorization: auth } : {} });

  it('answers who is on call at a date, by id, with participants or flat usernames', async () => {
    const r = await get(`/v2/schedules/${scheduleId}/on-calls?date=2026-03-03T10:00:00%2B01:00`);
    expect(r.status).to.equal(200);
    const body = (await r.json()) as Body;
    expect(body.data._parent).to.deep.equal({ id: scheduleId, name: 'DB_schedule', enabled: true });
    expect(body.data.onCallParticipants!.map((p) => [p.name, p.type])).to.deep.equal([[BOB, 'user']]);
    expect(body.requestId).to.be.a('string');
    expect(body.took).to.be.a('number').and.at.least(0);
    const byName = await get(`/v2/schedules/DB_schedule/on-calls?scheduleIdentifierType=name&flat=true&date=2026-03-02T10:00:00Z`);
    const flat = (await byName.json()) as Body;
    expect(flat.data.onCallRecipients).to.deep.equal([ALICE]);
  });

  it('answers who is next, and when: addresses as …Participants when flat, objects as …Recipients otherwise', async () => {
    const flat = (await (await get(`/v2/schedules/${scheduleId}/next-on-calls?flat=true&date=2026-03-02T10:00:00Z`)).json()) as Body;
    expect(flat.data).to.include({ startDate: '2026-03-03T08:00:00.000Z' });
    expect(flat.data.exactNextOnCallParticipants).to.deep.equal([BOB]);
    expect(flat.data.nextOnCallParticipants).to.deep.equal([BOB]);
    expect(flat.data).not.to.have.property('exactNextOnCallRecipients');
    const full = (await (
      await get(`/v2/schedules/DB_schedule/next-on-calls?scheduleIdentifierType=name&date=2026-03-02T10:00:00Z`)
    ).json()) as Body;
    expect(full.data._parent).to.deep.equal({ id: scheduleId, name: 'DB_schedule', enabled: true });
    expect(full.data.exactNextOnCallRecipients!.map((p) => [p.name, p.type])).to.deep.equal([[BOB, 'user']]);
    expect(full.data.nextOnCallRecipients!.map((p) => [p.name, p.type])).to.deep.equal([[BOB, 'user']]);
  });

  it('reads an unencoded + offset in the date as the + it was typed as', async () => {
    // 08:30 in Berlin is 07:30 UTC, before the 08:00 UTC hand-off: still the first day's person.
    const r = await get(`/v2/schedules/${scheduleId}/on-calls?flat=true&date=2026-03-03T08:30:00+01:00`);
    expect(r.status).to.equal(200);
    expect(((await r.json()) as Body).data.onCallRecipients).to.deep.equal([ALICE]);
    const late = await get(`/v2/schedules/${scheduleId}/on-calls?flat=TRUE&date=2026-03-03T09:30:00%2B01:00`);
    expect(((await late.json()) as Body).data.onCallRecipients).to.deep.equal([BOB]);
  });

  it('a name is not taken for an id, unknown schedules are 404, bad dates, flags and identifier types 422', async () => {
    expect((await get(`/v2/schedules/DB_schedule/on-calls`)).status).to.equal(404);
    expect((await get(`/v2/schedules/nope/on-calls?identifierType=name`)).status).to.equal(404);
    expect((await get(`/v2/schedules/nope/next-on-calls?scheduleIdentifierType=name`)).status).to.equal(404);
    expect((await get(`/v2/schedules/${scheduleId}/on-calls?date=yesterday`)).status).to.equal(422);
    expect((await get(`/v2/schedules/${scheduleId}/next-on-calls?date=2026-13-01T00:00:00Z`)).status).to.equal(422);
    expect((await get(`/v2/schedules/${scheduleId}/on-calls?flat=yes`)).status).to.equal(422);
    expect((await get(`/v2/schedules/${scheduleId}/on-calls?scheduleIdentifierType=tiny`)).status).to.equal(422);
  });

  it('opens to an integration key with read access; a key without it gets 403 in the same shape', async () => {
    const integrations = a.app.alerts.integrations;
    const reader = (await integrations.create('test', { name: 'oncall-script', defaultTeam: null, rules: [] })).key;
    const sender = (await integrations.create('test', { name: 'am', defaultTeam: null, rules: [], access: ['write'] })).key;
    const ok = await get(`/v2/schedules/${scheduleId}/on-calls?flat=true&date=2026-03-02T10:00:00Z`, `GenieKey ${reader}`);
    expect(ok.status).to.equal(200);
    expect(((await ok.json()) as Body).data.onCallRecipients).to.deep.equal([ALICE]);
    const no = await get(`/v2/schedules/${scheduleId}/next-on-calls`, `GenieKey ${sender}`);
    expect(no.status).to.equal(403);
    const body = (await no.json()) as Body;
    expect(body.message).to.include('read');
    expect(body.requestId).to.be.a('string');
    await integrations.revoke('test', 'oncall-script');
    expect((await get(`/v2/schedules/${scheduleId}/on-calls`, `GenieKey ${reader}`)).status).to.equal(401);
  });

  it('refuses a missing or wrong key', async () => {
    expect((await get(`/v2/schedules/${scheduleId}/on-calls`, null)).status).to.equal(401);
    expect((await get(`/v2/schedules/${scheduleId}/on-calls`, 'GenieKey wrong-key-0123456789')).status).to.equal(401);
    expect((await get(`/v2/schedules/${scheduleId}/on-calls`, `Bearer ${ADMIN_TOKEN}`)).status).to.equal(200);
  });

  it('serves the rotation calendar at its signed address only', async () => {
    const links = new CalendarLinks(await new KvRepo(a.app.db).secret('calendar-secret'));
    const r = await get(`/calendar/${links.token(rotationId)}.ics`, null);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/^text\/calendar/);
    const text = await r.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).to.equal(true);
    expect(text).to.include('X-WR-CALNAME:DB_schedule / primary');
    const forged = links.token(rotationId).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await get(`/calendar/${forged}.ics`, null)).status).to.equal(404);
    const other = new CalendarLinks('another-secret-0123456789').token(rotationId);
    expect((await get(`/calendar/${other}.ics`, null)).status).to.equal(404);
  });
});
