/** The teams list and one team's page: members, schedules drawn over two weeks, overrides, the escalation policy. */
import { DateTime } from 'luxon';
import { html, userText, type Html } from '../../web/html';
import type { User } from '../../directory/user';
import type { EscalationPolicy, Schedule, Team } from '../../teams/model';
import type { TeamView } from '../../teams/service';
import type { ConsoleContext } from '../context';
import { dataTable, field, form, href, select, textarea } from '../ui';
import { scheduleTimeline } from './timeline';
import type { Words } from './texts';

export interface ListRow {
  team: Team;
  members: number;
  onCall: User[];
}

const who = (t: Words, us: User[]) => (us.length ? us.map((u) => u.name).join(', ') : t('nobody'));

export function listBody(ctx: ConsoleContext, t: Words, rows: ListRow[]): Html {
  const table = rows.length
    ? dataTable(
        [t('col.team'), t('col.members'), t('col.onCall')],
        rows.map((r) => [
          html`<a href="${href(ctx, 'teams', r.team.name)}">${userText(r.team.name)}</a>`,
          html`${r.members}`,
          html`${userText(who(t, r.onCall))}`,
        ]),
        '',
      )
    : html`<p>${t('list.empty')}</p>`;
  const create = form(
    ctx,
    href(ctx, 'teams', 'new'),
    html`<h2>${t('new.title')}</h2>${field({ name: 'name', label: t('f.name'), required: true })}${textarea({ name: 'description', label: t('f.description') })}<button type="submit">${t('new.submit')}</button>`,
  );
  return html`<section class="card" id="teams">${table}</section><section class="card" id="new-team">${create}</section>`;
}

export interface TeamPage {
  view: TeamView;
  people: User[];
  nameOf: (id: number) => string;
  onCall: Map<string, { now: User[]; next: { at: number; users: User[] } | null }>;
  feeds: Map<string, string>;
  names: { schedules: Map<string, string>; teams: Map<string, string> };
}

export function teamBody(ctx: ConsoleContext, t: Words, p: TeamPage): Html {
  const { team, members, schedules, policies } = p.view;
  const memberRows = members.map((m) => [
    html`<a href="${href(ctx, 'people', m.user.email)}">${userText(m.user.name)}</a>`,
    html`${userText(m.user.email)}`,
    html`${t(`role.${m.role}`)}`,
  ]);
  const addMember = form(
    ctx,
    href(ctx, 'teams', team.name, 'members'),
    html`${select({ name: 'email', label: t('members.person'), options: p.people.map((u) => ({ value: u.email, label: `${u.name} <${u.email}>` })) })}${select(
      {
        name: 'role',
        label: t('members.role'),
        options: [
          { value: 'user', label: t('role.user') },
          { value: 'admin', label: t('role.admin') },
        ],
      },
    )}<button type="submit">${t('members.add')}</button>`,
  );
  const description = team.description ? html`<p class="muted">${userText(team.description)}</p>` : null;
  const membersCard = html`<section class="card" id="members"><h2>${t('members.title')}</h2>${dataTable([t('members.person'), 'Email', t('members.role')], memberRows, '')}${addMember}</section>`;
  const scheduleCards = schedules.length
    ? schedules.map((s) => scheduleCard(ctx, t, p, s))
    : [html`<section class="card"><p>${t('schedule.none')}</p></section>`];
  return html`${description}${membersCard}${scheduleCards}${policyCard(t, p, policies)}`;
}

