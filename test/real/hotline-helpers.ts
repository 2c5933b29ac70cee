/**
 * What the hotline and verification stories share on a real Asterisk: which text
 * each rendered media file says, what dozvon played on one of its channels, the length of any
 * media dozvon plays (number and digit sounds included), a phone that plays a sound down the
 * line, one-direction recordings (ARI snoop: what a phone hears, without what it says), and an
 * inbox for the alert dozvon posts to OnCall when a voicemail is left.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { Heard, mediaSeconds, measure, wavSeconds } from './audio';
import { PHONES_APP } from './asterisk/config';
import type { PhoneCall, TestPhones } from './phones';
import type { RealWorld } from './world';
import type { Lang, Speech } from '../../src/tts/types';

/**
 * Which text each rendered media URI says. Wraps the app's own Tts (the object the hotline and
 * the verifier hold), so the stories can tell "Incident 2 of 2" from "Incident 1 of 2" by URL.
 */
export function spokenTexts(w: RealWorld): Map<string, { text: string; lang: Lang }> {
  const said = new Map<string, { text: string; lang: Lang }>();
  const tts = w.app.tts as unknown as { render(text: string, lang: Lang, signal?: AbortSignal): Promise<Speech> };
  const render = tts.render.bind(tts);
  tts.render = async (text, lang, signal) => {
    const speech = await render(text, lang, signal);
    for (const m of speech.media) if (m.startsWith('sound:http')) said.set(m, { text, lang });
    return speech;
  };
  return said;
}

/**
 * Media dozvon started on one channel (`channel:<id>`), in order, one entry per item of a list
 * (Asterisk 22 sends PlaybackStarted per item). Read from the de-duplicated event list, so an
 * item repeated in one list (the code read twice) counts twice.
 */
export function startedOn(phones: TestPhones, target: string): { id: string; media: string }[] {
  return phones.events
    .filter((e) => e.type === 'PlaybackStarted' && e.playback?.target_uri === target)
    .map((e) => ({ id: e.playback!.id, media: e.playback!.media_uri }));
}

export function playedOn(phones: TestPhones, target: string): string[] {
  return startedOn(phones, target).map((p) => p.media);
}

/** The playback target (dozvon's channel) that started `media` first, waiting for it if need be. */
export async function targetOf(phones: TestPhones, media: (m: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const e = await phones.waitEvent(
    (x) => x.type === 'PlaybackStarted' && !!x.playback && media(x.playback.media_uri),
    `dozvon to play ${what}`,
    timeoutMs,
    true,
  );
  return e.playback!.target_uri;
}

/**
 * Waits until dozvon has played `media` on `target` as item `after` or later, and the playback
 * it belongs to has finished: the moment a person who listened to the end presses a key.
 * Returns how many items were played on the target by then.
 */
export async function heardToEnd(
  phones: TestPhones,
  target: string,
  media: (m: string) => boolean,
  what: string,
  after = 0,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const { id } = await heardStart(phones, target, media, what, after, timeoutMs);
  await phones.waitEvent(
    (x) => x.type === 'PlaybackFinished' && x.playback?.id === id,
    `${what} to finish`,
    Math.max(1, deadline - Date.now()),
    true,
  );
  return (
    startedOn(phones, target)
      .map((p) => p.id)
      .lastIndexOf(id) + 1
  );
}

/** Waits until dozvon starts `media` on `target` as item `after` or later (a person may press a key now). */
export async function heardStart(
  phones: TestPhones,
  target: string,
  media: (m: string) => boolean,
  what: string,
  after = 0,
  timeoutMs = 30_000,
): Promise<{ id: string; index: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = startedOn(phones, target);
    const i = list.findIndex((p, k) => k >= after && media(p.media));
    if (i >= 0) return { id: list[i].id, index: i };
    await phones.waitEvent(
      (x) => x.type === 'PlaybackStarted' && x.playback?.target_uri === target,
      `dozvon to play ${what} (heard so far: ${list.map((p) => p.media).join(' ')})`,
      Math.max(1, deadline - Date.now()),
    );
  }
}

/** One of dozvon's recorded prompts, installed in Asterisk or served over HTTP. */
export const isPrompt = (id: string) => (m: string) =>
  m === `sound:dozvon/${id}` || m.endsWith(`/media/prompts/en/${id}.wav`) || m.endsWith(`/media/prompts/ru/${id}.wav`);

/**
 * A known caller asked for their PIN (digit 5): waits for the PIN prompt on the caller's dozvon
 * channel and types the PIN with `#`. An unknown caller would first be asked who they are.
 */
export async function enterPin(phones: TestPhones, call: PhoneCall, target: string, pin: string, after: number): Promise<number> {
  const at = await heardToEnd(phones, target, isPrompt('enter_pin'), 'the PIN prompt', after);
  await call.press(`${pin}#`);
  return at;
}

/**
 * The length of any media dozvon plays: prompts and rendered speech from their files (audio.ts),
 * `number:N` (N < 20) and `digits:NNN` from the voice's digits/ sounds, as Asterisk says them.
 */
export function playedSeconds(w: RealWorld, uri: string, lang: Lang): number {
  const digitFile = (d: string) => path.join(w.coreSounds(lang), 'digits', `${d}.wav`);
  const num = /^number:(\d+)$/.exec(uri);
  if (num) {
    if (Number(num[1]) >= 20) throw new Error(`cannot measure ${uri}: only numbers below 20 are one sound`);
    return wavSeconds(digitFile(String(Number(num[1]))));
  }
  const digits = /^digits:(\d+)$/.exec(uri);
  if (digits) return [...digits[1]].reduce((s, d) => s + wavSeconds(digitFile(d)), 0);
  return mediaSeconds(uri, lang, w.ttsDir, w.coreSounds(lang));
}

