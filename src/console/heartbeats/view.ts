/** Small pieces every heartbeat page shows the same way: state, schedule, who is paged, notices. */
import type { Heartbeat, HeartbeatState } from '../../watchers/heartbeats';
import { emailKey } from '../../directory/users-repo';
import type { User } from '../../directory/user';
import type { Words as Translate } from './texts';
import { notice } from '../ui';
import { html, joinHtml, userText, type Html } from '../../web/html';

const TONE: Record<HeartbeatState, string> = { new: 'neutral', up: 'good', late: 'warn', down: 'bad', paused: 'neutral' };

/** The state as a badge in the page's language; the tone comes from a fixed table, never from data. */
export function stateBadge(t: Translate, state: HeartbeatState): Html {
  return html`<span class="badge ${TONE[state] ?? 'neutral'}" data-state="${state}">${t(`state.${state}`)}</span>`;
}

/** "1 h 30 min", "45 s", "2 d 3 h": a length of time in the page's units. */
export function spanText(t: Translate, ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  if (s === 0) return `0 ${t('unit.s')}`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(s / size);
    if (n > 0) parts.push(`${n} ${t(`unit.${unit}`)}`);
    s -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** "every 5 min, grace 1 min". */
export function schedule(t: Translate, hb: Pick<Heartbeat, 'periodS' | 'graceS'>): string {
  return t('schedule', { every: spanText(t, hb.periodS * 1000), grace: spanText(t, hb.graceS * 1000) });
}

/** Who a heartbeat pages: its own list, else the configured default, with names where the directory knows them. */
export function pagedHtml(t: Translate, page: readonly string[], defaults: readonly string[], people: ReadonlyMap<string, User>): Html {
  const own = page.length > 0;
  const list = own ? page : defaults;
  if (list.length === 0) return html`<span class="badge bad">${t('paged.nobody')}</span>`;
  const items = list.map((e) => {
    const u = people.get(emailKey(e));
    return u
      ? html`<span title="${u.email}">${userText(u.name)}</span>`
      : html`<span class="mono">${userText(e)}</span> <span class="badge warn">${t('paged.unknown')}</span>`;
  });
  const names = joinHtml(items, ', ');
  return own ? names : html`<span class="muted">${t('paged.default')}</span> ${names}`;
}

export function peopleByEmail(users: readonly User[]): Map<string, User> {
  return new Map(users.map((u) => [emailKey(u.email), u]));
}

/** Outcomes a redirect names in `?done=`; anything else shows nothing. */
const DONE = ['created', 'saved', 'paused', 'resumed', 'removed', 'pinged', 'already-paused', 'already-running'] as const;

export function doneNotice(t: Translate, done: unknown, name = ''): Html | null {
  if (typeof done !== 'string' || !(DONE as readonly string[]).includes(done)) return null;
  return notice(t.dynamic(`done.${done}`, { name }) ?? done, done.startsWith('already') ? 'info' : 'good');
}
