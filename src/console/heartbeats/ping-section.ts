/**
 * "How to ping it": the real URLs of every route that pings this heartbeat, each with a copy
 * button, and the lines to paste (curl, cron, Alertmanager). The key is shown in full only here,
 * behind the admin login, because the operator has to paste it; without a key, no snippet at all.
 */
import type { Heartbeat } from '../../watchers/heartbeats';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { codeBlock, copyable, href, notice } from '../ui';
import { PingKey, pingStyles } from './ping-help';
import { spanText } from './view';
import { html, type Html } from '../../web/html';

export function pingSection(ctx: ConsoleContext, t: Translate, hb: Heartbeat, publicUrl: string, key: PingKey | null): Html {
  const head = html`<h2 id="ping-title">${t('ping.title')}</h2>`;
  if (!key) {
    return html`<section class="card" id="ping" aria-labelledby="ping-title">${head}${notice(t('ping.noKey'), 'bad')}<p>${t('ping.noKey.how')}</p>${codeBlock(ctx, 'make-key', 'openssl rand -hex 24', t('ping.noKey.make'))}<p class="muted">${t('ping.noKey.after')}</p></section>`;
  }
  const s = pingStyles(publicUrl, hb.name, key.value, hb.periodS);
  const tail = key.value.slice(-4);
  const keyLine = html`<p id="key-used">${t('ping.key', { i: key.index, n: key.count, tail })}</p><p class="muted">${t('ping.key.secret')}</p>${keyChooser(ctx, t, hb, key)}`;
  const opsgenie = html`<h3>${t('ping.opsgenie')}</h3><p>${t('ping.opsgenie.how')}</p>${copyable(ctx, 'url-opsgenie', s.opsgenie.url, t('ping.url'))}${codeBlock(ctx, 'curl-opsgenie', s.opsgenie.curl, t('ping.curl'))}`;
  const healthchecks = html`<h3>${t('ping.hc')}</h3><p>${t('ping.hc.how')}</p>${[
    copyable(ctx, 'url-hc', s.healthchecks.url, t('ping.hc.success')),
    copyable(ctx, 'url-hc-fail', s.healthchecks.fail, t('ping.hc.fail')),
    copyable(ctx, 'url-hc-start', s.healthchecks.start, t('ping.hc.start')),
    codeBlock(ctx, 'curl-hc', s.healthchecks.curl, t('ping.curl')),
    codeBlock(ctx, 'curl-hc-exit', s.healthchecks.exitCurl, t('ping.hc.exit')),
  ]}`;
  const cron = s.cron
    ? html`<h3>${t('ping.cron')}</h3><p>${t('ping.cron.how', { gap: spanText(t, s.cron.plan.gapS * 1000) })}</p>${codeBlock(ctx, 'cron-line', s.cron.line, t('ping.cron.line'))}${hb.graceS < 60 ? html`<p class="notice info">${t('ping.cron.grace')}</p>` : null}`
    : html`<h3>${t('ping.cron')}</h3><p>${t('ping.cron.tooShort')}</p>${codeBlock(ctx, 'loop-line', s.loop, t('ping.loop'))}`;
  const alertmanager = html`<h3>${t('ping.am')}</h3><p>${t('ping.am.how', { repeat: s.alertmanager.repeat })}</p>${copyable(ctx, 'url-am', s.alertmanager.url, t('ping.am.url'))}${codeBlock(ctx, 'am-yaml', s.alertmanager.yaml, t('ping.am.yaml'))}${codeBlock(ctx, 'curl-am', s.alertmanager.testCurl, t('ping.am.test'))}`;
  return html`<section class="card" id="ping" aria-labelledby="ping-title">${head}${keyLine}${opsgenie}${healthchecks}${cron}${alertmanager}</section>`;
}

/** With several keys, pick which one the snippets carry (a GET form: works without the script). */
function keyChooser(ctx: ConsoleContext, t: Translate, hb: Heartbeat, key: PingKey): Html | null {
  if (key.count < 2) return null;
  const options = Array.from(
    { length: key.count },
    (_, i) => html`<option value="${i + 1}"${i + 1 === key.index ? html` selected` : null}>${t('ping.key.option', { i: i + 1 })}</option>`,
  );
  return html`<form method="get" action="${href(ctx, 'heartbeats', hb.name)}#ping" class="search"><div class="field"><label for="f-key">${t('ping.key.choose')}</label><select id="f-key" name="key">${options}</select></div><button type="submit" class="secondary">${t('ping.key.show')}</button></form>`;
}
