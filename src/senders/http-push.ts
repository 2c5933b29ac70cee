/**
 * Push through a generic HTTP webhook (a chat webhook, an in-house relay). With `contact` set,
 * {{to}} is the person's address under that key and people without one are skipped; without
 * it, everyone is addressed by email (a shared channel that mentions the person).
 */
import type { Clock } from '../core/clock';
import type { HttpPushConfig } from './config';
import type { Recipient } from './types';
import { WebhookSender } from './webhook';

export class HttpPushSender extends WebhookSender {
  readonly kind = 'push' as const;
  private readonly contact: string | undefined;

  constructor(name: string, cfg: HttpPushConfig, clock: Clock) {
    super(name, cfg, clock);
    this.contact = cfg.contact;
  }

  protected address(to: Recipient): string | null {
    if (!this.contact) return to.email;
    return to.contacts[this.contact] || null;
  }
}
