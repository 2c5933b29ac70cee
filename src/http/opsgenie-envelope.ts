/**
 * Opsgenie's answer shape, shared by the heartbeat and alert APIs: every body carries `took`
 * (seconds) and `requestId`, echoed in `X-Request-Id`; a refused key is 401, and an address
 * locked out for wrong keys gets the throttling answer the SDKs read before retrying.
 */
import { randomUUID } from 'node:crypto';
import type { Response } from './express';
import type { z } from '../core/validate';
import { SECRET_FAILURE_WINDOW_MS, type SecretVerdict } from './secret-limits';

interface Ctx {
  requestId: string;
  started: bigint;
}

/** Starts the clock for `took` and picks the request id (once per request). */
export function opsgenieStart(res: Response, requestId: string = randomUUID()): string {
  const c = res.locals.opsgenie as Ctx | undefined;
  if (c) return c.requestId;
  res.locals.opsgenie = { requestId, started: process.hrtime.bigint() } satisfies Ctx;
  return requestId;
}

export function opsgenieSend(res: Response, status: number, body: Record<string, unknown>): void {
  opsgenieStart(res);
  const c = res.locals.opsgenie as Ctx;
  const took = Number(process.hrtime.bigint() - c.started) / 1e9;
  res
    .status(status)
    .set('X-Request-Id', c.requestId)
    .json({ ...body, took: Math.round(took * 1000) / 1000, requestId: c.requestId });
}

/** The answer to a request whose key was refused (`verdict.ok` is false). */
export function opsgenieRefuse(res: Response, verdict: Extract<SecretVerdict, { ok: false }>): void {
  if (verdict.retryAfterS !== null) {
    res.set({
      'Retry-After': String(verdict.retryAfterS),
      'X-RateLimit-State': 'THROTTLED',
      'X-RateLimit-Period-In-Sec': String(SECRET_FAILURE_WINDOW_MS / 1000),
    });
    return opsgenieSend(res, 429, {
      message: `Too many requests with a wrong API key from this address; try again in ${verdict.retryAfterS} seconds.`,
    });
  }
  res.set('X-Opsgenie-Errortype', 'AuthenticationException');
  opsgenieSend(res, 401, { message: 'Could not authenticate' });
}

/** 422 naming each field that is wrong, as Opsgenie's `errors` map. */
export function opsgenieInvalid(res: Response, err: z.ZodError): void {
  const errors: Record<string, string> = {};
  for (const i of err.issues) errors[i.path.join('.') || 'body'] = i.message;
  opsgenieSend(res, 422, {
    message: `Request body is not processable. ${Object.entries(errors)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ')}`,
    errors,
  });
}
