/**
 * Mutual watch: this dozvon pings a peer dozvon's heartbeat URL (DOZVON_PEER_URL, e.g.
 * `http://dozvon-b:8080/ping/<key>/peer-dozvon-a`) every period; the peer declares a
 * `peer` heartbeat with that name and pages when we go quiet. Either side dying is noticed
 * by the other.
 */
import type { Clock, TimerHandle } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';

export interface PeerPingerOptions {
  url: string;
  clock: Clock;
  logger: Logger;
  everyMs?: number;
  timeoutMs?: number;
}

export class PeerPinger {
  private timer: TimerHandle | null = null;
  private stopper = new AbortController();
  private current: Promise<void> | null = null;
  private lastOk: boolean | null = null;
  private readonly log: Logger;

  constructor(private readonly o: PeerPingerOptions) {
    // Only the origin is logged: the path holds the peer's key.
    this.log = o.logger.child({ module: 'peer', peer: safeOrigin(o.url) });
  }

  start(): void {
    this.stopper = new AbortController();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    this.stopper.abort(new Error('stopping'));
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  /** null until the first ping finished. */
  healthy(): boolean | null {
    return this.lastOk;
  }

  /** One ping now; never rejects. */
  pingOnce(): Promise<void> {
    if (!this.current) {
      this.current = this.ping().finally(() => {
        this.current = null;
      });
    }
    return this.current;
  }

  private schedule(ms: number): void {
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      void this.pingOnce().then(() => {
        if (!this.stopper.signal.aborted) this.schedule(this.o.everyMs ?? 60_000);
      });
    }, ms);
  }

  private async ping(): Promise<void> {
    let ok = false;
    let detail = '';
    try {
      const signal = AbortSignal.any([this.stopper.signal, AbortSignal.timeout(this.o.timeoutMs ?? 5000)]);
      const res = await fetch(this.o.url, { method: 'POST', signal, redirect: 'follow' });
      await res.arrayBuffer();
      ok = res.ok;
      detail = `status ${res.status}`;
    } catch (e) {
      detail = errorMessage(e);
    }
    if (this.stopper.signal.aborted) return;
    // One line per change, not one per minute.
    if (ok !== this.lastOk) this.log[ok ? 'info' : 'warn']({ detail }, ok ? 'peer ping accepted' : 'peer ping failed');
    this.lastOk = ok;
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}
