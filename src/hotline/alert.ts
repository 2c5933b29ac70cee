/**
 * Raises an alert in OnCall through a formatted_webhook integration when a caller left a
 * message: POST JSON with a deadline per try and a few retries on temporary failures.
 */
import type { Clock } from '../core/clock';
import { AppError, errorMessage, isTemporary } from '../core/errors';
import type { Logger } from '../core/log';

/** The body OnCall's formatted_webhook integration reads. */
export interface HotlineAlert {
  alert_uid: string;
  title: string;
  message: string;
  state: 'alerting';
  link_to_upstream_details: string | null;
}

export interface HotlineAlerter {
  /** True when OnCall took it; never rejects. */
  send(alert: HotlineAlert, signal?: AbortSignal): Promise<boolean>;
}

export interface HttpHotlineAlerterOptions {
  url: string;
  clock: Clock;
  logger: Logger;
  /** Per try; default 5000. */
  timeoutMs?: number;
  /** Waits between tries; its length + 1 is the number of tries. Default 1 s, 5 s, 15 s. */
  backoffMs?: number[];
}

export class HttpHotlineAlerter implements HotlineAlerter {
  constructor(private readonly o: HttpHotlineAlerterOptions) {}

  async send(alert: HotlineAlert, signal?: AbortSignal): Promise<boolean> {
    const log = this.o.logger.child({ alertUid: alert.alert_uid });
    const backoff = this.o.backoffMs ?? [1000, 5000, 15_000];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.post(alert, signal);
        log.info({ attempt: attempt + 1 }, 'hotline alert sent to OnCall');
        return true;
      } catch (err) {
        const retry = isTemporary(err) && attempt < backoff.length && !signal?.aborted;
        log.warn({ attempt: attempt + 1, err: errorMessage(err), retry }, 'hotline alert to OnCall failed');
        if (!retry) return false;
        try {
          await this.o.clock.sleep(backoff[attempt], signal);
        } catch {
          return false;
        }
      }
    }
  }

  private async post(alert: HotlineAlert, outer?: AbortSignal): Promise<void> {
    const ctl = new AbortController();
    const timer = this.o.clock.setTimeout(() => ctl.abort(new Error('deadline')), this.o.timeoutMs ?? 5000);
    const signal = outer ? AbortSignal.any([outer, ctl.signal]) : ctl.signal;
    try {
      let res: Response;
      try {
        res = await fetch(this.o.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alert),
          signal,
        });
      } catch (err) {
        throw new AppError('hotline-alert-network', `POST failed: ${errorMessage(err)}`, { temporary: true, cause: err });
      }
      await res.arrayBuffer().catch((err: unknown) => this.o.logger.debug({ err: errorMessage(err) }, 'could not drain the OnCall reply'));
      if (!res.ok)
        throw new AppError('hotline-alert-status', `OnCall answered ${res.status}`, { temporary: res.status >= 500 || res.status === 429 });
    } finally {
      timer.cancel();
    }
  }
}
