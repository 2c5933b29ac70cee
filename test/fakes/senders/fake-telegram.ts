/**
 * A fake Telegram Bot API: `POST /bot<token>/sendMessage` and `getMe`, answering in Telegram's
 * `{ok, result}` / `{ok:false, error_code, description}` shape. Chats listed in `blocked`
 * answer 403 as when a person blocked the bot.
 */
import { HttpFake, RecordedRequest, Scripted } from './http-fake';

export interface TelegramMessage {
  message_id: number;
  chat_id: string;
  text: string;
  reply_markup?: { inline_keyboard?: Array<Array<{ text: string; url?: string; callback_data?: string }>> };
  disable_notification?: boolean;
}

export class FakeTelegram extends HttpFake {
  readonly messages: TelegramMessage[] = [];
  readonly blocked = new Set<string>();
  private seq = 100;

  constructor(readonly token: string) {
    super((req) => this.answer(req));
  }

  static async start(token = '123456:AAE-test-token-abcdefghijk'): Promise<FakeTelegram> {
    return new FakeTelegram(token).start();
  }

  /** The api_url a sender should use. */
  get apiUrl(): string {
    return this.url;
  }

  private answer(req: RecordedRequest): Scripted {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
    if (!m) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    if (m[1] !== this.token) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    if (m[2] === 'getMe') return { status: 200, body: { ok: true, result: { id: 123456, is_bot: true, username: 'dozvon_test_bot' } } };
    if (m[2] !== 'sendMessage') return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    const body = (req.json ?? {}) as Record<string, unknown>;
    const chat = String(body.chat_id ?? '');
    if (!chat || typeof body.text !== 'string' || !body.text)
      return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } };
    if (this.blocked.has(chat))
      return { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } };
    const msg: TelegramMessage = {
      message_id: ++this.seq,
      chat_id: chat,
      text: body.text,
      reply_markup: body.reply_markup as TelegramMessage['reply_markup'],
      disable_notification: body.disable_notification as boolean | undefined,
    };
    this.messages.push(msg);
    return { status: 200, body: { ok: true, result: { message_id: msg.message_id, chat: { id: Number(chat) }, text: msg.text } } };
  }
}
