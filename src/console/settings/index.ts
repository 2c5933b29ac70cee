/**
 * /console/settings: the configuration in effect (secrets masked as `dozvon config` masks them),
 * the latest self-check results, the Asterisk connections and the senders. Read-only: settings
 * come from the environment and the YAML file, so the page says where each value came from.
 */
import { Router } from '../../http/express';
import { describeConfig } from '../../config';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { badge, dataTable, esc, when, words } from '../ui';
import { TEXTS } from './texts';

export function settingsArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  r.get('/', (_req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const checks = deps.checks();
    const checkRows = checks.map((c) => [esc(c.name), badge(c.state).markup, esc(c.detail) + (c.hint ? `<br><small class="muted">${esc(c.hint)}</small>` : ''), when(ctx, c.checkedAt ?? null)]);
    const tel = deps.telephonyHealth();
    const serverRows = tel.servers.map((s) => [`<span class="mono">${esc(safeUrl(s.url))}</span>`, badge(s.state === 'connected' ? 'ok' : s.state === 'stopped' ? 'down' : 'degraded').markup + ` ${esc(s.state)}`, esc(s.error ?? '—'), when(ctx, s.since), esc(s.activeLegs)]);
    const senderRows = deps.senders.all().map((s) => {
      const check = checks.find((c) => c.name === `sender:${s.name}`);
      return [esc(s.name), esc(s.kind), check ? badge(check.state).markup + ` <small class="muted">${esc(check.detail)}</small>` : `<span class="muted">${esc(t('notChecked'))}</span>`];
    });
    const config = Object.entries(describeConfig(deps.config)).map(([name, v]) => [`<span class="mono">${esc(name)}</span>`, `<span class="mono">${v.value === '' ? '<span class="muted">—</span>' : esc(v.value)}</span>`, esc(v.source === 'default' ? t('source.default') : v.source)]);
    const body =
      `<section class="card" id="checks"><h2>${esc(t('checks'))}</h2>${dataTable([t('check'), t('state'), t('detail'), t('checkedAt')], checkRows, t('checks.none'))}<p class="muted">${esc(t('checks.how'))}</p></section>` +
      `<div class="grid2"><section class="card" id="asterisk"><h2>${esc(t('asterisk'))}</h2><p>${badge(tel.configured ? (tel.ok ? 'ok' : 'down') : 'not configured').markup} ${esc(tel.message)}</p>${tel.servers.length ? dataTable([t('server'), t('state'), t('error'), t('since'), t('calls')], serverRows, '') : `<p class="muted">${esc(t('asterisk.none'))}</p>`}</section>` +
      `<section class="card" id="senders"><h2>${esc(t('senders'))}</h2>${dataTable([t('sender'), t('kind'), t('health')], senderRows, t('senders.none'))}</section></div>` +
      `<section class="card" id="config"><h2>${esc(t('config'))}</h2><p class="muted">${esc(t('config.how'))}</p>${dataTable([t('setting'), t('value'), t('source')], config, '')}</section>`;
    res.type('html').send(shell(ctx, { title: t('title'), section: 'settings', body }));
  });
  return { path: '/settings', router: r };
}

/** An ARI URL without any credentials someone put in it. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
