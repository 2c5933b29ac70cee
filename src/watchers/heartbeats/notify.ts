/**
 * Who hears about a dead heartbeat. The Pager reaches people directly over dozvon's own
 * voice/SMS/push (OnCall may be what died); the alerter also raises an alert in OnCall
 * through a formatted_webhook integration, best effort and never in the pager's way.
 */
import type { Clock } from '../../core/clock';
import { AppError, errorMessage, isTemporary } from '../../core/errors';
import type { Logger } from '../../core/log';
import type { Heartbeat } from './model';

export interface PageRequest {
  emails: string[];
  title: string;
  text: string;
  heartbeat: Heartbeat;
  event: 'down' | 'recovered';
}

/** Implemented by the lead over dozvon's own channels. */
export interface Pager {
  page(req: PageRequest): Promise<void>;
}

/** The body OnCall's formatted_webhook integration reads (same alert_uid resolves the group). */
export interface OnCallAlert {
  alert_uid: string;
  title: string;
  message: string;
  state: 'alerting' | 'ok';
}

export interface HeartbeatAlerter {
  /** Resolves when delivered or given up; never rejects. */
  send(alert: OnCallAlert): Promise<void>;
  close(): void;
}

export interface HttpOnCallAlerterOptions {
  url: string;
  clock: Clock;
  logger: Logger;
  timeoutMs?: number;
  /** Waits between attempts; its length + 1 is the number of attempts. */
  backoffMs?: number[];
}

export class HttpOnCallAlerter implements HeartbeatAlerter {
  private readonly stop = new AbortController();
  private readonly timeoutMs: number;
  private readonly backoffMs: number[];

  constructor(private readonly opts: HttpOnCallAlerterOptions) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.backoffMs = opts.backoffMs ?? [2000, 10_000, 30_000];
  }

  async send(alert: OnCallAlert): Promise<void> {
    const log = this.opts.logger.child({ alertUid: alert.alert_uid, state: alert.state });
    for (let attempt = 0; ; attempt++) {
      try {
        await this.post(alert);
        log.info({ attempt: attempt + 1 }, 'heartbeat alert sent to OnCall');
        return;
      } catch (e) {
        const retry = isTemporary(e) && attempt < this.backoffMs.length && !this.stop.signal.aborted;
        log.warn({ attempt: attempt + 1, err: errorMessage(e), retry }, 'heartbeat alert to OnCall failed');
        if (!retry) return;
        try {
          await this.opts.clock.sleep(this.backoffMs[attempt], this.stop.signal);
        } catch {
          log.warn('heartbeat alert to OnCall abandoned: shutting down');
          return;
        }
      }
    }
  }

  close(): void {
    this.stop.abort(new AppError('stopped', 'alerter closed'));
  }

  private async post(alert: OnCallAlert): Promise<void> {
    const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.timeoutMs)]);
    let res: Response;
    try {
      res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alert),
        signal,
        redirect: 'follow',
      });
    } catch (e) {
      throw new AppError('oncall-alert-network', `POST failed: ${errorMessage(e)}`, { temporary: true, cause: e });
    }
    await res.arrayBuffer().catch((e: unknown) => this.opts.logger.debug({ err: errorMessage(e) }, 'could not drain OnCall reply'));
    if (res.ok) return;
    throw new AppError('oncall-alert-status', `OnCall answered ${res.status}`, { temporary: res.status >= 500 || res.status === 429 });
  }
}
