/** The frame around every console page: header, navigation, language switch, skip link. */
import { html, type Html } from '../web/html';
import type { ConsoleContext } from './context';
import type { CommonKey } from './texts';

export type Section = 'home' | 'people' | 'heartbeats' | 'alerts' | 'teams' | 'pages' | 'delivery' | 'settings' | 'audit';

const NAV: { id: Section; path: string; key: CommonKey }[] = [
  { id: 'home', path: '', key: 'nav.home' },
  { id: 'people', path: 'people', key: 'nav.people' },
  { id: 'heartbeats', path: 'heartbeats', key: 'nav.heartbeats' },
  { id: 'alerts', path: 'alerts', key: 'nav.alerts' },
  { id: 'teams', path: 'teams', key: 'nav.teams' },
  { id: 'pages', path: 'pages', key: 'nav.pages' },
  { id: 'delivery', path: 'delivery', key: 'nav.delivery' },
  { id: 'settings', path: 'settings', key: 'nav.settings' },
  { id: 'audit', path: 'audit', key: 'nav.audit' },
];

export interface ShellOptions {
  title: string;
  section: Section;
  body: Html;
  /** Shown above the body (ui.notice). */
  flash?: Html | null;
  /** Seconds; for pages that update themselves without the script (test call progress). */
  refreshSeconds?: number;
}

export function shell(ctx: ConsoleContext, o: ShellOptions): Html {
  const t = ctx.t;
  const nav = NAV.map(
    (n) => html`<li><a href="${ctx.base + n.path}"${n.id === o.section ? html` aria-current="page"` : null}>${t(n.key)}</a></li>`,
  );
  const other = ctx.lang === 'ru' ? 'en' : 'ru';
  const refresh = o.refreshSeconds ? html`<meta http-equiv="refresh" content="${o.refreshSeconds}">` : null;
  const logout =
    ctx.user.kind === 'session'
      ? html`<form method="post" action="${ctx.base}../logout">${ctx.csrf ? html`<input type="hidden" name="_csrf" value="${ctx.csrf}">` : null}<button type="submit" class="linklike">${t('logout')}</button></form>`
      : null;
  return html`<!doctype html><html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}<meta name="robots" content="noindex"><title>${o.title} · dozvon</title><link rel="icon" href="${ctx.base}assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="${ctx.base}assets/console.css"><script src="${ctx.base}assets/console.js" defer></script></head><body><a class="skip" href="#main">${t('nav.skip')}</a><header class="top"><a class="brand" href="${ctx.base}">dozvon</a><nav aria-label="${t('nav.label')}"><ul>${nav}<li><a href="${ctx.base}../">${t('nav.status')}</a></li></ul></nav><div class="top-actions"><a class="lang" href="?lang=${other}" hreflang="${other}" lang="${other}" aria-label="${t('lang.switch')}: ${other === 'ru' ? 'русский' : 'English'}">${other === 'ru' ? 'RU' : 'EN'}</a>${logout}</div></header><main id="main" tabindex="-1"><h1>${o.title}</h1>${o.flash ?? null}${o.body}</main></body></html>`;
}
