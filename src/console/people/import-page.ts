/**
 * /console/people/import: paste YAML or CSV (or pick a file: the script reads it into the box),
 * preview what would change person by person with every problem and its entry number, then
 * apply. Preview writes nothing; apply reads, validates and plans again from the same text, and
 * writes only if nothing is wrong, as `dozvon users import` does.
 */
import type { Response, RouterT } from '../../http/express';
import {
  guessFormat,
  readImportList,
  validateImport,
  planImport,
  ImportReadError,
  type ImportFormat,
  type ImportPlan,
  type ImportProblem,
} from '../../directory/import';
import { CSV_COLUMNS } from '../../directory/import-csv';
import { maskEmail } from '../../core/mask';
import type { ConsoleDeps } from '../deps';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { codeBlock, dataTable, form, href, notice, select, textarea, words } from '../ui';
import { TEXTS } from './texts';
import { problemText, readErrorText } from './import-words';
import { sendHtml } from '../../web/send';
import { html, userText, type Html } from '../../web/html';

const SAMPLE_YAML = `- email: alice@example.com
  name: Alice Smith
  phone: "+79161234567"
  lang: ru
  pin: "0123"
  channels: [voice, sms]
- email: bob@example.com
  name: Bob Jones
  channels: [push]
  contacts: { ntfy: bob-alerts }`;
const SAMPLE_CSV = `email,name,phone,lang,pin,channels
alice@example.com,Alice Smith,+79161234567,ru,0123,voice;sms
carol@example.com,Carol White,+15550001111,en,,voice sms`;

const MAX_TEXT = 400_000;

interface Outcome {
  format: ImportFormat;
  /** The file could not be read as a list at all. */
  readError?: string;
  problems: ImportProblem[];
  plan?: ImportPlan;
}

export function importRoutes(r: RouterT, deps: ConsoleDeps): void {
  r.get('/import', (_req, res) => {
    sendImport(res, 200, { text: '', format: 'auto' });
  });

  r.post('/import', async (req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const body = req.body as Record<string, unknown>;
    const text = typeof body.text === 'string' ? body.text : '';
    const chosen = body.format === 'yaml' || body.format === 'csv' ? body.format : 'auto';
    if (text.trim() === '') return sendImport(res, 400, { text, format: chosen, error: t('import.empty') });
    if (text.length > MAX_TEXT) return sendImport(res, 413, { text: '', format: chosen, error: t('import.tooLong') });
    const outcome = await analyse(deps, ctx, t, text, chosen === 'auto' ? guessFormat(text) : chosen);
    const bad = outcome.readError !== undefined || outcome.problems.length > 0;
    if (body.step !== 'apply' || bad) return sendImport(res, bad ? 400 : 200, { text, format: chosen, outcome });
    const done = await deps.people.import(ctx.user.actor, {
      source: 'directory',
      format: outcome.format,
      entries: outcome.plan!.entries,
      skipUnchanged: true,
    });
    deps.logger.info(
      { created: done.created.length, updated: done.updated.length, people: [...done.created, ...done.updated].map(maskEmail) },
      'people imported from the console',
    );
    res.redirect(
      303,
      `${href(ctx, 'people')}?done=imported&created=${done.created.length}&updated=${done.updated.length}&unchanged=${done.unchanged.length}`,
    );
  });
}

async function analyse(deps: ConsoleDeps, ctx: ConsoleContext, t: Translate, text: string, format: ImportFormat): Promise<Outcome> {
  let list;
  try {
    list = readImportList(text, format === 'csv' ? 'CSV' : 'YAML', format);
  } catch (e) {
    if (e instanceof ImportReadError) return { format, readError: readErrorText(ctx.lang, t, e), problems: [] };
    throw e;
  }
  const { valid, problems } = validateImport(list);
  const plan = await planImport(deps.users, valid);
  const worded = [...problems, ...plan.unreachable].map((p) => ({ ...p, message: problemText(ctx.lang, t, p) }));
  return { format, problems: worded.sort((a, b) => a.entry - b.entry), plan };
}

