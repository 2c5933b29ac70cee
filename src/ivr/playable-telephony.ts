/**
 * Telephony whose legs only play what Asterisk can actually play, and survive when it cannot.
 *
 * - Prompts: when an Asterisk does not have dozvon's prompts installed (sounds/<lang>/dozvon),
 *   `sound:dozvon/<id>` is played from dozvon over HTTP instead (its media cache fetches it),
 *   so a stock Asterisk needs only ARI and HTTP configured.
 * - Rendered speech: when a playback holding rendered speech fails while the call is up (the
 *   media fetch failing, an unplayable file), the same call goes on at once with the words as
 *   recorded prompts and Asterisk's number sounds, and keeps using those for the rest of the
 *   call. Every such failure is reported (attempt, metric, log), never silently eaten.
 *
 * One decorator around the Telephony seam covers every caller (outbound menu, results, hotline,
 * verification) without each of them knowing about it.
 */
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { promptOverHttp } from '../tts/prompts';
import type { PlayedItem } from '../db/notifications-repo';
import type {
  Bridge,
  CallEnd,
  CallLeg,
  HangupReason,
  LegEvents,
  OriginateRequest,
  Playback,
  Recording,
  Telephony,
  TelephonyHealth,
} from '../telephony/types';

export interface SpeechFailure {
  legId: string;
  server: string;
  /** The rendered media that could not be played. */
  media: string;
}

export interface PlayableOptions {
  /** TtsSystem.fallbackFor: the prompt-only twin of rendered media, undefined for anything else. */
  fallbackFor(uri: string): string[] | undefined;
  /** Whether this Asterisk has dozvon's prompts installed for this language. */
  promptsInstalled(server: string, lang: string): Promise<boolean>;
  publicUrl: string;
  onSpeechFailed(f: SpeechFailure): void;
  log: Logger;
  /** The call's clock: how long a playback cut short ran (the console's Listen plays only that much). */
  now?: () => number;
}

export class PlayableTelephony implements Telephony {
  constructor(
    private readonly inner: Telephony,
    private readonly opts: PlayableOptions,
  ) {}

  start(): Promise<void> {
    return this.inner.start();
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
  health(): TelephonyHealth {
    return this.inner.health();
  }
  async originate(req: OriginateRequest): Promise<CallLeg> {
    return new PlayableLeg(await this.inner.originate(req), this.opts);
  }
  onInbound(fn: (leg: CallLeg, args: string[]) => void): void {
    this.inner.onInbound((leg, args) => fn(new PlayableLeg(leg, this.opts), args));
  }
  bridge(a: CallLeg, b: CallLeg): Promise<Bridge> {
    return this.inner.bridge(unwrap(a), unwrap(b));
  }
}

function unwrap(leg: CallLeg): CallLeg {
  return leg instanceof PlayableLeg ? leg.inner : leg;
}

/** Rendered media of this leg that failed to play (empty for legs of other telephonies). */
export function speechFailuresOf(leg: CallLeg | null): string[] {
  return leg instanceof PlayableLeg ? [...leg.speechFailures] : [];
}

/** Every playback this leg was given, in order, as sent to Asterisk (after any fallback). */
export function playedOn(leg: CallLeg | null): PlayedItem[] {
  return leg instanceof PlayableLeg
    ? leg.played.map((p) => ({
        media: [...p.media],
        lang: p.lang,
        ...(p.failed ? { failed: true } : {}),
        ...(p.cutAfterMs !== undefined ? { cutAfterMs: p.cutAfterMs } : {}),
        ...(p.speech ? { speech: p.speech } : {}),
      }))
    : [];
}

/** A call plays a few dozen items at most; a runaway loop must not grow the attempt row without bound. */
const MAX_PLAYED = 200;

class PlayableLeg implements CallLeg {
  readonly speechFailures: string[] = [];
  readonly played: PlayedItem[] = [];
  private readonly startedAt = new WeakMap<PlayedItem, number>();
  private speechBroken = false;

  constructor(
    readonly inner: CallLeg,
    private readonly opts: PlayableOptions,
  ) {}

