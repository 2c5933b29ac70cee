/**
 * Push as a Telegram bot message with an inline "Acknowledge" URL button that opens the ack
 * page. The chat id is `contacts.telegram`. The bot token is part of every API URL, so URLs are
 * never logged (http.ts keeps them out of error messages). Telegram refuses URL buttons that
 * point at localhost or a bare IP; DOZVON_PUBLIC_URL must be a real host name for the button.
 */
import { AppError } from '../core/errors';
import type { Clock } from '../core/clock';
import { httpCall, statusError } from './http';
import type { TelegramConfig } from './config';
import type { OutboundMessage, Receipt, Recipient, Sender, SenderHealth } from './types';

const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;
const MAX_TEXT = 4096;

interface TgAnswer {
  ok?: boolean;
  description?: string;
  error_code?: number;
  result?: { message_id?: number; username?: string };
  parameters?: { retry_after?: number };
}

export class TelegramSender implements Sender {
  readonly kind = 'push' as const;
  private readonly base: string;

  constructor(
    readonly name: string,
    private readonly cfg: TelegramConfig,
    private readonly clock: Clock,
  ) {
    this.base = `${cfg.api_url.replace(/\/+$/, '')}/bot${cfg.bot_token}`;
  }

  accepts(to: Recipient): boolean {
    return Boolean(to.contacts[this.cfg.contact]);
  }

  async send(msg: OutboundMessage, signal?: AbortSignal): Promise<Receipt> {
    const chatId = msg.to.contacts[this.cfg.contact];
    if (!chatId)
      throw new AppError('sender-no-address', `${this.name}: no contacts.${this.cfg.contact} for this person`, { temporary: false });
    if (!CHAT_ID.test(chatId))
      throw new AppError('sender-bad-address', `${this.name}: contacts.${this.cfg.contact} is not a chat id`, { temporary: false });
    const ans = await this.call('sendMessage', messageBody(chatId, msg), signal);
    return {
      sender: this.name,
      kind: 'push',
      id: ans.result?.message_id !== undefined ? String(ans.result.message_id) : null,
      parts: 1,
      at: this.clock.now(),
    };
  }

  async health(signal?: AbortSignal): Promise<SenderHealth> {
    try {
      const ans = await this.call('getMe', {}, signal);
      return { ok: true, detail: `bot @${ans.result?.username ?? '?'}` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  private async call(method: string, payload: object, signal?: AbortSignal): Promise<TgAnswer> {
    const ans = await httpCall({
      sender: this.name,
      url: `${this.base}/${method}`,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      timeoutMs: this.cfg.timeout_ms,
      signal,
    });
    const tg = (ans.json ?? {}) as TgAnswer;
    if (ans.status >= 200 && ans.status < 300 && tg.ok === true) return tg;
    const status = ans.status >= 200 && ans.status < 300 ? 502 : ans.status;
    const retry = tg.parameters?.retry_after !== undefined ? ` (retry after ${tg.parameters.retry_after} s)` : '';
    throw statusError(this.name, status, ans.text, tg.description ? tg.description + retry : undefined);
  }
}

export function messageBody(chatId: string, msg: OutboundMessage): Record<string, unknown> {
  const head = msg.title ? `${msg.title}\n\n` : '';
  const text = (head + msg.text).slice(0, MAX_TEXT);
  const body: Record<string, unknown> = {
    chat_id: chatId,
    text,
    disable_notification: msg.priority === 'low',
    link_preview_options: { is_disabled: true },
  };
  if (msg.ackUrl) body.reply_markup = { inline_keyboard: [[{ text: 'Acknowledge', url: msg.ackUrl }]] };
  return body;
}
