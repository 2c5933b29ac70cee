/**
 * The schedule API in Opsgenie's shape over real HTTP: who is on call now (and at a given date),
 * flat or not, by id or name, behind the admin token sent as a GenieKey; and the calendar feed at
 * its signed address.
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
    exactNextOnCallRecipients?: string[];
  };
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

  it('answers who is next, and when', async () => {
    const body = (await (await get(`/v2/schedules/${scheduleId}/next-on-calls?flat=true&date=2026-03-02T10:00:00Z`)).json()) as Body;
    expect(body.data).to.include({ startDate: '2026-03-03T08:00:00.000Z' });
    expect(body.data.exactNextOnCallRecipients).to.deep.equal([BOB]);
  });

  it('a name is not taken for an id, unknown schedules are 404, bad dates 422', async () => {
    expect((await get(`/v2/schedules/DB_schedule/on-calls`)).status).to.equal(404);
    expect((await get(`/v2/schedules/nope/on-calls?identifierType=name`)).status).to.equal(404);
    expect((await get(`/v2/schedules/${scheduleId}/on-calls?date=yesterday`)).status).to.equal(422);
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
