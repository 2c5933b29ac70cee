/**
 * The status page and the login page as complete HTML documents. No scripts and no external
 * assets (the CSP forbids both); the page reloads itself with <meta http-equiv="refresh">.
 */
import { maskPhone } from '../core/mask';
import { badge, duration, period, table, timeCell, truncate, utc } from './html';
import { html, unsafeRawHtml, userText, type Html } from '../web/html';
import type { StatusSnapshot } from './types';
import { deliverySection } from './delivery-section';

const QUEUE_ORDER = ['pending', 'active', 'delivered', 'failed', 'cancelled'];

const CSS = `
:root{color-scheme:light;--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--good:#067647;--good-bg:#dcfae6;--warn:#93370d;--warn-bg:#fef0c7;--bad:#b42318;--bad-bg:#fee4e2}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#f8f9fb}
header{display:flex;align-items:center;gap:16px;padding:12px 24px;background:#101828;color:#fff}
header h1{font-size:18px;margin:0}header .meta{color:#d0d5dd;font-size:12px;margin-left:auto}
header form{margin:0}header button{background:transparent;color:#fff;border:1px solid #475467;border-radius:6px;padding:4px 10px;cursor:pointer}
main{padding:16px 24px;display:grid;gap:16px;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 16px}
h2{font-size:15px;margin:0 0 8px}h2 .count{color:var(--muted);font-weight:normal}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-top:1px solid var(--line);vertical-align:top}
td time{white-space:nowrap}th{font-size:12px;color:var(--muted);font-weight:600;border-top:none}
td.msg{max-width:420px;overflow-wrap:anywhere}.mono{font-family:ui-monospace,Menlo,Consolas,monospace}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;background:#f2f4f7;color:#344054}
.badge.good{background:var(--good-bg);color:var(--good)}.badge.warn{background:var(--warn-bg);color:var(--warn)}.badge.bad{background:var(--bad-bg);color:var(--bad)}
.row{display:grid;grid-template-columns:2fr 1fr;gap:16px}
.chips{display:flex;flex-wrap:wrap;gap:8px}.chip{border:1px solid var(--line);border-radius:8px;padding:6px 10px}.chip small{color:var(--muted);display:block}
.empty{color:var(--muted);margin:4px 0}.errors{background:var(--bad-bg);color:var(--bad);border-color:#fecdca}
.queue td:last-child{text-align:right;font-variant-numeric:tabular-nums}
form.login{max-width:360px;margin:80px auto;background:#fff;border:1px solid var(--line);border-radius:10px;padding:24px}
form.login label{display:block;margin:12px 0 4px}form.login input{width:100%;padding:8px;border:1px solid #d0d5dd;border-radius:6px;font:inherit}
form.login button{margin-top:16px;width:100%;padding:8px;border:0;border-radius:6px;background:#101828;color:#fff;font:inherit;cursor:pointer}
.error{color:var(--bad)}
@media (max-width:900px){.row{grid-template-columns:1fr}}
`;

function page(title: string, body: Html, refreshSeconds: number | null): Html {
  const refresh = refreshSeconds ? html`<meta http-equiv="refresh" content="${refreshSeconds}">` : null;
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}<meta name="robots" content="noindex"><title>${title}</title><style>${unsafeRawHtml(CSS)}</style></head><body>${body}</body></html>`;
}

export interface RenderOptions {
  refreshSeconds: number;
  /** The logout form's CSRF field for a browser session; null for Bearer callers (no form needs it). */
  csrf?: string | null;
}

export function renderStatusPage(s: StatusSnapshot, opts: RenderOptions): Html {
  const csrf = opts.csrf ? html`<input type="hidden" name="_csrf" value="${opts.csrf}">` : null;
  const header = html`<header><h1>dozvon status</h1><a href="console/" style="color:#fff">Console</a><span class="meta">updated ${utc(s.now)} · refreshes every ${opts.refreshSeconds} s</span><form method="post" action="logout">${csrf}<button type="submit">Log out</button></form></header>`;
  const errors = s.errors.length
    ? html`<section class="errors" id="errors"><h2>Some data could not be read</h2><ul>${s.errors.map((e) => html`<li>${userText(e)}</li>`)}</ul></section>`
    : null;
  const body = html`${header}<main>${errors}${pagesSection(s)}<div class="row">${attemptsSection(s)}<div>${healthSection(s)}${queueSection(s)}</div></div>${heartbeatsSection(s)}${deliverySection(s.delivery)}</main>`;
  return page('dozvon status', body, opts.refreshSeconds);
}

function pagesSection(s: StatusSnapshot): Html {
  const rows = s.pages.map(
    (p) =>
      html`<td class="mono">#${p.id}</td><td>${p.kind}</td><td>${badge(p.state)}</td><td>${userText(p.who)}</td><td class="mono">${maskPhone(p.phone) || '—'}</td><td class="msg">${userText(truncate(p.message, 160))}${p.alertGroupId ? html` <small class="mono">(${userText(p.alertGroupId)})</small>` : null}</td>${timeCell(p.receivedAt, s.now)}<td>${p.attempts}${p.lastOutcome ? html` · ${badge(p.lastOutcome)}` : null}</td>${timeCell(p.nextAttemptAt, s.now)}`,
  );
  return html`<section id="pages"><h2>Being paged now <span class="count">(${s.pages.length})</span></h2>${table('pages', ['#', 'kind', 'state', 'who', 'number', 'incident', 'received', 'attempts', 'next try'], rows, 'Nobody is being paged.')}</section>`;
}

