/**
 * /console/people: the directory. The list, add and edit forms (validated by the schemas the CLI
 * uses), the person page with phone verification and test call / SMS / push, the progress of a
 * test as it happens, and importing a YAML or CSV list with a preview. Every change goes into
 * the audit log.
 */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { words } from '../ui';
import { TEXTS } from './texts';
import { listBody } from './list-page';
import { emptyValues, valuesOf } from './person-form';
import { doneNotice, personOr404 } from './view';
import { peoplePages } from './pages';
import { directoryRoutes } from './directory-routes';
import { verificationRoutes } from './verification';
import { testSendRoutes } from './test-sends';
import { importRoutes } from './import-page';
import { sendProgressPage, testOr404 } from './progress-page';
import { streamProgress } from './progress-stream';
import { PEOPLE_SCRIPT } from './script';
import { PEOPLE_CSS } from './style';
import { sendHtml } from '../../web/send';
import { type Html } from '../../web/html';

export function peopleArea(deps: ConsoleDeps): ConsoleArea {
  const r = Router({ strict: false });
  const pages = peoplePages(deps);

  r.get('/', async (req, res) => {
    const ctx = ctxOf(res);
    const t = words(ctx, TEXTS);
    const { users } = await deps.users.list({ limit: 100000 });
    sendHtml(
      res,
      200,
      shell(ctx, { title: t('list.title'), section: 'people', body: listBody(ctx, t, users), flash: doneNotice(t, req.query) }),
    );
  });
  r.get('/new', (_req, res) => pages.sendForm(res, 200, emptyValues(deps.config.lang), {}));
  // Before /:email, which would take "import" for an address (and refuse it).
  importRoutes(r, deps);

  r.get('/:email', async (req, res) => {
    const u = await personOr404(deps, req, res);
    if (u) await pages.sendPerson(req, res, u, 200, null);
  });
  r.get('/:email/edit', async (req, res) => {
    const u = await personOr404(deps, req, res);
    if (u) pages.sendForm(res, 200, valuesOf(u), {}, u);
  });
  directoryRoutes(r, deps, pages);
  verificationRoutes(r, deps, pages.sendPerson);
  testSendRoutes(r, deps, pages.sendPerson);

  r.get('/:email/test/:id', async (req, res) => {
    const u = await personOr404(deps, req, res);
    const n = u && (await testOr404(deps, req, res, u));
    if (u && n) await sendProgressPage(deps, req, res, u, n);
  });
  r.get('/:email/test/:id/events', async (req, res) => {
    const u = await personOr404(deps, req, res);
    const n = u && (await testOr404(deps, req, res, u));
    if (u && n) streamProgress(deps, req, res, words(ctxOf(res), TEXTS), n);
  });

  return { path: '/people', router: r, script: PEOPLE_SCRIPT, css: PEOPLE_CSS };
}
