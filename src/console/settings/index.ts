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
import { badge, dataTable, when, words } from '../ui';
import { TEXTS } from './texts';
import { sendHtml } from '../../web/send';
import { html, userText, type Html } from '../../web/html';
import { trunksCard } from './trunks';

export function settingsArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  r.get('/', (_req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const checks = deps.checks();
    const checkRows = checks.map((c) => [
      html`${c.name}`,
      badge(c.state),
      html`${userText(c.detail)}${c.hint ? html`<br><small class="muted">${c.hint}</small>` : null}`,
      when(ctx, c.checkedAt ?? null),
    ]);
    const tel = deps.telephonyHealth();
    const serverRows = tel.servers.map((s) => [
      html`<span class="mono">${safeUrl(s.url)}</span>`,
      html`${badge(s.state === 'connected' ? 'ok' : s.state === 'stopped' ? 'down' : 'degraded')} ${s.state}`,
      html`${userText(s.error ?? '—')}`,
      when(ctx, s.since),
      html`${s.activeLegs}`,
    ]);
    const senderRows = deps.senders.all().map((s) => {
      const check = checks.find((c) => c.name === `sender:${s.name}`);
      return [
        html`${s.name}`,
        html`${s.kind}`,
        check
          ? html`${badge(check.state)} <small class="muted">${userText(check.detail)}</small>`
          : html`<span class="muted">${t('notChecked')}</span>`,
      ];
    });
    const config = Object.entries(describeConfig(deps.config)).map(([name, v]) => [
      html`<span class="mono">${name}</span>`,
      html`<span class="mono">${v.value === '' ? html`<span class="muted">—</span>` : v.value}</span>`,
      html`${v.source === 'default' ? t('source.default') : v.source}`,
    ]);
    const body = html`<section class="card" id="checks"><h2>${t('checks')}</h2>${dataTable([t('check'), t('state'), t('detail'), t('checkedAt')], checkRows, t('checks.none'))}<p class="muted">${t('checks.how')}</p></section><div class="grid2"><section class="card" id="asterisk"><h2>${t('asterisk')}</h2><p>${badge(tel.configured ? (tel.ok ? 'ok' : 'down') : 'not configured')} ${userText(tel.message)}</p>${tel.servers.length ? dataTable([t('server'), t('state'), t('error'), t('since'), t('calls')], serverRows, '') : html`<p class="muted">${t('asterisk.none')}</p>`}</section><section class="card" id="senders"><h2>${t('senders')}</h2>${dataTable([t('sender'), t('kind'), t('health')], senderRows, t('senders.none'))}</section></div>${deps.trunks ? trunksCard(ctx, t, deps.trunks()) : null}<section class="card" id="config"><h2>${t('config')}</h2><p class="muted">${t('config.how')}</p>${dataTable([t('setting'), t('value'), t('source')], config, '')}</section>`;
    sendHtml(res, 200, shell(ctx, { title: t('title'), section: 'settings', body }));
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