function attemptsSection(s: StatusSnapshot): Html {
  const rows = s.attempts.map(
    (a) =>
      html`${timeCell(a.startedAt, s.now)}<td>${userText(a.who)}</td><td class="mono">${maskPhone(a.phone) || '—'}</td><td>${a.channel}</td><td>${badge(a.outcome)}</td><td>${a.cause ?? '—'}</td><td class="mono">${a.digits ?? '—'}</td><td>${a.action ?? '—'}${a.result ? html`: ${userText(truncate(a.result, 80))}` : null}</td><td>${duration(a.endedAt === null ? null : a.endedAt - a.startedAt)}</td>`,
  );
  return html`<section id="attempts"><h2>Recent calls and messages <span class="count">(${s.attempts.length})</span></h2>${table('attempts', ['when', 'who', 'number', 'channel', 'outcome', 'cause', 'digits', 'action', 'length'], rows, 'No attempts yet.')}</section>`;
}

function healthSection(s: StatusSnapshot): Html {
  const chips = s.health.map(
    (h) =>
      html`<div class="chip">${badge(h.state ?? (h.ok ? 'ok' : 'down'))} ${h.name}${h.detail ? html`<small>${userText(truncate(h.detail, 120))}</small>` : null}</div>`,
  );
  const inner = chips.length ? html`<div class="chips">${chips}</div>` : html`<p class="empty">No health checks reported.</p>`;
  return html`<section id="health"><h2>Channel health</h2>${inner}</section>`;
}

function queueSection(s: StatusSnapshot): Html {
  const states = [
    ...QUEUE_ORDER,
    ...Object.keys(s.queue)
      .filter((k) => !QUEUE_ORDER.includes(k))
      .sort(),
  ];
  const rows = states.map((st) => html`<td>${badge(st)}</td><td>${s.queue[st] ?? 0}</td>`);
  return html`<section id="queue" style="margin-top:16px"><h2>Queue depth</h2>${table('queue', ['state', 'notifications'], rows, '')}</section>`;
}

function heartbeatsSection(s: StatusSnapshot): Html {
  const rows = s.heartbeats.map(
    (h) =>
      html`<td>${userText(h.name)}</td><td>${h.kind}</td><td>${badge(h.enabled ? h.state : 'paused')}</td>${timeCell(h.lastPingAt, s.now)}<td>every ${period(h.periodS)}, grace ${period(h.graceS)}</td>`,
  );
  return html`<section id="heartbeats"><h2>Heartbeats <span class="count">(${s.heartbeats.length})</span></h2>${table('heartbeats', ['name', 'kind', 'state', 'last ping', 'schedule'], rows, 'No heartbeats configured.')}</section>`;
}

export function renderLoginPage(opts: { error?: string; disabled?: boolean; next?: string } = {}): Html {
  if (opts.disabled) {
    return page(
      'dozvon status: disabled',
      html`<form class="login"><h1>dozvon</h1><p>The status page is disabled: set <code>DOZVON_ADMIN_TOKEN</code> to turn it on.</p></form>`,
      null,
    );
  }
  const err = opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : null;
  const next = opts.next ? html`<input type="hidden" name="next" value="${opts.next}">` : null;
  const form = html`<form class="login" method="post" action="login"><h1>dozvon</h1><p>Sign in with the admin token (<code>DOZVON_ADMIN_TOKEN</code>).</p>${err}<label for="token">Admin token</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus>${next}<button type="submit">Sign in</button></form>`;
  return page('dozvon: sign in', form, null);
}
