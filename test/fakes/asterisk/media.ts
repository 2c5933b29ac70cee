/**
 * Playbacks, recordings and bridges of the fake. Playback events carry no channel, only
 * `playback.target_uri`; `done` on normal end and on stop, `failed` on hangup and
 * when an item cannot be opened: a sound that is not installed, a URL that does not
 * answer 200 with audio (media-open.ts).
 *
 * A list plays as Asterisk 22.10 was seen to play it: every item gets a PlaybackStarted (with
 * `next_media_uri`) and is opened only then; a non-last item ends with PlaybackContinuing naming
 * it; the last ends with PlaybackFinished. An item that cannot be opened is skipped (its
 * PlaybackContinuing follows within a few ms) and only a failed last item makes the whole
 * playback `failed`: a failure in the middle of a list goes unnoticed, as on a real call.
 */
import type { FakeChannel } from './model';
import { asteriskTime } from './model';
import type { Timer } from './calls';
import { pcmWav } from './sounds-dir';

export interface MediaHub {
  emitApp(app: string | null, type: string, fields: Record<string, unknown>): void;
  after(ms: number, fn: () => void): Timer;
  now(): number;
  /** Opens one item when it starts (may fetch over HTTP); its length in Asterisk ms, or a failure. */
  openMedia(uri: string, lang: string): Promise<{ ok: true; durationMs: number } | { ok: false; fetched: boolean }>;
  playbackStarted(ch: FakeChannel, uri: string): void;
  /** Drops media fetches in flight (restart, close). */
  cancelOpens(): void;
}

interface FakePlayback {
  id: string;
  channel: FakeChannel;
  media: string[];
  index: number;
  language: string;
  state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
  timer: Timer | null;
}

interface LiveRecording {
  name: string;
  terminateOn: string;
  format: string;
  channel: FakeChannel;
  startedAt: number;
  /** max_duration in ms (Infinity without one): Asterisk never records past it. */
  maxMs: number;
  timer: Timer | null;
}

export interface FakeBridge {
  id: string;
  type: string;
  channels: string[];
  creationtime: string;
}

export class Media {
  readonly playbacks = new Map<string, FakePlayback>();
  readonly live = new Map<string, LiveRecording>();
  readonly stored = new Map<string, { name: string; format: string; durationMs: number }>();
  readonly bridges = new Map<string, FakeBridge>();
  private readonly idleWaiters = new Map<FakeChannel, (() => void)[]>();

  constructor(private readonly hub: MediaHub) {}

