/**
 * ARI's REST calls without ari-client's REST layer, for the requests a burst makes at once: the
 * originates and the first playbacks. ari-client sends each through swagger-client 2.0 and shred
 * and decorates each reply with every operation of its resource: a few milliseconds of CPU per
 * request, which a burst of twenty calls spent on the event loop the dial path shares (most of
 * dozvon's own CPU between a burst's first 200 and its last originate). Replies and errors take
 * the shapes ari-client gives them (the JSON body; an Error carrying the body's text), so callers
 * and ariError() read both alike. Requests share a few kept-alive connections: Asterisk's HTTP
 * server accepts no more than ten new ones at a time.
 */
import http from 'node:http';
import https from 'node:https';

/**
 * Connections kept open to one Asterisk, and the originates in flight at once (the slots): under
 * the ten new connections its HTTP server queues, so a burst never loses one.
 */
export const ARI_CONNECTIONS = 8;
/** A request Asterisk does not answer is dropped after this; callers hold their own, shorter deadlines. */
const REQUEST_TIMEOUT_MS = 30_000;

type QueryValue = string | number | boolean | string[] | undefined;

export class AriRest {
  private readonly base: URL;
  private readonly auth: string;
  private readonly agent: http.Agent;
  private readonly lib: typeof http | typeof https;

  constructor(url: string, user: string, password: string) {
    this.base = new URL(url);
    this.auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
    const secure = this.base.protocol === 'https:';
    this.lib = secure ? https : http;
    this.agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: ARI_CONNECTIONS });
  }

  /**
   * POST /ari<path>?<query> with an optional JSON body (what ARI takes only there: an originate's
   * `variables`): the reply's JSON (undefined for 204), or an Error with the reply's text.
   */
  post(path: string, query: Record<string, QueryValue>, body?: Record<string, unknown>): Promise<unknown> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      // Asterisk reads a list parameter (media) as one comma-separated value, as swagger-client sends it.
      q.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const json = body === undefined ? null : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = this.lib.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          path: `${prefix}/ari${path}?${q}`,
          method: 'POST',
          agent: this.agent,
          headers: {
            Authorization: this.auth,
            Accept: 'application/json',
            ...(json ? { 'Content-Type': 'application/json' } : {}),
            'Content-Length': json?.length ?? 0,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) return reject(new Error(text || `HTTP ${status}`));
            if (!text) return resolve(undefined);
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error(`HTTP ${status}: the reply is not JSON`));
            }
          });
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no reply within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(json ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
