/** The only file that imports express; routers take Router and the types from here. */
import type { IncomingMessage } from 'node:http';
import express from 'express';

export { express };
export const Router = express.Router;
export type { Request, Response, NextFunction, RequestHandler, ErrorRequestHandler, Express } from 'express';
export type RouterT = express.Router;

/**
 * Express's own content-type test (`req.is`, which reads nothing but the headers) for a request
 * Express has not seen: the routes served ahead of Express (direct.ts) decide as Express does.
 */
export function requestIs(req: IncomingMessage, types: string[]): string | false | null {
  return (express.request.is as (this: IncomingMessage, t: string[]) => string | false | null).call(req, types);
}
