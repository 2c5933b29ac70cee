/**
 * Compile-time proof that HTML is a type. tsc checks test/ too, and a `@ts-expect-error` line that
 * compiles is itself an error: if a plain string could ever stand in for Html again, tsc fails here.
 */
import { html, unsafeRawHtml, Html } from '../../../src/web/html';
import { table } from '../../../src/status/html';
import { dataTable, notice } from '../../../src/console/ui';
import { shell } from '../../../src/console/layout';
import type { ConsoleContext } from '../../../src/console/context';

// @ts-expect-error a string is not Html
export const raw: Html = 'raw <b>markup</b>';

// @ts-expect-error an object shaped like Html is not Html
export const forged: Html = { markup: '<script></script>' };

// @ts-expect-error nothing outside the kit can construct one
export const built = new Html('<script></script>');

// @ts-expect-error table rows are Html, not "already-escaped" strings
export const statusRows = table('t', ['h'], ['<td>x</td>'], '');

// @ts-expect-error console table cells are Html too
export const consoleRows = dataTable(['h'], [['<b>x</b>']], '');

export function page(ctx: ConsoleContext): Html {
  // @ts-expect-error a page body is Html
  shell(ctx, { title: 't', section: 'home', body: '<p>x</p>' });
  return shell(ctx, { title: 't', section: 'home', body: html`<p>${'x'}</p>${notice('ok')}${unsafeRawHtml('<hr>')}` });
}
