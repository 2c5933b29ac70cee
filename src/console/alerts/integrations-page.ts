/** /console/alerts/integrations: the keys Opsgenie clients send with; a new key is shown once, on the answer to its creation. */
import type { Integration, RoutingRule } from '../../alerts/integrations';
import { maskedKey } from '../../alerts/integrations';
import type { ConsoleContext } from '../context';
import { dataTable, field, form, href, notice, textarea, when } from '../ui';
import { html, userText, type Html } from '../../web/html';
import type { Words } from './texts';

export interface NewKey {
  name: string;
  key: string;
  url: string;
}

export function integrationsBody(
  ctx: ConsoleContext,
  t: Words,
  list: readonly Integration[],
  o: { created?: NewKey; errors?: Record<string, string>; values?: Record<string, string> } = {},
): Html {
  const shown = o.created
    ? html`${notice(t('int.shownOnce', { name: o.created.name, url: o.created.url }), 'good')}<p><code class="mono" id="new-key">${o.created.key}</code></p>`
    : null;
  const rows = list.map((i) => [
    userText(i.name),
    html`<span class="mono">${maskedKey(i.keyHint)}</span>`,
    userText(i.defaultTeam ?? ''),
    userText(i.rules.map((r) => `${r.field}:${r.equals}=${r.team}`).join(', ')),
    html`${i.revokedAt === null ? t('int.active') : t('int.revoked')}`,
    when(ctx, i.createdAt),
    i.revokedAt === null
      ? form(ctx, href(ctx, 'alerts', 'integrations', i.id, 'revoke'), html`<button type="submit">${t('int.revoke')}</button>`, {
          confirm: t('int.confirmRevoke', { name: i.name }),
        })
      : html``,
  ]);
  const table = dataTable([t('int.name'), t('int.key'), t('int.team'), t('int.routes'), t('int.state'), t('col.created'), ''], rows, '');
  const v = o.values ?? {};
  const create = form(
    ctx,
    href(ctx, 'alerts', 'integrations'),
    html`${field({ name: 'name', label: t('int.name'), value: v.name ?? '', required: true, error: o.errors?.name })}${field({ name: 'team', label: t('int.team'), value: v.team ?? '' })}${textarea({ name: 'routes', label: t('int.routes'), value: v.routes ?? '', hint: t('int.routesHint'), error: o.errors?.routes })}<p><button type="submit">${t('int.create')}</button></p>`,
  );
  return html`${shown}<section class="card" id="integrations">${table}</section><section class="card"><h2>${t('int.create')}</h2>${create}</section>`;
}

/** The form's routing rules, one per line; the first line that is no rule is the error. */
export function readRoutes(text: string, parse: (s: string) => RoutingRule | null): { rules: RoutingRule[]; bad: string | null } {
  const rules: RoutingRule[] = [];
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const r = parse(line);
    if (!r) return { rules, bad: line };
    rules.push(r);
  }
  return { rules, bad: null };
}
