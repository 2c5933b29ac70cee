/** A reader of text/event-stream responses (the console's live test-call progress). */
import http from 'node:http';

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * An event stream on its own socket (node:http, no pool): closing it is certain, so the app's
 * shutdown never waits for a connection a pooled client kept open in the background.
 */
export class EventStream {
  readonly events: SseEvent[] = [];
  private buf = '';
  private waiters: (() => void)[] = [];
  private ended = false;
  status = 0;
  contentType = '';

  private constructor(private readonly req: http.ClientRequest) {}

  /** `headers` carry the credentials (a session cookie or a bearer token) and any Last-Event-ID. */
  static open(url: string, headers: Record<string, string>): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } });
      const s = new EventStream(req);
      req.on('response', (res) => {
        s.status = res.statusCode ?? 0;
        s.contentType = String(res.headers['content-type'] ?? '');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => s.feed(chunk));
        res.on('end', () => s.finish());
        res.on('error', () => s.finish());
        resolve(s);
      });
      req.on('error', reject);
    });
  }

  /** Waits until an event satisfies `stop` (or the stream ends); returns every event so far. */
  async until(stop: (e: SseEvent) => boolean, timeoutMs = 15_000): Promise<SseEvent[]> {
    const end = Date.now() + timeoutMs;
    while (!this.events.some(stop) && !this.ended) {
      if (Date.now() > end) throw new Error(`no such event in time; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
    return [...this.events];
  }

  get closedByServer(): boolean {
    return this.ended;
  }

  close(): void {
    this.req.destroy();
  }

  private feed(chunk: string): void {
    this.buf += chunk;
    let cut: number;
    while ((cut = this.buf.indexOf('\n\n')) >= 0) {
      const block = this.buf.slice(0, cut);
      this.buf = this.buf.slice(cut + 2);
      const e: SseEvent = { event: 'message', data: '' };
      let data = false;
      for (const line of block.split('\n')) {
        const at = line.indexOf(':');
        if (at <= 0) continue;
        const k = line.slice(0, at);
        const v = line.slice(at + 1).replace(/^ /, '');
        if (k === 'event') e.event = v;
        else if (k === 'id') e.id = v;
        else if (k === 'data') ((e.data += v), (data = true));
      }
      if (data) this.events.push(e);
    }
    this.wake();
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** The texts of the console's `step` events, in order. */
export const stepTexts = (events: SseEvent[]): string[] =>
  events.filter((e) => e.event === 'step').map((e) => (JSON.parse(e.data) as { text: string }).text);
