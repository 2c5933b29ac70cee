/**
 * The console as its user meets it: the whole app (startApp) on loopback with a temp SQLite file,
 * an HTTP client that signs in like a browser (session cookie + CSRF field) and a Chromium helper
 * that signs in through the real login form and checks the layout at desktop and phone widths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { startApp, RunningApp, ADMIN_TOKEN } from '../../helpers/app';
import type { AppOverrides } from '../../../src/app';
import type { Page } from '../status/browser';

export { ADMIN_TOKEN };
export type { RunningApp };

export async function startConsoleApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningApp> {
  return startApp(env, overrides);
}

/** A signed-in browser-like client: keeps the session cookie and sends the page's CSRF field with forms. */
export class ConsoleClient {
  private cookie = '';

  private constructor(readonly url: string) {}

  static async signIn(url: string, token = ADMIN_TOKEN): Promise<ConsoleClient> {
    const c = new ConsoleClient(url);
    const res = await fetch(`${url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token }),
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status, 'sign-in').to.equal(303);
    c.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    return c;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      headers: { cookie: this.cookie, ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
  }

  async html(path: string): Promise<string> {
    const res = await this.get(path);
    expect(res.status, `GET ${path}`).to.equal(200);
    const page = await res.text();
    // Markup that went through the escaper twice, or an Html value dropped into a plain string.
    const twice = /&lt;\/?(td|li|span|bdi|strong|small|time|div|dt|dd)(&gt;| class=&quot;)/.exec(page);
    expect(
      twice === null,
      `GET ${path}: markup escaped twice: …${twice ? page.slice(Math.max(0, twice.index - 80), twice.index + 80) : ''}…`,
    ).to.equal(true);
    expect(page, `GET ${path}: an Html value outside the kit`).to.not.include('[object Object]');
    return page;
  }

  /** The CSRF field of the page at `path` (every console page carries it in its forms). */
  async csrf(path = '/console/'): Promise<string> {
    const m = /name="_csrf" value="([^"]+)"/.exec(await this.html(path));
    if (!m) throw new Error(`no CSRF field on ${path}`);
    return m[1];
  }

  /** POSTs a form as the browser would (with the CSRF field unless `csrf: null`). */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    opts: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    const token = opts.csrf === undefined ? await this.csrf() : opts.csrf;
    if (token !== null) body.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return fetch(`${this.url}${path}`, {
      method: 'POST',
      body,
      headers: { cookie: this.cookie, ...(opts.headers ?? {}) },
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
  }
}

/** Signs in through the real login page, starting from a console URL (so `next` is exercised too). */
export async function signInWithBrowser(page: Page, url: string, path = '/console/'): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.fill('#token', ADMIN_TOKEN);
  await Promise.all([page.waitForURL(/\/console\//), page.click('button[type=submit]')]);
}

export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'console');

/**
 * Screenshots at 1280 and 390 px wide, saved under test-output/console/, and checked: nothing wider
 * than the window (no sideways scrolling of the page; wide tables scroll inside their own box),
 * the heading visible, and every form control with an accessible name.
 */
export async function checkLayouts(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow, `${name} at ${width} px: page wider than the window by ${overflow} px`).to.be.at.most(0);
    expect(await page.locator('main h1').first().isVisible(), `${name} at ${width} px: heading visible`).to.equal(true);
    const unnamed = (await page.evaluate(UNNAMED_CONTROLS)) as string[];
    expect(unnamed, `${name} at ${width} px: controls without a label`).to.deep.equal([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Runs in the page: form controls a screen reader could not name. */
const UNNAMED_CONTROLS = `Array.from(document.querySelectorAll('input:not([type=hidden]),select,textarea,button')).filter(function (e) {
  var labelled = (e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.getAttribute('title');
  var text = e.tagName === 'BUTTON' && (e.textContent || '').trim() !== '';
  return !labelled && !text;
}).map(function (e) { return e.outerHTML.slice(0, 120); })`;
