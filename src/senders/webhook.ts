/**
 * A generic HTTP webhook: the operator writes method, URL, headers and body with
 * `{{placeholders}}`; this fits Kannel's sendsms, most SMS gateways' HTTP APIs and push
 * relays. HttpSmsSender and HttpPushSender differ only in whom they address.
 */
import { AppError } from '../core/errors';
import type { Clock } from '../core/clock';
import { httpCall, pickId, snippet, statusError } from './http';
import { Escaping, render, renderDeep, templateValues } from './template';
import type { HttpSmsConfig } from './config';
import type { OutboundMessage, Receipt, Recipient, Sender, SenderHealth, SenderKind } from './types';

export type WebhookConfig = HttpSmsConfig;

export abstract class WebhookSender implements Sender {
  abstract readonly kind: SenderKind;
  private readonly failMatch: RegExp | null;

  constructor(
    readonly name: string,
    protected readonly cfg: WebhookConfig,
    protected readonly clock: Clock,
  ) {
    this.failMatch = cfg.fail_match ? new RegExp(cfg.fail_match) : null;
  }

  /** The address the template's {{to}} becomes, or null when the person has none. */
  protected abstract address(to: Recipient): string | null;

  accepts(to: Recipient): boolean {
    return this.address(to) !== null;
  }

  async send(msg: OutboundMessage, signal?: AbortSignal): Promise<Receipt> {
    const to = this.address(msg.to);
    if (to === null) throw new AppError('sender-no-address', `${this.name}: no address for this person`, { temporary: false });
    const values = templateValues(msg, to);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.cfg.headers)) headers[k] = render(v, values, 'header');
    let body: string | undefined;
    if (this.cfg.body !== undefined) {
      body = this.renderBody(values);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = this.cfg.content_type;
    }
    const ans = await httpCall({
      sender: this.name,
      url: render(this.cfg.url, values, 'url'),
      method: this.cfg.method,
      headers,
      body,
      timeoutMs: this.cfg.timeout_ms,
      signal,
    });
    if (ans.status < 200 || ans.status >= 300) throw statusError(this.name, ans.status, ans.text);
    if (this.failMatch && this.failMatch.test(ans.text)) {
      throw new AppError('sender-rejected', `${this.name}: the gateway answered with an error: ${snippet(ans.text)}`, { temporary: false });
    }
    return { sender: this.name, kind: this.kind, id: pickId(ans.json), parts: 1, at: this.clock.now() };
  }

  async health(signal?: AbortSignal): Promise<SenderHealth> {
    if (!this.cfg.health_url) return { ok: true, state: 'unchecked', detail: 'not checked (no health_url)' };
    try {
      const ans = await httpCall({ sender: this.name, url: this.cfg.health_url, method: 'GET', timeoutMs: this.cfg.timeout_ms, signal });
      if (ans.status >= 200 && ans.status < 300) return { ok: true, detail: `HTTP ${ans.status}` };
      return { ok: false, detail: `HTTP ${ans.status}` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  private renderBody(values: ReturnType<typeof templateValues>): string {
    const body = this.cfg.body;
    const ct = this.cfg.content_type.toLowerCase();
    if (typeof body === 'string') return render(body, values, escapingFor(ct));
    const rendered = renderDeep(body, values) as Record<string, unknown>;
    if (ct.includes('x-www-form-urlencoded')) {
      return new URLSearchParams(
        Object.entries(rendered).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ).toString();
    }
    return JSON.stringify(rendered);
  }
}

function escapingFor(contentType: string): Escaping {
  if (contentType.includes('json')) return 'json';
  if (contentType.includes('x-www-form-urlencoded')) return 'form';
  return 'none';
}