  get id(): string {
    return this.inner.id;
  }
  get direction(): 'outbound' | 'inbound' {
    return this.inner.direction;
  }
  get callerNumber(): string | null {
    return this.inner.callerNumber;
  }
  get server(): string {
    return this.inner.server;
  }
  isUp(): boolean {
    return this.inner.isUp();
  }
  hasRung(): boolean {
    return this.inner.hasRung();
  }
  isTalking(): boolean {
    return this.inner.isTalking();
  }
  ended(): CallEnd | null {
    return this.inner.ended();
  }
  on<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    this.inner.on(ev, fn);
  }
  off<E extends keyof LegEvents>(ev: E, fn: LegEvents[E]): void {
    this.inner.off(ev, fn);
  }
  answer(): Promise<void> {
    return this.inner.answer();
  }
  hangup(reason?: HangupReason): Promise<void> {
    return this.inner.hangup(reason);
  }
  record(opts: { name: string; maxDurationSec: number; beep: boolean }): Promise<Recording> {
    return this.inner.record(opts);
  }
  /**
   * Asterisk plays a list item by item and, when one item cannot be opened (a fetch failing),
   * skips it and still ends the list `done` (seen on Asterisk 22: PlaybackStarted, then
   * PlaybackContinuing a few ms later). A failed summary would pass unnoticed inside a list, so
   * rendered media is played as a playback of its own, where failure shows as `failed`, and the
   * prompts around it are played as lists in between. One Playback handle covers them all.
   */
  async play(media: string[], opts: { lang?: string; speech?: 'summary' | 'reply' } = {}): Promise<Playback> {
    const lang = opts.lang ?? 'en';
    const httpPrompts = !(await this.opts.promptsInstalled(this.server, lang).catch(() => true));
    const segments = this.segments(media, lang, httpPrompts);
    if (segments.length === 0) return this.inner.play(media, opts); // refused there, with its reason
    let record = this.note(segments[0].media, lang, opts.speech);
    let current = await this.inner.play(segments[0].media, opts);
    let stopped = false;
    // Stopped when Asterisk had already played it to its end: the phone heard all of it.
    let stoppedAfterEnd = false;
    const finished = (async (): Promise<'done' | 'failed'> => {
      for (let i = 0; ;) {
        const state = await current.finished;
        if (stopped || this.inner.ended()) {
          if (!(stopped && stoppedAfterEnd)) this.cut(record);
          return state;
        }
        const seg = segments[i];
        if (state === 'failed') {
          if (record) record.failed = true; // not heard: Listen leaves it out
          if (!seg.rendered) return 'failed';
          this.noteFailure(seg.rendered);
          // The same words as prompts, at once, in place of the speech that could not play.
          segments[i] = { media: this.resolveOne(seg.rendered, lang, httpPrompts), rendered: null };
        } else if (++i >= segments.length) {
          return 'done';
        }
        record = this.note(segments[i].media, lang, opts.speech);
        const next = await this.inner.play(segments[i].media, opts).catch((e: unknown) => {
          if (!this.inner.ended()) this.opts.log.warn({ err: errorMessage(e) }, 'could not play the next part of a prompt');
          return null;
        });
        if (!next) return 'failed';
        current = next;
        if (stopped) await next.stop().catch(() => undefined);
      }
    })();
    return {
      id: current.id,
      finished,
      stop: async () => {
        if (!stopped) stoppedAfterEnd = current.isFinished?.() ?? false;
        stopped = true;
        await current.stop();
      },
    };
  }

  private note(media: string[], lang: string, speech: 'summary' | 'reply' | undefined): PlayedItem | null {
    if (this.played.length >= MAX_PLAYED) return null;
    const item: PlayedItem = { media: [...media], lang, ...(speech ? { speech } : {}) };
    this.played.push(item);
    if (this.opts.now) this.startedAt.set(item, this.opts.now());
    return item;
  }

  /** A digit over it or a hang-up: the phone heard only the first part of this playback. */
  private cut(item: PlayedItem | null): void {
    const started = item ? this.startedAt.get(item) : undefined;
    if (!item || started === undefined || !this.opts.now || item.failed) return;
    item.cutAfterMs = Math.max(0, this.opts.now() - started);
  }

  /** Rendered items alone (while speech works on this call), everything else grouped. */
  private segments(media: string[], lang: string, httpPrompts: boolean): { media: string[]; rendered: string | null }[] {
    const out: { media: string[]; rendered: string | null }[] = [];
    for (const m of media) {
      const rendered = !this.speechBroken && this.opts.fallbackFor(m) !== undefined;
      const last = out[out.length - 1];
      if (rendered) out.push({ media: [m], rendered: m });
      else if (last && !last.rendered) last.media.push(...this.resolveOne(m, lang, httpPrompts));
      else out.push({ media: this.resolveOne(m, lang, httpPrompts), rendered: null });
    }
    return out;
  }

  private noteFailure(media: string): void {
    // From now on this call plays the prompt twin directly instead of failing again.
    this.speechBroken = true;
    this.speechFailures.push(media);
    this.opts.onSpeechFailed({ legId: this.id, server: this.server, media });
  }

  private resolveOne(uri: string, lang: string, httpPrompts: boolean): string[] {
    if (this.speechBroken) {
      const twin = this.opts.fallbackFor(uri);
      if (twin) return twin.flatMap((m) => this.resolveOne(m, lang, httpPrompts));
    }
    if (httpPrompts) return [promptOverHttp(uri, lang, this.opts.publicUrl) ?? uri];
    return [uri];
  }
}