function scheduleCard(ctx: ConsoleContext, t: Words, p: TeamPage, s: Schedule): Html {
  const on = p.onCall.get(s.id);
  const local = (ms: number) => DateTime.fromMillis(ms, { zone: s.timeZone }).toFormat('dd.LL.yyyy HH:mm');
  const status = s.enabled
    ? html`<p>${t('schedule.now', { who: who(t, on?.now ?? []) })}${on?.next ? html` ${t('schedule.next', { who: who(t, on.next.users), when: local(on.next.at) })}` : null}</p>`
    : html`<p class="muted">${t('schedule.disabled')}</p>`;
  const rotations = s.rotations.map((r) => {
    const feed = p.feeds.get(r.id);
    return html`<li><bdi>${r.name}</bdi>: ${t('rotation.every', { length: r.length, unit: t(`unit.${r.unit}`) })}, ${r.participants.map(p.nameOf).join(' → ')}${r.restrictions.length ? html` (${t('rotation.restricted')})` : null}${feed ? html` · <a href="${feed}">${t('rotation.feed')}</a>` : null}</li>`;
  });
  const overrides = s.overrides.map((o) =>
    form(
      ctx,
      href(ctx, 'teams', 'schedules', s.name, 'overrides', o.id, 'remove'),
      html`<bdi>${p.nameOf(o.userId)}</bdi>: ${local(o.startsAt)} – ${local(o.endsAt)} <button type="submit" class="linklike">${t('override.remove')}</button>`,
      { cls: 'inline' },
    ),
  );
  return html`<section class="card" id="schedule-${s.id}"><h2>${t('schedule.title', { name: s.name })}</h2><p class="muted">${t('schedule.zone', { zone: s.timeZone })}</p>${status}${scheduleTimeline(t, s, ctx.now, p.nameOf)}<ul>${rotations}</ul><h3>${t('override.title')}</h3>${overrides.length ? overrides : html`<p class="muted">${t('override.none')}</p>`}${takeTonight(ctx, t, p, s)}</section>`;
}

/** Tonight, 18:00 to 08:00 in the schedule's zone: the common case, prefilled. */
export function tonight(now: number, zone: string): { from: string; to: string } {
  const evening = DateTime.fromMillis(now, { zone }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
  const fmt = (d: DateTime) => d.toFormat("yyyy-LL-dd'T'HH:mm");
  return { from: fmt(evening), to: fmt(evening.plus({ days: 1 }).set({ hour: 8 })) };
}

function takeTonight(ctx: ConsoleContext, t: Words, p: TeamPage, s: Schedule): Html {
  const night = tonight(ctx.now, s.timeZone);
  const people = p.view.members.map((m) => ({ value: m.user.email, label: m.user.name }));
  const rotations = [{ value: '', label: t('override.all') }, ...s.rotations.map((r) => ({ value: r.name, label: r.name }))];
  const when = (name: string, label: string, value: string) =>
    html`<div class="field"><label for="f-${name}-${s.id}">${label}</label><input id="f-${name}-${s.id}" name="${name}" type="datetime-local" value="${value}" required></div>`;
  return form(
    ctx,
    href(ctx, 'teams', 'schedules', s.name, 'overrides'),
    html`<h3>${t('override.take')}</h3><div class="team-forms">${select({ name: 'email', label: t('override.who'), options: people })}${when('from', t('override.from'), night.from)}${when('to', t('override.to'), night.to)}${select({ name: 'rotation', label: t('override.rotation'), options: rotations })}</div><button type="submit">${t('override.take')}</button>`,
  );
}

function policyCard(t: Words, p: TeamPage, policies: EscalationPolicy[]): Html {
  if (!policies.length) return html`<section class="card" id="policy"><h2>${t('policy.title')}</h2><p>${t('policy.none')}</p></section>`;
  const cards = policies.map((pol) => {
    const steps = pol.steps.map((st) => {
      const gone = t('target.gone');
      const target =
        st.target.kind === 'user'
          ? p.nameOf(st.target.id)
          : st.target.kind === 'schedule'
            ? t('target.schedule', { name: p.names.schedules.get(st.target.id) ?? gone })
            : t('target.team', { name: p.names.teams.get(st.target.id) ?? gone });
      return html`<li>${t('policy.step', { minutes: st.afterMinutes, target })}</li>`;
    });
    const repeat = pol.repeat
      ? html`<p class="muted">${t('policy.repeat', { count: pol.repeat, minutes: pol.repeatAfterMinutes })}</p>`
      : null;
    return html`<h3><bdi>${pol.name}</bdi></h3><ol>${steps}</ol>${repeat}`;
  });
  return html`<section class="card" id="policy"><h2>${t('policy.title')}</h2>${cards}</section>`;
}
