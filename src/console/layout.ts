/** The frame around every console page: header, navigation, language switch, skip link. */
import { esc } from './ui';
import type { ConsoleContext } from './context';

export type Section = 'home' | 'people' | 'heartbeats' | 'pages' | 'settings' | 'audit';

const NAV: { id: Section; path: string; key: string }[] = [
  { id: 'home', path: '', key: 'nav.home' },
  { id: 'people', path: 'people', key: 'nav.people' },
  { id: 'heartbeats', path: 'heartbeats', key: 'nav.heartbeats' },
  { id: 'pages', path: 'pages', key: 'nav.pages' },
  { id: 'settings', path: 'settings', key: 'nav.settings' },
  { id: 'audit', path: 'audit', key: 'nav.audit' },
];

export interface ShellOptions {
  title: string;
  section: Section;
  body: string;
  /** Shown above the body (already-escaped HTML from ui.notice). */
  flash?: string;
  /** Seconds; for pages that update themselves without the script (test call progress). */
  refreshSeconds?: number;
}

export function shell(ctx: ConsoleContext, o: ShellOptions): string {
  const t = ctx.t;
  const nav = NAV.map((n) => `<li><a href="${esc(ctx.base + n.path)}"${n.id === o.section ? ' aria-current="page"' : ''}>${esc(t(n.key))}</a></li>`).join('');
  const other = ctx.lang === 'ru' ? 'en' : 'ru';
  const refresh = o.refreshSeconds ? `<meta http-equiv="refresh" content="${o.refreshSeconds}">` : '';
  const logout =
    ctx.user.kind === 'session'
      ? `<form method="post" action="${esc(ctx.base)}../logout">${ctx.csrf ? `<input type="hidden" name="_csrf" value="${esc(ctx.csrf)}">` : ''}<button type="submit" class="linklike">${esc(t('logout'))}</button></form>`
      : '';
  return (
    `<!doctype html><html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}` +
    `<meta name="robots" content="noindex"><title>${esc(o.title)} · dozvon</title><link rel="stylesheet" href="${esc(ctx.base)}assets/console.css">` +
    `<script src="${esc(ctx.base)}assets/console.js" defer></script></head><body>` +
    `<a class="skip" href="#main">${esc(t('nav.skip'))}</a>` +
    `<header class="top"><a class="brand" href="${esc(ctx.base)}">dozvon</a>` +
    `<nav aria-label="${esc(t('nav.label'))}"><ul>${nav}<li><a href="${esc(ctx.base)}../">${esc(t('nav.status'))}</a></li></ul></nav>` +
    `<div class="top-actions"><a class="lang" href="?lang=${other}" hreflang="${other}" lang="${other}" aria-label="${esc(t('lang.switch'))}: ${other === 'ru' ? 'русский' : 'English'}">${other === 'ru' ? 'RU' : 'EN'}</a>${logout}</div></header>` +
    `<main id="main" tabindex="-1"><h1>${esc(o.title)}</h1>${o.flash ?? ''}${o.body}</main></body></html>`
  );
}
