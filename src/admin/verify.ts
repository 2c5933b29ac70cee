/**
 * POST /api/admin/users/<email>/verify: send a verification code by SMS or call (the running
 * server owns the ARI connection), optionally waiting for the call's outcome.
 */
import { Router, RouterT } from '../http/express';
import { z, describeIssues } from '../core/validate';
import { AppError, NotFoundError, ValidationError, errorMessage } from '../core/errors';
import type { PhoneVerifier } from '../verify';
import { apiActor } from './users';

const body = z
  .object({
    method: z.enum(['sms', 'call']).optional(),
    wait: z.boolean().optional(),
    /** Which of the person's phones (each is verified on its own); the first when absent. */
    phone: z.string().max(40).optional(),
    code: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
  })
  .strict();

export function adminVerifyRouter(verifier: () => PhoneVerifier | null): RouterT {
  const r = Router({ strict: false });
  r.post('/users/:email/verify', async (req, res) => {
    const parsed = body.safeParse(req.body ?? {});
    if (!parsed.success) return void res.status(400).json({ error: 'invalid', detail: describeIssues(parsed.error) });
    const v = verifier();
    if (!v) return void res.status(503).json({ error: 'not-ready', detail: 'the server is still starting' });
    const email = String(req.params.email);
    try {
      if (parsed.data.code) {
        const c = await v.confirm(apiActor(req), email, parsed.data.code);
        return void res.status(c.status === 'ok' ? 200 : 422).json({ status: c.status, attempts_left: c.attemptsLeft });
      }
      const started = await v.start(apiActor(req), email, { method: parsed.data.method, phone: parsed.data.phone });
      const call = parsed.data.wait && started.call ? await started.call : undefined;
      res.status(200).json({
        method: started.method,
        expires_at: new Date(started.expiresAt).toISOString(),
        link: started.link ?? null,
        outcome: call?.outcome ?? null,
      });
    } catch (e) {
      if (e instanceof NotFoundError) return void res.status(404).json({ error: 'not-found', detail: e.message });
      if (e instanceof AppError && e.code === 'verify-too-soon') {
        const retryAt = Number((e.details as { retryAt?: number } | undefined)?.retryAt ?? Date.now() + 60_000);
        res.set('Retry-After', String(Math.max(1, Math.ceil((retryAt - Date.now()) / 1000))));
        return void res.status(429).json({ error: e.code, detail: e.message });
      }
      if (e instanceof ValidationError) return void res.status(400).json({ error: 'invalid', detail: e.message });
      if (
        e instanceof AppError &&
        ['verify-no-phone', 'verify-not-their-phone', 'verify-no-sms-sender', 'verify-no-telephony'].includes(e.code)
      )
        return void res.status(409).json({ error: e.code, detail: e.message });
      if (e instanceof AppError && e.code === 'verify-sms-failed')
        return void res.status(e.temporary ? 503 : 502).json({ error: e.code, detail: e.message });
      res.status(500).json({ error: 'failed', detail: errorMessage(e) });
    }
  });
  return r;
}
