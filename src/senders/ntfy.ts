/**
 * Push through ntfy (ntfy.sh or self-hosted). Publishes as JSON to the server root, which
 * keeps non-ASCII titles intact (HTTP headers would mangle them). The person's topic is
 * `contacts.ntfy` (or the configured key). The notification carries an "Acknowledge" action
 * that POSTs to the ack link (one tap, no page) and opens the ack page on click.
 */
import { AppError } from '../core/errors';
import type { Clock } from '../core/clock';
import { httpCall, pickId, statusError } from './http';
import type { NtfyConfig } from './config';
import type { OutboundMessage, Priority, Receipt, Recipient, Sender, SenderHealth } from './types';

const NTFY_PRIORITY: Record<Priority, number> = { low: 2, normal: 3, high: 4, urgent: 5 };
const NTFY_TAGS: Record<Priority, string[]> = { low: [], normal: ['bell'], high: ['warning'], urgent: ['rotating_light'] };
const TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

export class NtfySender implements Sender {
  readonly kind = 'push' as const;
  private readonly base: string;

  constructor(
    readonly name: string,
    private readonly cfg: NtfyConfig,
    private readonly clock: Clock,
  ) {
    this.base = cfg.url.replace(/\/+$/, '');
  }

  accepts(to: Recipient): boolean {
    return Boolean(to.contacts[this.cfg.contact]);
  }

  async send(msg: OutboundMessage, signal?: AbortSignal): Promise<Receipt> {
    const topic = msg.to.contacts[this.cfg.contact];
    if (!topic)
      throw new AppError('sender-no-address', `${this.name}: no contacts.${this.cfg.contact} for this person`, { temporary: false });
    if (!TOPIC.test(topic))
      throw new AppError('sender-bad-address', `${this.name}: contacts.${this.cfg.contact} is not a valid ntfy topic`, {
        temporary: false,
      });
    const body = JSON.stringify(publishBody(topic, msg));
    const ans = await httpCall({
      sender: this.name,
      url: this.base + '/',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...this.auth() },
      body,
      timeoutMs: this.cfg.timeout_ms,
      signal,
    });
    if (ans.status < 200 || ans.status >= 300) throw statusError(this.name, ans.status, ans.text, ntfyError(ans.json));
    return { sender: this.name, kind: 'push', id: pickId(ans.json), parts: 1, at: this.clock.now() };
  }

  async health(signal?: AbortSignal): Promise<SenderHealth> {
    try {
      const ans = await httpCall({
        sender: this.name,
        url: this.base + '/v1/health',
        method: 'GET',
        headers: this.auth(),
        timeoutMs: this.cfg.timeout_ms,
        signal,
      });
      const healthy = (ans.json as { healthy?: unknown } | null)?.healthy;
      if (ans.status === 200 && healthy === true) return { ok: true, detail: 'healthy' };
      return { ok: false, detail: `HTTP ${ans.status}${healthy === false ? ', reports unhealthy' : ''}` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  private auth(): Record<string, string> {
    if (this.cfg.token) return { Authorization: `Bearer ${this.cfg.token}` };
    if (this.cfg.username) return { Authorization: 'Basic ' + Buffer.from(`${this.cfg.username}:${this.cfg.password}`).toString('base64') };
    return {};
  }
}

/** ntfy's JSON publish format (https://docs.ntfy.sh/publish/#publish-as-json). */
export function publishBody(topic: string, msg: OutboundMessage): Record<string, unknown> {
  const body: Record<string, unknown> = {
    topic,
    message: msg.text,
    priority: NTFY_PRIORITY[msg.priority],
    tags: NTFY_TAGS[msg.priority],
  };
  if (msg.title) body.title = msg.title;
  if (msg.ackUrl) {
    body.click = msg.ackUrl;
    body.actions = [
      // The ack page acknowledges on POST only; the token is in the URL path.
      {
        action: 'http',
        label: 'Acknowledge',
        url: msg.ackUrl,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'confirm=1',
        clear: true,
      },
      { action: 'view', label: 'Open', url: msg.ackUrl },
    ];
  }
  return body;
}

function ntfyError(json: unknown): string | undefined {
  const e = json as { error?: unknown; code?: unknown } | null;
  return typeof e?.error === 'string' ? e.error : undefined;
}
