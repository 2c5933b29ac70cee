/**
 * GET …/test/:id/events: the test's steps as Server-Sent Events. Each new step as `step`, the
 * end as `done` (delivered, failed or cancelled). Call steps come from the progress bus as they
 * happen; the database is read every second for the row's state and for message attempts. A
 * comment every 15 s keeps proxies from closing a quiet stream; it stops when the client goes
 * away, and after five minutes with `timeout` (the page then falls back to reloading itself).
 */
import type { Request, Response } from '../../http/express';
import type { Notification } from '../../db/notifications-repo';
import { errorMessage } from '../../core/errors';
import type { ConsoleDeps } from '../deps';
import type { Words as Translate } from './texts';
import { isFinished, offset, outcomeText, stepsOf } from './progress';

export const STREAM_TIMING = { pollMs: 1_000, heartbeatMs: 15_000, maxMs: 5 * 60_000 };

export function streamProgress(
  deps: ConsoleDeps,
  req: Request,
  res: Response,
  t: Translate,
  first: Notification,
  timing = STREAM_TIMING,
): void {
  res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  // A reconnecting EventSource says what it has; the steps only grow, so resume after it.
  const last = Number(req.get('last-event-id'));
  let sent = Number.isInteger(last) && last >= 0 ? last + 1 : 0;
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  const write = (chunk: string) => {
    if (!closed) res.write(chunk);
  };

  const catchUp = async (): Promise<void> => {
    const n = (await deps.notifications.get(first.id)) ?? first;
    const attempts = (await deps.notifications.attemptsFor([n.id])).get(n.id) ?? [];
    const steps = stepsOf(t, n, deps.progress.events(n.id), attempts);
    for (; sent < steps.length; sent++) {
      const s = steps[sent];
      write(`id: ${sent}\nevent: step\ndata: ${JSON.stringify({ n: sent, text: s.text, tone: s.tone, time: offset(t, n, s.at) })}\n\n`);
    }
    if (isFinished(n)) {
      write(`event: done\ndata: ${JSON.stringify({ state: n.state, outcome: n.outcome, reason: n.reason, text: outcomeText(t, n) })}\n\n`);
      stop();
    }
  };
  // One read at a time; a wake-up during a read asks for one more after it.
  const refresh = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = catchUp()
      .catch((e: unknown) =>
        deps.logger.warn({ err: errorMessage(e), notification: first.id }, 'test progress stream: read failed; polling goes on'),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          refresh();
        }
      });
  };

  // server.close() waits for open connections: a stream must not hold up the app's shutdown.
  const server = (req.socket as { server?: { listening?: boolean } }).server;
  const unsubscribe = deps.progress.subscribe(first.id, refresh);
  const poll = setInterval(() => (server && server.listening === false ? stop() : refresh()), timing.pollMs);
  const beat = setInterval(() => write(': keep-alive\n\n'), timing.heartbeatMs);
  const limit = setTimeout(() => {
    write('event: timeout\ndata: {}\n\n');
    stop();
  }, timing.maxMs);
  function stop(): void {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(poll);
    clearInterval(beat);
    clearTimeout(limit);
    res.end();
  }
  res.on('close', stop);
  write(`retry: 2000\n\n`);
  refresh();
}
