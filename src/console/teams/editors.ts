/**
 * The team page's edit forms: add a schedule, add a rotation (people in turn order, start, length,
 * optional working hours), and create, edit or remove an escalation policy (one row per step).
 * Field ids carry the schedule's or policy's id, since one page holds several of each form.
 */
import { DateTime } from 'luxon';
import { html, type Html } from '../../web/html';
import type { EscalationPolicy, Schedule, StepTarget } from '../../teams/model';
import type { ConsoleContext } from '../context';
import { form, href } from '../ui';
import type { Words } from './texts';
import type { TeamPage } from './page-data';

/** Most steps a policy takes (as the service allows), and the empty rows offered for new ones. */
const MAX_STEPS = 20;
const SPARE_STEPS = 2;

interface Box {
  type?: 'text' | 'number' | 'datetime-local';
  value?: string | number;
  required?: boolean;
  placeholder?: string;
  hint?: string;
  min?: number;
}

function box(id: string, name: string, label: string, o: Box = {}): Html {
  return html`<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${name}" type="${o.type ?? 'text'}"${o.value !== undefined ? html` value="${o.value}"` : null}${o.min !== undefined ? html` min="${o.min}"` : null}${o.required ? html` required` : null}${o.placeholder ? html` placeholder="${o.placeholder}"` : null}${o.hint ? html` aria-describedby="${id}-hint"` : null}>${o.hint ? html`<small id="${id}-hint" class="hint">${o.hint}</small>` : null}</div>`;
}

export function pick(id: string, name: string, label: string, options: { value: string; label: string }[], value = ''): Html {
  const opts = options.map((x) => html`<option value="${x.value}"${x.value === value ? html` selected` : null}>${x.label}</option>`);
  return html`<div class="field"><label for="${id}">${label}</label><select id="${id}" name="${name}">${opts}</select></div>`;
}

export function scheduleForm(ctx: ConsoleContext, t: Words, p: TeamPage): Html {
  const zone = p.view.schedules[0]?.timeZone ?? 'UTC';
  return form(
    ctx,
    href(ctx, 'teams', p.view.team.name, 'schedules'),
    html`<h2>${t('schedule.add')}</h2><div class="team-forms">${box('f-schedule-name', 'name', t('f.name'), { required: true })}${box('f-schedule-zone', 'zone', t('schedule.zoneField'), { value: zone, required: true, hint: t('schedule.zoneHint') })}</div><button type="submit">${t('schedule.add')}</button>`,
  );
}

/** Tomorrow at 09:00 in the schedule's zone: a usual first hand-off. */
function tomorrowMorning(now: number, zone: string): string {
  return DateTime.fromMillis(now, { zone }).plus({ days: 1 }).toFormat("yyyy-LL-dd'T'09:00");
}

export function rotationForm(ctx: ConsoleContext, t: Words, p: TeamPage, s: Schedule): Html {
  const id = (f: string) => `f-${f}-${s.id}`;
  const people = [{ value: '', label: '—' }, ...p.people.map((u) => ({ value: u.email, label: `${u.name} <${u.email}>` }))];
  const members = p.view.members.map((m) => m.user.email);
  const slots = Math.min(MAX_STEPS, Math.max(3, members.length + 1));
  const order = Array.from({ length: slots }, (_, i) =>
    pick(id(`participant-${i}`), 'participant', t('rotation.nth', { n: i + 1 }), people, members[i] ?? ''),
  );
  const units = (['hours', 'days', 'weeks'] as const).map((u) => ({ value: u, label: t(`unit.${u}`) }));
  return form(
    ctx,
    href(ctx, 'teams', 'schedules', s.name, 'rotations'),
    html`<h3>${t('rotation.add')}</h3><div class="team-forms">${box(id('rname'), 'name', t('f.name'), { required: true })}${box(id('start'), 'start', t('rotation.start'), { type: 'datetime-local', value: tomorrowMorning(ctx.now, s.timeZone), required: true })}${box(id('length'), 'length', t('rotation.length'), { type: 'number', value: 1, min: 1, required: true })}${pick(id('unit'), 'unit', t('rotation.unit'), units, 'weeks')}${box(id('only'), 'only', t('rotation.only'), { placeholder: 'Mon-Fri 09:00-18:00', hint: t('rotation.onlyHint') })}</div><fieldset class="team-forms"><legend>${t('rotation.order')}</legend>${order}</fieldset><button type="submit">${t('rotation.add')}</button>`,
  );
}