  private snapshot(p: FakePlayback): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: p.id,
      media_uri: p.media[p.index],
      target_uri: `channel:${p.channel.id}`,
      language: p.language,
      state: p.state,
    };
    if (p.index + 1 < p.media.length) out.next_media_uri = p.media[p.index + 1];
    return out;
  }

  private send(p: FakePlayback, type: string): void {
    this.hub.emitApp(p.channel.app, type, { playback: this.snapshot(p) });
  }

  /** Returns the `queued` snapshot for the 201; PlaybackStarted is sent before it, as Asterisk does. */
  play(ch: FakeChannel, id: string, media: string[], language: string): { queued: Record<string, unknown>; start: () => void } {
    const p: FakePlayback = { id, channel: ch, media, index: 0, language, state: 'queued', timer: null };
    const queued = this.snapshot(p);
    this.playbacks.set(id, p);
    return { queued, start: () => this.startItem(p) };
  }

  private startItem(p: FakePlayback): void {
    const uri = p.media[p.index];
    const index = p.index;
    p.channel.played.push(uri);
    p.state = 'playing';
    this.send(p, 'PlaybackStarted');
    this.hub.playbackStarted(p.channel, uri);
    void this.hub.openMedia(uri, p.language).then((opened) => {
      // Stopped, hung up or Asterisk restarted while the file was being opened.
      if (this.playbacks.get(p.id) !== p || p.index !== index) return;
      const last = index + 1 >= p.media.length;
      // A missing file is known at once; a failed fetch has already taken its time.
      const ms = opened.ok ? opened.durationMs : opened.fetched ? 0 : 5;
      p.timer = this.hub.after(ms, () => (last ? this.finish(p, opened.ok ? 'done' : 'failed') : this.next(p)));
    });
  }

  /** The item that just ended is named in PlaybackContinuing; then the next one starts. */
  private next(p: FakePlayback): void {
    p.state = 'continuing';
    this.send(p, 'PlaybackContinuing');
    p.index++;
    this.startItem(p);
  }

  private finish(p: FakePlayback, state: 'done' | 'failed'): void {
    if (!this.playbacks.has(p.id)) return;
    p.timer?.cancel();
    p.state = state;
    this.playbacks.delete(p.id);
    this.send(p, 'PlaybackFinished');
    if (!this.isPlaying(p.channel)) this.wakeIdle(p.channel);
  }

  private isPlaying(ch: FakeChannel): boolean {
    for (const p of this.playbacks.values()) if (p.channel === ch) return true;
    return false;
  }

  /**
   * Null when nothing plays on the channel; else resolves when its playbacks are over. Asterisk runs
   * a channel's commands one at a time on its Stasis thread and a playback holds that thread to its
   * end, so a command sent during one (a variable set) is answered only after it.
   */
  playedOut(ch: FakeChannel): Promise<void> | null {
    if (!this.isPlaying(ch)) return null;
    return new Promise((resolve) => this.idleWaiters.set(ch, [...(this.idleWaiters.get(ch) ?? []), resolve]));
  }

  private wakeIdle(ch: FakeChannel): void {
    const waiting = this.idleWaiters.get(ch) ?? [];
    this.idleWaiters.delete(ch);
    for (const w of waiting) w();
  }

  /** `DELETE /playbacks/{id}`: false when unknown or already finished (→ 404). */
  stop(id: string): boolean {
    const p = this.playbacks.get(id);
    if (!p) return false;
    this.finish(p, 'done');
    return true;
  }

  /** The channel hangs up: its playbacks fail, its recording ends, it leaves its bridge. */
  hangingUp(ch: FakeChannel): void {
    for (const p of [...this.playbacks.values()]) if (p.channel === ch) this.finish(p, 'failed');
    for (const r of [...this.live.values()]) if (r.channel === ch) this.finishRecording(r);
    if (ch.bridgeId) this.leaveBridge(ch);
  }

  /** Asterisk restart: everything disappears silently. */
  clear(): void {
    for (const ch of [...this.idleWaiters.keys()]) this.wakeIdle(ch);
    for (const p of this.playbacks.values()) p.timer?.cancel();
    this.hub.cancelOpens();
    for (const r of this.live.values()) r.timer?.cancel();
    this.playbacks.clear();
    this.live.clear();
    this.bridges.clear();
  }

  record(
    ch: FakeChannel,
    opts: { name: string; format: string; maxDurationSeconds: number; ifExists: string; terminateOn?: string },
  ): Record<string, unknown> | 'exists' {
    if ((this.stored.has(opts.name) || this.live.has(opts.name)) && opts.ifExists !== 'overwrite') return 'exists';
    const maxMs = opts.maxDurationSeconds > 0 ? opts.maxDurationSeconds * 1000 : Infinity;
    const r: LiveRecording = {
      name: opts.name,
      terminateOn: opts.terminateOn ?? 'none',
      format: opts.format,
      channel: ch,
      startedAt: this.hub.now(),
      maxMs,
      timer: null,
    };
    this.live.set(r.name, r);
    if (maxMs < Infinity) r.timer = this.hub.after(maxMs, () => this.finishRecording(r));
    const snap = { name: r.name, format: r.format, state: 'queued', target_uri: `channel:${ch.id}` };
    this.hub.after(0, () => {
      if (this.live.get(r.name) === r) this.hub.emitApp(ch.app, 'RecordingStarted', { recording: { ...snap, state: 'recording' } });
    });
    return snap;
  }

  /** `terminateOn`: `#` or `*` stop on that digit, `any` on every digit (as Asterisk's record). */
  dtmf(ch: FakeChannel, digit: string): void {
    for (const r of [...this.live.values()]) {
      if (r.channel === ch && (r.terminateOn === digit || (r.terminateOn === 'any' && /[0-9*#A-D]/.test(digit)))) this.finishRecording(r);
    }
  }

  stopRecording(name: string): boolean {
    const r = this.live.get(name);
    if (!r) return false;
    this.finishRecording(r);
    return true;
  }

  private finishRecording(r: LiveRecording): void {
    if (this.live.get(r.name) !== r) return;
    r.timer?.cancel();
    this.live.delete(r.name);
    // Recorded length in Asterisk time (wall time divided by the scale, computed by the hub's clock),
    // capped at max_duration: a limit timer that fires late on a busy machine must not lengthen it.
    const durationMs = Math.min(r.maxMs, Math.max(0, this.hub.now() - r.startedAt));
    this.stored.set(r.name, { name: r.name, format: r.format, durationMs });
    const duration = Math.round(durationMs / 1000);
    this.hub.emitApp(r.channel.app, 'RecordingFinished', {
      recording: {
        name: r.name,
        format: r.format,
        state: 'done',
        target_uri: `channel:${r.channel.id}`,
        duration,
        talking_duration: duration,
        silence_duration: 0,
      },
    });
  }

  /** A WAV file (8 kHz, 16-bit mono silence) as long as the recording was. */
  storedFile(name: string): Buffer | null {
    const s = this.stored.get(name);
    return s ? pcmWav(s.durationMs) : null;
  }

  bridgeJson(b: FakeBridge): Record<string, unknown> {
    return {
      id: b.id,
      technology: 'simple_bridge',
      bridge_type: b.type,
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: '',
      channels: [...b.channels],
      creationtime: b.creationtime,
      video_mode: 'none',
    };
  }

  createBridge(id: string, type: string): FakeBridge {
    const b: FakeBridge = { id, type, channels: [], creationtime: asteriskTime(Date.now()) };
    this.bridges.set(id, b);
    return b;
  }

  addToBridge(b: FakeBridge, ch: FakeChannel): void {
    if (ch.bridgeId) this.leaveBridge(ch);
    ch.bridgeId = b.id;
    b.channels.push(ch.id);
    this.hub.emitApp(ch.app, 'ChannelEnteredBridge', { bridge: this.bridgeJson(b), channel: ch.snapshot() });
  }

  private leaveBridge(ch: FakeChannel): void {
    const b = ch.bridgeId ? this.bridges.get(ch.bridgeId) : undefined;
    ch.bridgeId = null;
    if (!b) return;
    b.channels = b.channels.filter((id) => id !== ch.id);
    this.hub.emitApp(ch.app, 'ChannelLeftBridge', { bridge: this.bridgeJson(b), channel: ch.snapshot() });
  }

  destroyBridge(b: FakeBridge, lookup: (id: string) => FakeChannel | undefined, app: string | null): void {
    for (const id of [...b.channels]) {
      const ch = lookup(id);
      if (ch) this.leaveBridge(ch);
    }
    this.bridges.delete(b.id);
    this.hub.emitApp(app, 'BridgeDestroyed', { bridge: this.bridgeJson(b) });
  }
}
