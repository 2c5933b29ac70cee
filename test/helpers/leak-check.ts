/**
 * Fails the run when something a test or the app's stop() left open keeps the process alive
 * after the last test (mocha then never exits, and CI hangs with no clue). Registered in
 * .mocharc.json "require": once the suite is over, an unref'd timer waits a moment; it only
 * fires when the process did not exit by itself, and then names every live handle (servers by
 * address and the test that started them, sockets by address, child processes by command,
 * timers by the line and test that set them) and exits with code 1.
 */
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Runnable } from 'mocha';

const GRACE_MS = 3000;

/** The test or hook running now: a stack often stops at an await before reaching it. */
let running = '(outside any test)';
const runOrig = Runnable.prototype.run;
Runnable.prototype.run = function (this: Runnable, ...args: Parameters<Runnable['run']>) {
  running = this.fullTitle();
  return runOrig.apply(this, args);
};

interface Site {
  stack: string;
  test: string;
}
const here = (): Site => ({ stack: new Error().stack ?? '', test: running });

/** Where each live, ref'd timer was set: a leaked Timeout is invisible to _getActiveHandles on Node 20. */
const timers = new Map<NodeJS.Timeout, Site>();

function track<A extends unknown[]>(set: (fn: (...a: A) => void, ms?: number, ...a: A) => NodeJS.Timeout, once: boolean) {
  return function tracked(fn: (...a: A) => void, ms?: number, ...args: A): NodeJS.Timeout {
    const site = here();
    const t: NodeJS.Timeout = set(
      (...a: A) => {
        if (once) timers.delete(t);
        fn(...a);
      },
      ms,
      ...args,
    );
    timers.set(t, site);
    return t;
  };
}

const setTimeoutOrig = globalThis.setTimeout;
const setIntervalOrig = globalThis.setInterval;
const clearTimeoutOrig = globalThis.clearTimeout;
const clearIntervalOrig = globalThis.clearInterval;
// Assigned with their Node-specific members (promisify) kept: only the call is wrapped.
globalThis.setTimeout = Object.assign(track(setTimeoutOrig as never, true), setTimeoutOrig) as typeof setTimeout;
globalThis.setInterval = Object.assign(track(setIntervalOrig as never, false), setIntervalOrig) as typeof setInterval;
globalThis.clearTimeout = ((t?: NodeJS.Timeout | string | number) => {
  if (t && typeof t === 'object') timers.delete(t);
  clearTimeoutOrig(t);
}) as typeof clearTimeout;
globalThis.clearInterval = ((t?: NodeJS.Timeout | string | number) => {
  if (t && typeof t === 'object') timers.delete(t);
  clearIntervalOrig(t);
}) as typeof clearInterval;

/** Where each server started listening: its port alone does not say which test forgot it. */
const listens = new WeakMap<net.Server, Site>();
const listenOrig = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  listens.set(this, here());
  return (listenOrig as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof listenOrig;

/** The first frames outside this file, node and node_modules, and the test then running. */
function where(site: Site | undefined): string {
  if (!site) return '?';
  const frames = site.stack
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
  const ours = frames.filter((f) => !f.includes(__filename) && !f.includes('node:') && !f.includes('node_modules/'));
  return `${(ours.length ? ours : frames).slice(0, 2).join(' < ')}, in "${site.test}"`;
}

interface Handle {
  constructor: { name: string };
  hasRef?: () => boolean;
}

function describeHandle(h: Handle): string | null {
  if (typeof h.hasRef === 'function' && !h.hasRef()) return null;
  const name = h.constructor.name;
  const fd = (h as unknown as { fd?: number }).fd;
  if (fd !== undefined && fd <= 2) return null; // the process's own stdio
  if (name === 'Server') {
    const a = (h as unknown as net.Server).address();
    return `Server listening on ${JSON.stringify(a)}, started at ${where(listens.get(h as unknown as net.Server))}`;
  }
  if (name === 'Socket') {
    const s = h as unknown as net.Socket;
    return `Socket ${s.localPort ?? '?'} -> ${s.remoteAddress ?? '?'}:${s.remotePort ?? '?'}`;
  }
  if (name === 'ChildProcess') {
    const c = h as unknown as ChildProcess;
    return `ChildProcess ${c.pid} ${c.spawnargs.join(' ')}`;
  }
  return name;
}

function report(): void {
  const active = (process as unknown as { _getActiveHandles(): Handle[] })._getActiveHandles();
  const lines = active.map(describeHandle).filter((l): l is string => l !== null);
  // Cleared through node:timers (as tarn does), a timer skips the wrapped clear but is destroyed.
  for (const [t, site] of timers)
    if (t.hasRef() && !(t as unknown as { _destroyed: boolean })._destroyed) lines.push(`Timeout set at ${where(site)}`);
  lines.push(`(resources: ${process.getActiveResourcesInfo().join(', ')})`);
  process.stderr.write(`\nleak check: the process did not exit ${GRACE_MS} ms after the last test; still open:\n  ${lines.join('\n  ')}\n`);
  // Mocha sets the exit code from its own 'exit' listener; this one runs after it.
  process.on('exit', () => (process.exitCode = 1));
  process.exit(1);
}

export const mochaHooks = {
  afterAll(): void {
    // Unref'd: it fires only when something else keeps the process alive.
    setTimeoutOrig(report, GRACE_MS).unref();
  },
};
