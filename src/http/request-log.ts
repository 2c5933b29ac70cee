/**
 * One JSON line per request. Paths can carry secrets (heartbeat link tokens, ack links), so
 * the logged path has every long opaque segment masked and emails masked.
 */
import type { RequestHandler } from './express';
import type { Logger } from '../core/log';
import { maskEmail } from '../core/mask';

export function maskPath(path: string): string {
  return path
    .split('/')
    .map((seg) => {
      const s = safeDecode(seg);
      if (s.includes('@')) return maskEmail(s);
      if (/^[A-Za-z0-9_-]{20,}$/.test(s)) return `${s.slice(0, 3)}…`;
      return seg;
    })
    .join('/');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path: maskPath(req.path), status: res.statusCode, ms: Math.round(ms * 100) / 100 };
      if (res.statusCode >= 500) logger.error(line, 'request failed');
      else logger.debug(line, 'request');
    });
    next();
  };
}
