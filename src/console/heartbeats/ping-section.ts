/**
 * "How to ping it": the real URLs of every route that pings this heartbeat, each with a copy
 * button, and the lines to paste (curl, cron, Alertmanager). The key is shown in full only here,
 * behind the admin login, because the operator has to paste it; without a key, no snippet at all.
 */
import type { Heartbeat } from '../../watchers/heartbeats';
import type { ConsoleContext } from '../context';
import type { Translate } from '../i18n';
import { codeBlock, copyable, esc, href, notice } from '../ui';
import { PingKey, pingStyles } from './ping-help';
import { spanText } from './view';

export function pingSection(ctx: ConsoleContext, t: Translate, hb: Heartbeat, publicUrl: string, key: PingKey | null): string {
  const head = `<h2 id="ping-title">${esc(t('ping.title'))}</h2>`;
  if (!key) {
    return (
      `<section class="card" id="ping" aria-labelledby="ping-title">${head}${notice(t('ping.noKey'), 'bad')}<p>${esc(t('ping.noKey.how'))}</p>` +
      `${codeBlock(ctx, 'make-key', 'openssl rand -hex 24', t('ping.noKey.make'))}<p class="muted">${esc(t('ping.noKey.after'))}</p></section>`
    );
  }
  const s = pingStyles(publicUrl, hb.name, key.value, hb.periodS);
  const tail = key.value.slice(-4);
  const keyLine = `<p id="key-used">${esc(t('ping.key', { i: key.index, n: key.count, tail }))}</p><p class="muted">${esc(t('ping.key.secret'))}</p>${keyChooser(ctx, t, hb, key)}`;
  const opsgenie =
    `<h3>${esc(t('ping.opsgenie'))}</h3><p>${esc(t('ping.opsgenie.how'))}</p>` +
    copyable(ctx, 'url-opsgenie', s.opsgenie.url, t('ping.url')) +
    codeBlock(ctx, 'curl-opsgenie', s.opsgenie.curl, t('ping.curl'));
  const healthchecks =
    `<h3>${esc(t('ping.hc'))}</h3><p>${esc(t('ping.hc.how'))}</p>` +
    copyable(ctx, 'url-hc', s.healthchecks.url, t('ping.hc.success')) +
    copyable(ctx, 'url-hc-fail', s.healthchecks.fail, t('ping.hc.fail')) +
    copyable(ctx, 'url-hc-start', s.healthchecks.start, t('ping.hc.start')) +
    codeBlock(ctx, 'curl-hc', s.healthchecks.curl, t('ping.curl')) +
    codeBlock(ctx, 'curl-hc-exit', s.healthchecks.exitCurl, t('ping.hc.exit'));
  const cron = s.cron
    ? `<h3>${esc(t('ping.cron'))}</h3><p>${esc(t('ping.cron.how', { gap: spanText(t, s.cron.plan.gapS * 1000) }))}</p>${codeBlock(ctx, 'cron-line', s.cron.line, t('ping.cron.line'))}` +
      (hb.graceS < 60 ? `<p class="notice info">${esc(t('ping.cron.grace'))}</p>` : '')
    : `<h3>${esc(t('ping.cron'))}</h3><p>${esc(t('ping.cron.tooShort'))}</p>${codeBlock(ctx, 'loop-line', s.loop, t('ping.loop'))}`;
  const alertmanager =
    `<h3>${esc(t('ping.am'))}</h3><p>${esc(t('ping.am.how', { repeat: s.alertmanager.repeat }))}</p>` +
    copyable(ctx, 'url-am', s.alertmanager.url, t('ping.am.url')) +
    codeBlock(ctx, 'am-yaml', s.alertmanager.yaml, t('ping.am.yaml')) +
    codeBlock(ctx, 'curl-am', s.alertmanager.testCurl, t('ping.am.test'));
  return `<section class="card" id="ping" aria-labelledby="ping-title">${head}${keyLine}${opsgenie}${healthchecks}${cron}${alertmanager}</section>`;
}

/** With several keys, pick which one the snippets carry (a GET form: works without the script). */
function keyChooser(ctx: ConsoleContext, t: Translate, hb: Heartbeat, key: PingKey): string {
  if (key.count < 2) return '';
  const options = Array.from({ length: key.count }, (_, i) => `<option value="${i + 1}"${i + 1 === key.index ? ' selected' : ''}>${esc(t('ping.key.option', { i: i + 1 }))}</option>`).join('');
  return (
    `<form method="get" action="${esc(href(ctx, 'heartbeats', hb.name))}#ping" class="search"><div class="field"><label for="f-key">${esc(t('ping.key.choose'))}</label>` +
    `<select id="f-key" name="key">${options}</select></div><button type="submit" class="secondary">${esc(t('ping.key.show'))}</button></form>`
  );
}
