/** The only file that imports express; routers take Router and the types from here. */
import express from 'express';

export { express };
export const Router = express.Router;
export type { Request, Response, NextFunction, RequestHandler, ErrorRequestHandler, Express } from 'express';
export type RouterT = express.Router;