export function removeRotationForm(ctx: ConsoleContext, t: Words, s: Schedule, rotationId: string): Html {
  return form(
    ctx,
    href(ctx, 'teams', 'schedules', s.name, 'rotations', rotationId, 'remove'),
    html`<button type="submit" class="danger">${t('rotation.remove')}</button>`,
    { cls: 'inline', confirm: t('rotation.confirmRemove') },
  );
}

/** The value a step's target select sends: the kind and the name the service looks it up by. */
function targetValue(p: TeamPage, target: StepTarget): string {
  if (target.kind === 'user') return `user:${p.people.find((u) => u.id === target.id)?.email ?? ''}`;
  const names = target.kind === 'schedule' ? p.names.schedules : p.names.teams;
  return `${target.kind}:${names.get(target.id) ?? ''}`;
}

/** The form for an existing policy, or (pol null) for a new one. */
export function policyForm(ctx: ConsoleContext, t: Words, p: TeamPage, pol: EscalationPolicy | null): Html {
  const key = pol?.id ?? 'new';
  const id = (f: string) => `f-${f}-${key}`;
  const targets = [
    { value: '', label: '—' },
    ...[...p.names.schedules.values()].map((n) => ({ value: `schedule:${n}`, label: t('target.schedule', { name: n }) })),
    ...p.people.map((u) => ({ value: `user:${u.email}`, label: `${u.name} <${u.email}>` })),
    ...[...p.names.teams.values()].map((n) => ({ value: `team:${n}`, label: t('target.team', { name: n }) })),
  ];
  const steps = pol?.steps ?? [];
  const rows = Array.from({ length: Math.min(MAX_STEPS, steps.length + SPARE_STEPS) }, (_, i) => {
    const st = steps[i];
    return html`<div class="team-forms">${box(id(`after-${i}`), 'after', t('policy.after'), { type: 'number', min: 0, value: st ? st.afterMinutes : '' })}${pick(id(`target-${i}`), 'target', t('policy.notify'), targets, st ? targetValue(p, st.target) : '')}</div>`;
  });
  const title = pol ? t('policy.edit', { name: pol.name }) : t('policy.create');
  const name = pol?.name ?? `${p.view.team.name}_escalation`;
  return form(
    ctx,
    href(ctx, 'teams', p.view.team.name, 'policy'),
    html`<h3>${title}</h3>${box(id('pname'), 'name', t('f.name'), { value: name, required: true, hint: t('policy.nameHint') })}<fieldset><legend>${t('policy.steps')}</legend>${rows}</fieldset><div class="team-forms">${box(id('repeat'), 'repeat', t('policy.repeatCount'), { type: 'number', min: 0, value: pol?.repeat ?? 0 })}${box(id('repeat-after'), 'repeatAfter', t('policy.repeatAfter'), { type: 'number', min: 0, value: pol?.repeatAfterMinutes ?? 0 })}</div><button type="submit">${t('policy.save')}</button>`,
  );
}

export function removePolicyForm(ctx: ConsoleContext, t: Words, p: TeamPage, pol: EscalationPolicy): Html {
  return form(
    ctx,
    href(ctx, 'teams', p.view.team.name, 'policy', pol.id, 'remove'),
    html`<button type="submit" class="danger">${t('policy.remove')}</button>`,
    { cls: 'inline', confirm: t('policy.confirmRemove', { name: pol.name }) },
  );
}
