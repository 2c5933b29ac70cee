/** The trunks card of the settings page: each carrier's breaker, calls, and latest test call. */
import type { TrunkStatus } from '../../trunks';
import type { ConsoleContext } from '../context';
import { badge, dataTable, when } from '../ui';
import { html, userText, type Html } from '../../web/html';
import type { Words } from './texts';

export function trunksCard(ctx: ConsoleContext, t: Words, trunks: readonly TrunkStatus[]): Html {
  const rows = trunks.map((s) => [
    html`<span class="mono">${s.name}</span>`,
    html`${badge(s.up ? 'ok' : 'down')} ${breakerWord(t, s)}`,
    html`${s.activeCalls}${s.maxCalls === null ? null : html` / ${s.maxCalls}`}`,
    s.lastTest
      ? html`${badge(s.lastTest.ok ? 'ok' : 'down')} ${when(ctx, s.lastTest.at)} <small class="muted">${userText(s.lastTest.detail)}</small>`
      : html`<span class="muted">${t('trunks.noTest')}</span>`,
    when(ctx, s.lastTestSuccessAt),
  ]);
  return html`<section class="card" id="trunks"><h2>${t('trunks')}</h2>${dataTable(
    [t('trunk'), t('state'), t('calls'), t('trunks.lastTest'), t('trunks.lastSuccess')],
    rows,
    '',
  )}<p class="muted">${t('trunks.how')}</p></section>`;
}

function breakerWord(t: Words, s: TrunkStatus): Html {
  if (s.breaker === 'open') return html`${t('trunks.open')} (${s.failuresInRow})`;
  if (s.breaker === 'half-open') return html`${t('trunks.halfOpen')}`;
  return html`${t('trunks.closed')}`;
}