export function totalSeconds(w: RealWorld, media: string[], lang: Lang): number {
  return media.reduce((s, m) => s + playedSeconds(w, m, lang), 0);
}

/** The recording holds what was played, in full: non-silent, and its length within 10 % of it. */
export function expectHeardInFull(w: RealWorld, recording: Buffer, media: string[], lang: Lang, what: string): void {
  const played = totalSeconds(w, media, lang);
  const heard = measure(recording);
  expect(heard.voicedSeconds, `${what}: non-silent audio reached the phone`).to.be.greaterThan(Math.min(1, played / 2));
  expect(
    heard.seconds,
    `${what}: recording ${heard.seconds.toFixed(2)} s vs played ${played.toFixed(2)} s (${media.join(' ')})`,
  ).to.be.within(played * 0.9, played * 1.1);
}

/** A core sound as measured from its file (what a phone plays down the line). */
export function coreSound(w: RealWorld, name: string, lang: Lang = 'en'): Heard {
  return measure(readFileSync(path.join(w.coreSounds(lang), `${name}.wav`)));
}

/**
 * A recording holds what the far side said (a core sound it played): as much voiced audio as
 * the sound has (15 % either way: G.711 and the start of a recording blur the edges).
 */
export function expectVoiceOf(w: RealWorld, recording: Buffer, sound: string, what: string): Heard {
  const said = coreSound(w, sound);
  const heard = measure(recording);
  expect(
    heard.voicedSeconds,
    `${what}: ${heard.voicedSeconds.toFixed(2)} s voiced vs ${said.voicedSeconds.toFixed(2)} s in ${sound}`,
  ).to.be.within(said.voicedSeconds * 0.85, said.voicedSeconds * 1.15);
  return heard;
}

/** The phone plays a sound down the line (as if the person spoke) and waits until it is over. */
export async function speak(phones: TestPhones, channelId: string, media: string): Promise<void> {
  const playbackId = `speak-${Math.random().toString(36).slice(2)}`;
  const done = phones.waitEvent(
    (e) => e.type === 'PlaybackFinished' && e.playback?.id === playbackId,
    `the phone to finish playing ${media}`,
    30_000,
  );
  await phones.rest('POST', `/channels/${channelId}/play/${playbackId}?media=${encodeURIComponent(media)}`);
  const end = await done;
  if (end.playback?.state !== 'done') throw new Error(`the phone could not play ${media}: ${end.playback?.state}`);
}

/**
 * Records only what a phone hears (audio arriving on its channel), through an ARI snoop channel:
 * the phones' MixMonitor files mix both directions, this does not. The snoop channel goes
 * away with the call it listens to.
 */
export async function listenIn(phones: TestPhones, channelId: string): Promise<{ stop(): Promise<Buffer> }> {
  const name = `listen-${Math.random().toString(36).slice(2)}`;
  const snoop = (await phones.rest('POST', `/channels/${channelId}/snoop?spy=in&whisper=none&app=${PHONES_APP}&appArgs=snoop`)) as {
    id: string;
  };
  // The snoop channel joins the app a moment after the reply; recording before that is a 409.
  await phones.waitEvent((e) => e.type === 'StasisStart' && e.channel?.id === snoop.id, 'the snoop channel to join the app', 5000, true);
  const started = phones.waitEvent(
    (e) => e.type === 'RecordingStarted' && (e.recording as { name?: string } | undefined)?.name === name,
    `recording ${name} to start`,
    10_000,
  );
  await phones.rest('POST', `/channels/${snoop.id}/record?name=${name}&format=wav&ifExists=overwrite`);
  await started;
  return {
    async stop() {
      const finished = phones.waitEvent(
        (e) => e.type === 'RecordingFinished' && (e.recording as { name?: string } | undefined)?.name === name,
        `recording ${name} to finish`,
        10_000,
        true,
      );
      await phones.rest('POST', `/recordings/live/${name}/stop`);
      await finished;
      const r = await fetch(`${phones.asterisk.ariUrl}/ari/recordings/stored/${name}/file`, {
        headers: phones.asterisk.auth(),
        signal: AbortSignal.timeout(5000),
      });
      if (r.status !== 200) throw new Error(`recording ${name}: ARI answered ${r.status}`);
      return Buffer.from(await r.arrayBuffer());
    },
  };
}

/** Stands in for OnCall's formatted_webhook integration: keeps every alert dozvon posts. */
export class AlertInbox {
  readonly alerts: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<AlertInbox> {
    const server = http.createServer();
    const inbox = new AlertInbox(server);
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        inbox.alerts.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        for (const w of inbox.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return inbox;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/integrations/v1/formatted_webhook/hotline/`;
  }

  /** The first alert, waiting for it if none came yet. */
  async first(timeoutMs = 20_000): Promise<Record<string, unknown>> {
    if (this.alerts.length === 0) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no alert posted to OnCall in ${timeoutMs} ms`)), timeoutMs);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
    return this.alerts[0];
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** dozvon's own account of a hotline call (its "hotline call over" log line). */
export async function hotlineReport(w: RealWorld, timeoutMs = 20_000): Promise<{ outcome: string; states: string }> {
  return w.until(
    () => {
      for (const l of w.logs) {
        const j = JSON.parse(l) as { msg?: string; outcome?: string; states?: string };
        if (j.msg === 'hotline call over') return { outcome: j.outcome!, states: j.states! };
      }
      return null;
    },
    'the hotline call to be over',
    timeoutMs,
  );
}
