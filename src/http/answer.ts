/**
 * A JSON answer, as the handlers shared by Express routes and the direct routes (direct.ts) give
 * it: Express's Response has these three methods, and DirectAnswer writes the same bytes and
 * headers straight to Node's response (Express here sends no ETag and no X-Powered-By).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasBody } from './unread-body';

export interface JsonAnswer {
  status(code: number): JsonAnswer;
  set(field: string, value: string): JsonAnswer;
  json(body: unknown): unknown;
}

export class DirectAnswer implements JsonAnswer {
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  status(code: number): this {
    this.res.statusCode = code;
    return this;
  }

  set(field: string, value: string): this {
    this.res.setHeader(field, value);
    return this;
  }

  json(body: unknown): void {
    const text = JSON.stringify(body);
    // As closeUnreadBodies does for Express: an answer sent before the body has all arrived closes
    // the connection, or Node would read and discard the rest to keep it.
    if (hasBody(this.req) && !this.req.complete) this.res.setHeader('Connection', 'close');
    this.res.setHeader('Content-Type', 'application/json; charset=utf-8');
    this.res.setHeader('Content-Length', Buffer.byteLength(text));
    this.res.end(text);
  }
}
