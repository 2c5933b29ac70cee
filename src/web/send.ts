/** The one way a page leaves the server: an Html document, never a string that skipped the kit. */
import type { Response } from '../http/express';
import type { Html } from './html';

export function sendHtml(res: Response, status: number, page: Html): void {
  res.status(status).type('html').send(page.markup);
}