function sendImport(res: Response, status: number, o: { text: string; format: string; error?: string; outcome?: Outcome }): void {
  const ctx = ctxOf(res);
  const t = words(ctx, TEXTS);
  const action = href(ctx, 'people', 'import');
  const paste = html`<div class="import-file" hidden><label for="import-file">${t('import.file')}</label><input id="import-file" type="file" accept=".yaml,.yml,.csv,text/csv,text/yaml,text/plain"></div>${textarea({ name: 'text', label: t('import.text'), value: o.text, rows: 12, mono: true, error: o.error, hint: t('import.textHint') })}${select(
    {
      name: 'format',
      label: t('import.format'),
      value: o.format,
      hint: t('import.formatHint'),
      options: [
        { value: 'auto', label: t('import.auto') },
        { value: 'yaml', label: 'YAML' },
        { value: 'csv', label: 'CSV' },
      ],
    },
  )}<input type="hidden" name="step" value="preview"><div class="actions"><button type="submit">${t('import.preview')}</button><a class="button secondary" href="${href(ctx, 'people')}">${t('cancel')}</a></div>`;
  const preview = o.outcome ? previewSection(ctx, t, o.outcome, o.text, o.format) : null;
  const help = html`<section class="card import-help"><h2>${t('import.formats')}</h2><p>${t('import.yamlHelp')}</p>${codeBlock(ctx, 'sample-yaml', SAMPLE_YAML, t('import.yamlSample'))}<p>${t('import.csvHelp', { columns: CSV_COLUMNS.join(', ') })}</p>${codeBlock(ctx, 'sample-csv', SAMPLE_CSV, t('import.csvSample'))}</section>`;
  const body = html`${preview}<section class="card"><h2>${t(o.outcome ? 'import.again' : 'import.paste')}</h2>${form(ctx, action, paste, { cls: 'import-form' })}</section>${help}`;
  sendHtml(res, status, shell(ctx, { title: t(o.outcome ? 'import.previewTitle' : 'import.title'), section: 'people', body }));
}

function previewSection(ctx: ConsoleContext, t: Translate, o: Outcome, text: string, format: string): Html {
  if (o.readError !== undefined)
    return html`<section class="card" id="import-preview">${notice(t('import.unreadable', { detail: o.readError }), 'bad')}</section>`;
  const entries = o.plan?.entries ?? [];
  const count = (s: string) => entries.filter((e) => e.status === s).length;
  const summary = t('import.summary', {
    created: count('new'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    errors: o.problems.length,
  });
  const rows = entries.map((e) => [
    html`${e.entry}`,
    userText(e.input.email),
    userText(e.input.name),
    html`<span class="badge ${e.status === 'new' ? 'good' : e.status === 'updated' ? 'warn' : ''}">${t(`import.status.${e.status}`)}</span>`,
    html`${e.status === 'unchanged' ? '—' : e.changes.map((c) => t.dynamic(`fieldName.${c}`) ?? c).join(', ')}`,
  ]);
  const table = dataTable(
    [t('import.col.entry'), t('col.email'), t('col.name'), t('import.col.status'), t('import.col.changes')],
    rows,
    t('import.nothing'),
    'import-table',
  );
  const errors = o.problems.length
    ? html`<div class="notice bad" role="alert"><p>${t('import.hasErrors', { n: o.problems.length })}</p><ul class="import-errors">${o.problems.map((p) => html`<li>${t('import.entry', { n: p.entry })}: <span class="mono">${userText(p.message)}</span></li>`)}</ul></div>`
    : null;
  const writes = count('new') + count('updated');
  const apply =
    o.problems.length || writes === 0
      ? html`<p class="muted">${t(o.problems.length ? 'import.fixFirst' : 'import.nothingToDo')}</p>`
      : form(
          ctx,
          href(ctx, 'people', 'import'),
          html`<textarea name="text" hidden aria-label="${t('import.text')}">${text}</textarea><input type="hidden" name="format" value="${format}"><input type="hidden" name="step" value="apply"><div class="actions"><button type="submit">${t('import.apply', { n: writes })}</button></div>`,
          { cls: 'import-apply' },
        );
  return html`<section class="card" id="import-preview"><h2>${t('import.previewHeading')}</h2><p>${summary}</p>${errors}${table}${apply}</section>`;
}
