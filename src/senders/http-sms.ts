/** SMS through an HTTP gateway (Kannel sendsms, a provider's REST API): {{to}} is the phone number. */
import type { Clock } from '../core/clock';
import type { HttpSmsConfig } from './config';
import type { Recipient } from './types';
import { WebhookSender } from './webhook';

export class HttpSmsSender extends WebhookSender {
  readonly kind = 'sms' as const;

  constructor(name: string, cfg: HttpSmsConfig, clock: Clock) {
    super(name, cfg, clock);
  }

  protected address(to: Recipient): string | null {
    return to.phone ? to.phone : null;
  }
}
