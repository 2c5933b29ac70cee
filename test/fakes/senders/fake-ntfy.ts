/**
 * A fake ntfy server: publishing by POST/PUT to `/<topic>` with Title/Priority/Tags/Actions
 * headers, or JSON to `/`; `GET /v1/health`. Optional access token, as a protected topic.
 */
import { HttpFake, RecordedRequest, Scripted } from './http-fake';

export interface NtfyMessage {
  id: string;
  topic: string;
  message: string;
  title?: string;
  priority: number;
  tags: string[];
  click?: string;
  actions: Array<Record<string, unknown>>;
}

const PRIORITY_NAMES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5 };

export class FakeNtfy extends HttpFake {
  readonly messages: NtfyMessage[] = [];
  healthy = true;
  private seq = 0;

  constructor(private readonly token?: string) {
    super((req) => this.answer(req));
  }

  static async start(opts: { token?: string } = {}): Promise<FakeNtfy> {
    return new FakeNtfy(opts.token).start();
  }

  private answer(req: RecordedRequest): Scripted {
    if (req.method === 'GET' && req.path === '/v1/health') return { status: 200, body: { healthy: this.healthy } };
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`)
      return { status: 403, body: { code: 40301, http: 403, error: 'forbidden' } };
    if (req.method !== 'POST' && req.method !== 'PUT') return { status: 404, body: { code: 40401, http: 404, error: 'page not found' } };
    const m = req.path === '/' ? this.fromJson(req) : this.fromHeaders(req);
    if (!m || !/^[-_A-Za-z0-9]{1,64}$/.test(m.topic))
      return { status: 400, body: { code: 40009, http: 400, error: 'invalid request: topic invalid' } };
    this.messages.push(m);
    return { status: 200, body: { id: m.id, time: 0, event: 'message', topic: m.topic, message: m.message } };
  }

  private fromJson(req: RecordedRequest): NtfyMessage | null {
    const j = req.json as Record<string, unknown> | null;
    if (!j || typeof j.topic !== 'string') return null;
    return {
      id: `nt${++this.seq}`,
      topic: j.topic,
      message: String(j.message ?? ''),
      title: typeof j.title === 'string' ? j.title : undefined,
      priority: typeof j.priority === 'number' ? j.priority : 3,
      tags: Array.isArray(j.tags) ? j.tags.map(String) : [],
      click: typeof j.click === 'string' ? j.click : undefined,
      actions: Array.isArray(j.actions) ? (j.actions as Array<Record<string, unknown>>) : [],
    };
  }

  private fromHeaders(req: RecordedRequest): NtfyMessage {
    const h = (k: string) => {
      const v = req.headers[k];
      return Array.isArray(v) ? v[0] : v;
    };
    const p = h('priority') ?? h('x-priority') ?? '3';
    const actions = (h('actions') ?? '')
      .split(';')
      .filter((s) => s.trim())
      .map((s) => {
        const [action, label, url, ...rest] = s.split(',').map((x) => x.trim());
        return {
          action,
          label,
          url,
          ...Object.fromEntries(rest.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
        };
      });
    return {
      id: `nt${++this.seq}`,
      topic: req.path.slice(1),
      message: req.body,
      title: h('title') ?? h('x-title'),
      priority: PRIORITY_NAMES[p] ?? Number(p),
      tags: (h('tags') ?? '').split(',').filter(Boolean),
      click: h('click'),
      actions,
    };
  }
}
