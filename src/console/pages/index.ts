/**
 * /console/pages: every page dozvon received, searchable (a plain GET form), each with its
 * timeline, and for calls a Listen button that plays what the phone played (src/listen).
 */
import { Router, type Request, type Response, type NextFunction } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { notice, words } from '../ui';
import { planListen, renderListen, type ListenPlan, type ListenRoots } from '../../listen';
import { TEXTS } from './texts';
import { parseFilter } from './filter';
import { peopleByIds } from './format';
import { resultsTable, searchForm } from './list-view';
import { timelineBody } from './timeline-view';
import { PromptWords } from './listen-view';
import { sendWav } from './audio';
import { sendHtml } from '../../web/send';
import { html, type Html } from '../../web/html';

const PAGE_SIZE = 50;
const ID_RE = /^\d{1,12}$/;

const CSS = `
.pages-search{margin-bottom:16px;align-items:flex-start}.pages-search .field input,.pages-search .field select{width:auto;min-width:150px;max-width:100%}
.pages-search .field{max-width:100%}.pages-search .actions{margin:28px 0 0}
.pages-table{min-width:860px}.pages-table td{overflow-wrap:break-word}.pages-table td:nth-child(3){min-width:12em}.pages-table td:nth-child(5){min-width:14em}
.page-message{white-space:pre-wrap;overflow-wrap:anywhere;background:#f9fafb;border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:6px 0 0}
ol.timeline dl.facts{margin:6px 0 0}
.listen{margin:10px 0 0;padding:10px 12px;border:1px solid var(--line);border-radius:8px;background:#fcfcfd}.listen h3{margin-top:0}
.listen audio{display:block;width:100%;max-width:520px;margin:4px 0}.listen-links{margin:2px 0 8px}.listen-intro{margin:6px 0 2px}
ol.timeline ol.played{list-style:decimal;margin:0;padding-left:24px;border:0}
ol.timeline ol.played li{margin:2px 0;padding-left:2px;overflow-wrap:anywhere}ol.timeline ol.played li::before{content:none}
ol.played li.left-out{color:var(--muted)}
`;

export function pagesArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  const roots: ListenRoots = { ttsDir: deps.media.ttsDir, soundsRoot: deps.media.soundsRoot, publicUrl: deps.config.publicUrl };
  const promptWords = new PromptWords(deps.media.soundsRoot);

  r.get('/', async (req: Request, res: Response) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const filter = parseFilter(req.query as Record<string, unknown>, ctx.now);
    const invalid = Object.keys(filter.errors).length > 0;
    let results: Html | null = null;
    if (!invalid) {
      const found = await deps.notifications.search({ ...filter.search, limit: PAGE_SIZE + 1 });
      const pages = found.slice(0, PAGE_SIZE);
      const [attempts, people] = await Promise.all([
        deps.notifications.attemptsFor(pages.map((p) => p.id)),
        peopleByIds(
          deps.db,
          pages.map((p) => p.userId),
        ),
      ]);
      results = resultsTable(ctx, t, {
        filter,
        pages,
        attempts,
        people,
        olderThan: found.length > PAGE_SIZE ? pages[pages.length - 1].id : null,
      });
    }
    const flash = invalid ? notice(filter.errors.before ? t(filter.errors.before.key) : t('error.invalid'), 'bad') : undefined;
    const body = html`<p class="muted">${t('list.intro')}</p><section class="card">${searchForm(ctx, t, filter)}${results}</section>`;
    sendHtml(res, invalid ? 400 : 200, shell(ctx, { title: t('list.title'), section: 'pages', body, flash }));
  });

  r.get('/:id', async (req: Request, res: Response, next: NextFunction) => {
    const id = String(req.params.id);
    if (!ID_RE.test(id)) return next();
    const page = await deps.notifications.get(Number(id));
    if (!page) return next();
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const attempts = (await deps.notifications.attemptsFor([page.id])).get(page.id) ?? [];
    const plans = new Map<number, ListenPlan>();
    for (const a of attempts) if (a.channel === 'voice' && a.played?.length) plans.set(a.id, await planListen(a.played, roots));
    const others = page.alertGroupId
      ? await deps.notifications.search({ alertGroupId: page.alertGroupId, excludeId: page.id, limit: PAGE_SIZE })
      : [];
    const people = await peopleByIds(deps.db, [page.userId, ...others.map((o) => o.userId)]);
    const body = timelineBody(ctx, t, {
      page,
      person: page.userId === null ? undefined : people.get(page.userId),
      attempts,
      plans,
      others,
      othersPeople: people,
      words: promptWords,
    });
    sendHtml(res, 200, shell(ctx, { title: t('page.title', { id: page.id }), section: 'pages', body }));
  });

  r.get('/:id/attempts/:aid/audio.wav', async (req: Request, res: Response, next: NextFunction) => {
    const [id, aid] = [String(req.params.id), String(req.params.aid)];
    if (!ID_RE.test(id) || !ID_RE.test(aid)) return next();
    const attempt = ((await deps.notifications.attemptsFor([Number(id)])).get(Number(id)) ?? []).find((a) => a.id === Number(aid));
    if (!attempt || attempt.channel !== 'voice' || !attempt.played?.length) return next();
    const audio = await renderListen(await planListen(attempt.played, roots));
    if (!audio) {
      const ctx = ctxOf(res);
      const t = words(ctx, TEXTS);
      sendHtml(res, 404, shell(ctx, { title: t('listen.title'), section: 'pages', body: notice(t('listen.gone'), 'bad') }));
      return;
    }
    sendWav(req, res, audio, `page-${id}-attempt-${aid}.wav`);
  });

  return { path: '/pages', router: r, css: CSS };
}
