/**
 * /console: the operator's console behind the admin login. Server-rendered pages that work
 * without JavaScript; one same-origin script adds copy buttons, confirmations and live progress.
 * Order: assets (public), sign-in check, language, context, then for POSTs origin, body and CSRF.
 */
import { Router, RouterT, Request, Response, NextFunction } from '../http/express';
import { BODY_LIMITS, BODY_REFUSED, readBody } from '../http/body';
import { clientErrorStatus } from '../http/server';
import { AppError, errorMessage } from '../core/errors';
import { ConsoleAuth } from './auth';
import { cookiePath, fromOurOrigin } from '../web/origin';
import { pickLang, translator, LANG_COOKIE } from './i18n';
import { COMMON } from './texts';
import { shell } from './layout';
import { notice } from './ui';
import { html, type Html } from '../web/html';
import { sendHtml } from '../web/send';
import { sendFavicon } from '../web/favicon';
import { CONSOLE_CSS, CORE_SCRIPT } from './assets';
import type { ConsoleContext } from './context';
import type { ConsoleDeps } from './deps';
import type { ConsoleArea } from './area';
import { homeArea } from './home';
import { peopleArea } from './people';
import { heartbeatsArea } from './heartbeats';
import { teamsArea } from './teams';
import { pagesArea } from './pages';
import { settingsArea } from './settings';
import { deliveryArea } from './delivery';
import { auditArea } from './audit-log';
import { alertsArea } from './alerts';

const HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

export function consoleRouter(deps: ConsoleDeps, opts: { sessionTtlMs?: number } = {}): RouterT {
  const r = Router({ strict: false });
  const guard = deps.adminGuard;
  const auth = new ConsoleAuth(guard, deps.revocations, deps.now, opts.sessionTtlMs);
  const langPath = cookiePath(deps.config.publicUrl);
  const areas: ConsoleArea[] = [
    peopleArea(deps),
    heartbeatsArea(deps),
    teamsArea(deps),
    alertsArea(deps),
    pagesArea(deps),
    settingsArea(deps),
    deliveryArea(deps),
    auditArea(deps),
    homeArea(deps),
  ];
  const script = [CORE_SCRIPT, ...areas.map((a) => a.script ?? '')].join('\n');
  const css = [CONSOLE_CSS, ...areas.map((a) => a.css ?? '')].join('\n');

  r.get('/assets/console.js', (_req, res) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=300' }).type('application/javascript').send(script);
  });
  r.get('/assets/console.css', (_req, res) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=300' }).type('text/css').send(css);
  });

  r.get('/assets/favicon.svg', (_req, res) => sendFavicon(res));

  r.use(async (req: Request, res: Response, next: NextFunction) => {
    res.set(HEADERS);
    const base = `${(res.locals.mountBase as string | undefined) ?? ''}${req.baseUrl}/`;
    if (!auth.enabled) {
      sendHtml(res, 403, plainPage('dozvon console', 'The console is disabled: set DOZVON_ADMIN_TOKEN to turn it on.'));
      return;
    }
    const user = await auth.who(req);
    if (user?.kind === 'locked') {
      sendHtml(
        res.set('Retry-After', String(user.retryAfterSeconds)),
        429,
        plainPage('dozvon console', 'Too many wrong admin tokens from your address; try again later.'),
      );
      return;
    }
    if (user === null) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        const rest = req.url.replace(/^\//, '');
        res.redirect(303, `${base}../login?next=${encodeURIComponent(`console/${rest}`)}`);
      } else {
        sendHtml(
          res.set('WWW-Authenticate', 'Bearer realm="dozvon"'),
          401,
          plainPage('dozvon console', 'Sign in again: your session ended.'),
        );
      }
      return;
    }
    const lang = pickLang(req);
    if (typeof req.query.lang === 'string' && (lang === 'en' || lang === 'ru')) {
      res.append('Set-Cookie', `${LANG_COOKIE}=${lang}; Path=${langPath}; Max-Age=31536000; SameSite=Lax`);
    }
    const ctx: ConsoleContext = { lang, t: translator(lang, COMMON), base, csrf: auth.csrfToken(user), user, now: deps.now() };
    res.locals.console = ctx;
    if (req.method !== 'POST') return next();
    if (!fromOurOrigin(req, deps.config.publicUrl)) return refuse(res, ctx);
    const body = await readBody(req, res, BODY_LIMITS.consoleForm, (rs, e) => {
      sendHtml(rs, e.status, shell(ctx, { title: ctx.t('error.title'), section: 'home', body: notice(e.message, 'bad') }));
    });
    if (body === BODY_REFUSED) return;
    req.body = body ?? {};
    if (!auth.checkCsrf(user, (req.body as Record<string, unknown>)._csrf ?? req.get('x-csrf-token'))) return refuse(res, ctx);
    next();
  });

  for (const a of areas) r.use(a.path, a.router);

  r.use((_req: Request, res: Response) => {
    const ctx = res.locals.console as ConsoleContext;
    sendHtml(res, 404, shell(ctx, { title: ctx.t('error.notFound'), section: 'home', body: html`` }));
  });
  r.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A row removed between the page's check and the change (another tab, the CLI) is a 404, not a failure.
    const status = err instanceof AppError && err.code === 'not-found' ? 404 : (clientErrorStatus(err) ?? 500);
    if (status >= 500) deps.logger.error({ err: errorMessage(err), path: req.path }, 'console page failed');
    const ctx = res.locals.console as ConsoleContext | undefined;
    if (!ctx) {
      sendHtml(res, status, plainPage('dozvon console', 'Something went wrong.'));
      return;
    }
    sendHtml(
      res,
      status,
      shell(ctx, {
        title: ctx.t('error.title'),
        section: 'home',
        body: notice(ctx.t('error.server', { detail: errorMessage(err) }), 'bad'),
      }),
    );
  });
  return r;
}

function refuse(res: Response, ctx: ConsoleContext): void {
  sendHtml(res, 403, shell(ctx, { title: ctx.t('error.title'), section: 'home', body: notice(ctx.t('error.csrf'), 'bad') }));
}

function plainPage(title: string, text: string): Html {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body><main><h1>dozvon</h1><p>${text}</p></main></body></html>`;
}
