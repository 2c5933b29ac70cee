/**
 * The engineers' phones, on the far side of dozvon's SIP trunk. A call dozvon places travels
 * PJSIP/<n>@trunk → SIP over loopback → the `phones` endpoint → [phones-in], which starts
 * recording what the phone hears and hands the channel to this ARI app. The test then plays
 * the phone: ring, answer, press digits (sent as RFC 4733 over RTP), hang up, decline.
 *
 * This app subscribes to all events (subscribeAll), so it also sees dozvon's playbacks and
 * can press a digit "while the menu plays", as a person would.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { RealAsterisk } from './asterisk/process';
import { PHONES_APP } from './asterisk/config';

interface AriEvent {
  type: string;
  channel?: { id: string; name: string; state: string; caller?: { number: string } };
  playback?: { id: string; media_uri: string; target_uri: string; state: string };
  args?: string[];
  digit?: string;
  cause?: number;
  [k: string]: unknown;
}

export interface SeenPlayback {
  id: string;
  media: string;
  target: string;
  state: string;
  at: number;
}

type Waiter = { match: (e: AriEvent) => boolean; resolve: (e: AriEvent) => void; abandon: () => void };

export class TestPhones {
  readonly events: AriEvent[] = [];
  /** Every playback on a channel that is not a phone (dozvon's legs), as started/continued/finished. */
  readonly playbacks: SeenPlayback[] = [];
  private waiters: Waiter[] = [];
  private readonly claimed = new Set<string>();
  private readonly seenKeys = new Set<string>();

  private constructor(
    readonly asterisk: RealAsterisk,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => this.onEvent(JSON.parse(data.toString()) as AriEvent));
  }

  static async connect(asterisk: RealAsterisk): Promise<TestPhones> {
    const url = `${asterisk.ariUrl.replace(/^http/, 'ws')}/ari/events?app=${PHONES_APP}&subscribeAll=true`;
    // A deadline on the upgrade: once, right after the previous run's socket to the same app went
    // unclosed, Asterisk took the app over for this one and never answered its upgrade.
    const ws = new WebSocket(url, { headers: asterisk.auth(), handshakeTimeout: 10_000 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestPhones(asterisk, ws);
  }

  private onEvent(e: AriEvent): void {
    e.receivedAt = Date.now();
    // subscribeAll hears a playback both through the channel and through the playback itself:
    // the same event twice, same timestamp. A repeated item (a code read twice) has its own.
    // A key per event keeps this constant-time: a burst's thousand events compared each to all
    // the others cost the bench process, which shares the cores with what it measures.
    const key = `${e.type}|${String(e.timestamp)}|${JSON.stringify(e.playback ?? e.channel?.id)}|${e.digit ?? ''}`;
    if (this.seenKeys.has(key)) return;
    this.seenKeys.add(key);
    this.events.push(e);
    if (e.playback) {
      this.playbacks.push({
        id: e.playback.id,
        media: e.playback.media_uri,
        target: e.playback.target_uri,
        state: `${e.type}:${e.playback.state}`,
        at: Date.now(),
      });
    }
    for (const w of [...this.waiters]) {
      if (w.match(e)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(e);
      }
    }
  }

  waitEvent(match: (e: AriEvent) => boolean, what: string, timeoutMs = 20_000, fromStart = false): Promise<AriEvent> {
    if (fromStart) {
      const seen = this.events.find(match);
      if (seen) return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const w: Waiter = {
        match,
        resolve: (e) => (clearTimeout(t), resolve(e)),
        abandon: () => (clearTimeout(t), reject(new Error(`the phones closed while waiting for ${what}`))),
      };
      this.waiters.push(w);
    });
  }

  /** The next call dozvon places to `number` (StasisStart of the ringing phone). */
  async expectCall(number: string, timeoutMs = 20_000): Promise<PhoneCall> {
    const e = await this.waitEvent(
      (x) => x.type === 'StasisStart' && x.application === PHONES_APP && x.args?.[0] === number && !this.claimed.has(x.channel!.id),
      `a call to ${number}`,
      timeoutMs,
      true,
    );
    this.claimed.add(e.channel!.id);
    return new PhoneCall(this, e.channel!.id, number);
  }

  /** A phone with caller ID `from` dials `number` through dozvon's trunk (the hotline). */
  async dial(number: string, from: string): Promise<PhoneCall> {
    const q = new URLSearchParams({
      endpoint: `PJSIP/${number}@phones`,
      context: 'phones-caller',
      extension: 's',
      priority: '1',
      callerId: `"Caller" <${from}>`,
      timeout: '30',
    });
    const r = await this.rest('POST', `/channels?${q}`);
    const id = (r as { id: string }).id;
    await this.waitEvent((x) => x.type === 'StasisStart' && x.channel?.id === id, `the hotline to answer ${number}`, 20_000, true);
    this.claimed.add(id);
    return new PhoneCall(this, id, number);
  }

  async rest(method: string, p: string): Promise<unknown> {
    const r = await this.send(method, p).catch((e: Error) => {
      // Asterisk closes a keep-alive connection after session_keep_alive (15 s) idle; a request
      // sent on it at that moment fails before Asterisk read it. Sent again on a fresh connection,
      // except an originate, which may have been placed.
      const closed = ['UND_ERR_SOCKET', 'ECONNRESET'].includes((e.cause as { code?: string } | undefined)?.code ?? '');
      if (!closed || (method === 'POST' && p.startsWith('/channels?'))) throw e;
      return this.send(method, p);
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`ARI ${method} ${p} → ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  private send(method: string, p: string): Promise<Response> {
    return fetch(`${this.asterisk.ariUrl}/ari${p}`, { method, headers: this.asterisk.auth(), signal: AbortSignal.timeout(5000) });
  }

  /**
   * Media dozvon started playing so far, in order. Asterisk 22 sends PlaybackStarted for every
   * item of a list; PlaybackContinuing names the item that just ended, so it is not counted.
   */
  played(): string[] {
    return this.playbacks.filter((p) => p.state.startsWith('PlaybackStarted')).map((p) => p.media);
  }

  async waitPlayback(match: (media: string) => boolean, what: string, timeoutMs = 20_000): Promise<SeenPlayback> {
    const e = await this.waitEvent(
      (x) => x.type === 'PlaybackStarted' && !!x.playback && match(x.playback.media_uri),
      `dozvon to play ${what}`,
      timeoutMs,
    );
    return { id: e.playback!.id, media: e.playback!.media_uri, target: e.playback!.target_uri, state: e.type, at: Date.now() };
  }

  /** Waits on a closed event socket can never end: they fail now instead of holding the process open. */
  close(): void {
    // Dropped, not closed: Asterisk 22 now and then leaves a close frame unanswered, and ws then
    // keeps the socket (and Asterisk the app) for its 30 s close timeout.
    this.ws.terminate();
    for (const w of this.waiters.splice(0)) w.abandon();
  }
}

export class PhoneCall {
  readonly ended: Promise<AriEvent>;

  constructor(
    private readonly phones: TestPhones,
    readonly id: string,
    readonly number: string,
  ) {
    this.ended = phones.waitEvent(
      (e) => (e.type === 'StasisEnd' || e.type === 'ChannelDestroyed') && e.channel?.id === id,
      `call ${id} to end`,
      600_000,
      true,
    );
    this.ended.catch(() => undefined);
  }

  ring(): Promise<unknown> {
    return this.phones.rest('POST', `/channels/${this.id}/ring`);
  }

  answer(): Promise<unknown> {
    return this.phones.rest('POST', `/channels/${this.id}/answer`);
  }

  /** Digits as RFC 4733 events; a person holds a key ~150 ms and pauses ~300 ms. */
  press(digits: string): Promise<unknown> {
    return this.phones.rest('POST', `/channels/${this.id}/dtmf?dtmf=${encodeURIComponent(digits)}&duration=150&between=300`);
  }

  /**
   * The phone sends audio to dozvon (a mailbox greeting and its beep, a "hello?"), then silence
   * for `silenceS` seconds. A carrier sends RTP all the time (or comfort noise); this bench sends
   * none while nothing plays, and talk detection would never hear the talk end. Returns the
   * playback id.
   */
  async speak(media: string[], silenceS = 60): Promise<string> {
    const id = `phone-${this.id}-${Date.now()}`;
    const silence = Array.from({ length: Math.ceil(silenceS / 10) }, () => 'sound:silence/10');
    const list = encodeURIComponent([...media, ...silence].join(','));
    await this.phones.rest('POST', `/channels/${this.id}/play/${id}?media=${list}&lang=en`);
    return id;
  }

  hangup(reason = 'normal'): Promise<unknown> {
    return this.phones.rest('DELETE', `/channels/${this.id}?reason=${reason}`);
  }

  /** Leaves the app for [phones-end] (decline → SIP 603, busy → 486, congestion → 503). */
  endWith(how: 'decline' | 'busy' | 'congestion'): Promise<unknown> {
    return this.phones.rest('POST', `/channels/${this.id}/continue?context=phones-end&extension=${how}&priority=1`);
  }

  async waitEnded(timeoutMs = 60_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ended,
        new Promise(
          (_, rej) => (timer = setTimeout(() => rej(new Error(`call to ${this.number} did not end in ${timeoutMs} ms`)), timeoutMs)),
        ),
      ]);
    } finally {
      clearTimeout(timer); // a pending deadline would hold the process open for a minute after the suite
    }
  }

  /** What the phone heard (MixMonitor's file, complete once the channel is gone). */
  async recording(timeoutMs = 10_000): Promise<Buffer> {
    const file = path.join(this.phones.asterisk.recordings, `${this.id}.wav`);
    const end = Date.now() + timeoutMs;
    let last = -1;
    // MixMonitor closes the file shortly after the hangup: wait for the size to settle.
    for (;;) {
      if (existsSync(file)) {
        const b = readFileSync(file);
        if (b.length === last && b.length > 44) return b;
        last = b.length;
      }
      if (Date.now() > end) throw new Error(`no recording at ${file}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
