/**
 * /console/: where an operator starts. The README's getting-started steps as a checklist that
 * reads the real state (people, OnCall, Asterisk, senders, heartbeats) and links to the page that
 * does each step, plus what needs attention now.
 */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { codeBlock, href, words } from '../ui';
import { TEXTS, type Words } from './texts';
import { gatherSetup, SetupState } from './setup-state';
import { sendHtml } from '../../web/send';
import { html, type Html } from '../../web/html';

export function homeArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  r.get('/', async (_req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const s = await gatherSetup(deps);
    const step = (
      id: string,
      done: boolean | 'warn',
      title: string,
      text: Html,
      link: { to: string; label: string } | null,
      extra: Html | null = null,
    ) =>
      html`<li id="step-${id}" class="${done === true ? 'good' : done === 'warn' ? 'warn' : 'bad'}"><h3><span class="badge ${done === true ? 'good' : done === 'warn' ? 'warn' : 'bad'}">${t(done === true ? 'step.done' : done === 'warn' ? 'step.optional' : 'step.todo')}</span> ${title}</h3><p>${text}</p>${extra}${link ? html`<p><a class="button secondary" href="${link.to}">${link.label}</a></p>` : null}</li>`;
    const steps = [
      step(
        'people',
        s.people > 0,
        t('people.title'),
        html`${s.people > 0 ? t('people.done', { n: s.people, verified: s.verified }) : t('people.todo')}`,
        { to: href(ctx, 'people'), label: s.people > 0 ? t('people.open') : t('people.add') },
      ),
      step(
        'oncall',
        s.oncallConfigured && s.cloudTokens > 0 ? true : 'warn',
        t('oncall.title'),
        html`${t(s.oncallConfigured ? 'oncall.configured' : 'oncall.missing')} ${t(s.cloudTokens > 0 ? 'oncall.tokens' : 'oncall.noTokens', { n: s.cloudTokens })}`,
        null,
        codeBlock(ctx, 'oncall-env', `GRAFANA_CLOUD_ONCALL_API_URL=${s.publicUrl}`, t('oncall.env')),
      ),
      step(
        'asterisk',
        s.telephony === 'ok' ? true : s.telephony === 'none' ? 'warn' : false,
        t('asterisk.title'),
        html`${t(`asterisk.${s.telephony}`)} <span class="muted">${s.telephonyMessage}</span>`,
        { to: href(ctx, 'settings') + '#asterisk', label: t('asterisk.open') },
      ),
      step('test-call', s.testCalls > 0, t('test.title'), html`${s.testCalls > 0 ? t('test.done', { n: s.testCalls }) : t('test.todo')}`, {
        to: href(ctx, 'people'),
        label: t('test.open'),
      }),
      step(
        'senders',
        s.senders > 0 ? true : 'warn',
        t('senders.title'),
        html`${s.senders > 0 ? t('senders.done', { n: s.senders }) : t('senders.todo')}`,
        { to: href(ctx, 'settings') + '#senders', label: t('senders.open') },
      ),
      step(
        'heartbeats',
        s.heartbeats > 0 ? true : 'warn',
        t('heartbeats.title'),
        html`${s.heartbeats > 0 ? t('heartbeats.done', { n: s.heartbeats, down: s.heartbeatsDown }) : t('heartbeats.todo')}`,
        { to: href(ctx, 'heartbeats'), label: t('heartbeats.open') },
      ),
    ];
    const body = html`${attention(ctx, t, s)}<section class="card"><h2>${t('start.title')}</h2><p class="muted">${t('start.intro')}</p><ol class="timeline steps">${steps}</ol></section>`;
    sendHtml(res, 200, shell(ctx, { title: t('title'), section: 'home', body }));
  });
  return { path: '/', router: r };
}

function attention(ctx: ReturnType<typeof ctxOf>, t: Words, s: SetupState): Html {
  const items: Html[] = [];
  if (s.activePages > 0)
    items.push(html`<li><a href="${href(ctx, 'pages')}?state=active">${t('attention.active', { n: s.activePages })}</a></li>`);
  if (s.failedDay > 0)
    items.push(html`<li><a href="${href(ctx, 'pages')}?state=failed&amp;range=24h">${t('attention.failed', { n: s.failedDay })}</a></li>`);
  if (s.heartbeatsDown > 0)
    items.push(html`<li><a href="${href(ctx, 'heartbeats')}">${t('attention.down', { n: s.heartbeatsDown })}</a></li>`);
  for (const c of s.checksDown)
    items.push(html`<li><a href="${href(ctx, 'settings')}#checks">${t('attention.check', { name: c })}</a></li>`);
  for (const c of s.checksDegraded)
    items.push(html`<li><a href="${href(ctx, 'settings')}#checks">${t('attention.degraded', { name: c })}</a></li>`);
  if (s.publicUrlUnroutable) items.push(html`<li>${t('attention.publicUrl', { url: s.publicUrl })}</li>`);
  if (items.length === 0 && s.checksUnchecked.length)
    return html`<div class="notice" role="status">${t('attention.unchecked', { names: s.checksUnchecked.join(', ') })}</div>`;
  if (items.length === 0) return html`<div class="notice good" role="status">${t('attention.none')}</div>`;
  return html`<section class="card" id="attention"><h2>${t('attention.title')}</h2><ul>${items}</ul></section>`;
}
