/**
 * What the heartbeats tests read off a page as an operator would: the value of a copy field, the
 * text of a code block, and a pasted curl line turned into the request curl would make.
 */
import { createServer, AddressInfo } from 'node:net';
import { expect } from 'chai';

export function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The value of the read-only input `id` (ui.copyable). */
export function copyValue(html: string, id: string): string {
  const m = new RegExp(`<input id="${id}" class="mono" readonly value="([^"]*)">`).exec(html);
  expect(m, `copy field #${id}`).to.not.equal(null);
  return unescapeHtml(m![1]);
}

/** The text of the code block `id` (ui.codeBlock). */
export function codeText(html: string, id: string): string {
  const m = new RegExp(`<pre id="${id}"[^>]*>([\\s\\S]*?)</pre>`).exec(html);
  expect(m, `code block #${id}`).to.not.equal(null);
  return unescapeHtml(m![1]);
}

/** Splits a line into words as sh does for what we print: single quotes, backslash escapes, blanks. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      cur = (cur ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== null) words.push(cur);
  return words;
}

export interface CurlRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** The request a printed `curl …` line makes (the options we print: -fsS -m --retry -H -d). */
export function curlRequest(line: string): CurlRequest {
  const words = shellWords(line);
  expect(words[0], line).to.equal('curl');
  const headers: Record<string, string> = {};
  let body: string | undefined;
  let url = '';
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === '-m' || w === '--retry') i++;
    else if (w === '-H') {
      const h = words[++i];
      const colon = h.indexOf(':');
      headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
    } else if (w === '-d') body = words[++i];
    else if (w.startsWith('-')) expect(w, `unexpected curl option in ${line}`).to.equal('-fsS');
    else if (w === '>/dev/null') break;
    else url = w;
  }
  return { url, method: body === undefined ? 'GET' : 'POST', headers, body };
}

/** Makes the request as curl -f would: a failure status throws. */
export async function runCurl(line: string): Promise<Response> {
  const r = curlRequest(line);
  const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(5000) });
  expect(res.status, `${line} → ${res.status}`).to.be.below(400);
  return res;
}

/** A port nobody listens on now, so the public URL can name the real address before the app starts. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
