/**
 * Headers for pages whose URL carries a token (ack and verification links): keep the token out of
 * referrers, caches and search engines, and let the page do nothing but post its own form.
 */
import type { RequestHandler } from '../http/express';

const TOKEN_PAGE_HEADERS = Object.freeze({
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
});

export const tokenPageHeaders: RequestHandler = (_req, res, next) => {
  res.set(TOKEN_PAGE_HEADERS);
  next();
};
