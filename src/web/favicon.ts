/** dozvon's icon: a small SVG, served from our own origin so browsers stop asking /favicon.ico in vain. */
import type { Response } from '../http/express';

export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#101828"/>' +
  '<path d="M11 7c1-1 2.6-1 3.4.2l1.8 2.8c.6 1 .4 2.2-.4 3l-1.4 1.3a12 12 0 0 0 4.3 4.3l1.3-1.4c.8-.8 2-1 3-.4l2.8 1.8c1.2.8 1.2 2.4.2 3.4l-1.6 1.6c-1.6 1.6-4.2 1.8-6.2.6A26 26 0 0 1 8.8 14.8c-1.2-2-1-4.6.6-6.2z" fill="#fff"/></svg>';

export function sendFavicon(res: Response): void {
  // A day: the icon changes with releases at most, and every page would otherwise fetch it again.
  res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=86400' }).type('image/svg+xml').send(FAVICON_SVG);
}
