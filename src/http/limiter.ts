/**
 * Failed-authentication limits per client address (the admin token: web/admin-token.ts): after `max`
 * failures within `windowMs` that address gets 429 until its oldest failure leaves the window.
 * Per address, so an attacker locks out only themselves, never the owner. Memory is bounded: at
 * most `maxKeys` addresses are remembered (the longest-untouched is forgotten first), each with
 * at most `max` timestamps. IPv6 clients are counted per /64, the smallest block a host gets.
 */
import { isIPv6 } from 'node:net';

export interface FailureLimiterOptions {
  max: number;
  windowMs: number;
  now: () => number;
  maxKeys?: number;
}

export class FailureLimiter {
  private readonly byKey = new Map<string, number[]>();
  private readonly maxKeys: number;

  constructor(private readonly o: FailureLimiterOptions) {
    this.maxKeys = o.maxKeys ?? 10_000;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.o.max) return 0;
    return Math.max(1, list[list.length - this.o.max] + this.o.windowMs - this.o.now());
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.o.now());
    if (list.length > this.o.max) list.splice(0, list.length - this.o.max);
    this.byKey.delete(key); // re-insert: Map order is then "least recently failed first"
    this.byKey.set(key, list);
    while (this.byKey.size > this.maxKeys) this.byKey.delete(this.byKey.keys().next().value as string);
  }

  succeed(key: string): void {
    this.byKey.delete(key);
  }

  /** Addresses remembered (tests check the bound). */
  size(): number {
    return this.byKey.size;
  }

  private recent(key: string): number[] {
    const list = this.byKey.get(key);
    if (!list) return [];
    const since = this.o.now() - this.o.windowMs;
    while (list.length && list[0] <= since) list.shift();
    if (!list.length) this.byKey.delete(key);
    return list;
  }
}

/** The address failures are counted under: req.ip (after DOZVON_TRUST_PROXY), IPv6 cut to its /64. */
export function clientKey(req: { ip?: string; socket?: { remoteAddress?: string } }): string {
  let ip = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
  if (!isIPv6(ip)) return ip;
  const groups = expandIPv6(ip);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIPv6(ip: string): string[] {
  const [head, tail = ''] = ip.split('%')[0].split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = ip.includes('::') ? Array(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
