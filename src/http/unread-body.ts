/**
 * An answer sent before its request's body has arrived (a 401, 403, 404 or 429 refuses it unread)
 * closes the connection. Kept open, Node reads and discards the rest of the body first so the
 * connection can serve a next request: a refused request declaring gigabytes kept the server busy
 * reading them, and every other request slowed. With `Connection: close` Node ends the socket
 * once the answer is out instead.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Response } from './express';

export const closeUnreadBodies: RequestHandler = (req, res, next) => {
  if (hasBody(req)) {
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      // `complete`: the whole body has been received, read or not; then nothing is left to drain.
      if (!req.complete) this.setHeader('Connection', 'close');
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
  }
  next();
};

/** As type-is decides it: a body is announced by Transfer-Encoding or a Content-Length above zero. */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
