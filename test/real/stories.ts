/**
 * What the outbound stories share: a team in OnCall and dozvon (Alice is paged, Bob and Carol
 * are who 2 and 3 page), the phone's script verbs beyond phones.ts (wait for a prompt, press
 * while the menu plays), and the audible proof: what each played item lasted on the phone,
 * from the phones' playback events, against the recording.
 */
import { expect } from 'chai';
import type { Suite } from 'mocha';
import type { RealAsterisk } from './asterisk/process';
import { useRealAsterisk } from './setup';
import { realWorld, RealWorld, WorldOptions, pageText } from './world';
import { TestPhones, PhoneCall } from './phones';
import { measure, mediaSeconds } from './audio';

export const ALICE_PHONE = '15550001111';

const TEAM_YAML = `
escalation:
  default: { users: [bob@example.com] }
reassign:
  - { label: Database team, users: [carol@example.com] }
  - { label: Bob, users: [bob@example.com] }
`;

export interface Story {
  w: RealWorld;
  /** OnCall user ids. */
  alice: string;
  bob: string;
  carol: string;
  /** A new firing alert group in OnCall and its make_call for Alice; the notification id. */
  page(title: string): Promise<{ id: number; group: string }>;
  /** Every text dozvon asked its speech engine to say, in order. */
  said: string[];
}

export async function story(asterisk: RealAsterisk, opts: WorldOptions = {}): Promise<Story> {
  const w = await realWorld(asterisk, { yaml: TEAM_YAML, ...opts, env: { DOZVON_TTS: 'espeak', ...opts.env } });
  const s = w.oncall.state;
  const alice = s.addUser({ email: 'alice@example.com', token: 'tok-alice', username: 'alice' }).id;
  const bob = s.addUser({ email: 'bob@example.com', username: 'bob' }).id;
  const carol = s.addUser({ email: 'carol@example.com', username: 'carol' }).id;
  const integ = s.addIntegration({ name: 'Prod' });
  await w.app.users.create(
    { email: 'alice@example.com', name: 'Alice Smith', phone: `+${ALICE_PHONE}`, oncall_token: 'tok-alice' },
    { lang: 'en' },
  );
  await w.app.users.create({ email: 'bob@example.com', name: 'Bob Jones', phone: '+15550002222' }, { lang: 'en' });
  const said: string[] = [];
  const render = w.app.tts.render.bind(w.app.tts);
  w.app.tts.render = (text, ...rest) => (said.push(text), render(text, ...rest));
  return {
    w,
    alice,
    bob,
    carol,
    said,
    async page(title) {
      const group = s.addAlertGroup({ integrationId: integ.id, title }).id;
      return { id: await w.makeCall('alice@example.com', pageText(title, group)), group };
    },
  };
}

const closed = new WeakSet<RealWorld>();

/** Prints what a failed story saw, then closes its world (and phones reconnected after a restart) once. */
export async function closeStory(w: RealWorld | undefined, failed: boolean): Promise<void> {
  if (!w || closed.has(w)) return;
  closed.add(w);
  if (failed) {
    process.stderr.write(`phones saw: ${JSON.stringify(items(w).map((p) => `${p.media} ${p.ms} ms`))}\n`);
    process.stderr.write(
      `${w.logs
        .filter((l) => /"level":(40|50)|call state|call ended/.test(l))
        .slice(-30)
        .join('')}`,
    );
  }
  w.phones.close();
  await w.close();
}

/**
 * Call inside describe(): the file's own Asterisk, a fresh story on it before each test, and the
 * story closed after it (printing what a failed one saw). Returns the running test's story.
 */
export function useStory(suite: Suite, opts: WorldOptions = {}): () => Story {
  const asterisk = useRealAsterisk(suite);
  let current: Story | undefined;
  suite.beforeEach(async () => {
    current = await story(asterisk(), opts);
  });
  suite.afterEach(async function () {
    await closeStory(current?.w, this.currentTest?.state === 'failed');
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('no story: useStory() starts one before each test');
    return current;
  };
}

/** The phone takes the next call to `number` and answers it. */
export async function answered(w: RealWorld, number = ALICE_PHONE, timeoutMs = 20_000): Promise<PhoneCall> {
  const call = await w.phones.expectCall(number, timeoutMs);
  await call.answer();
  return call;
}

/** Resolves when dozvon starts playing something that matches (the next such playback). */
export function starts(w: RealWorld, what: RegExp, timeoutMs = 60_000): Promise<{ id: string }> {
  return w.phones.waitPlayback((m) => what.test(m), String(what), timeoutMs);
}

/** Resolves when that playback ends (done, stopped or failed). */
export async function ends(w: RealWorld, pb: { id: string }, timeoutMs = 40_000): Promise<void> {
  await w.phones.waitEvent((e) => e.type === 'PlaybackFinished' && e.playback?.id === pb.id, `playback ${pb.id} to end`, timeoutMs, true);
}

export const SPEECH = /^sound:http:\/\/.*\/media\//;
export const MENU = /dozvon\/menu$/;

/** Presses a digit once the menu has played for `afterMs`: a person who knows what to press. */
export async function pressDuringMenu(w: RealWorld, call: PhoneCall, digit: string, afterMs = 800): Promise<void> {
  await starts(w, MENU);
  await new Promise((r) => setTimeout(r, afterMs));
  await call.press(digit);
}

export interface PlayedItem {
  playback: string;
  target: string;
  media: string;
  /** Asterisk's timestamps of the item's start and end (ms since the epoch). */
  start: number;
  end: number | null;
  /** How long the phone heard it, by those timestamps. */
  ms: number | null;
}

function asteriskTime(ts: unknown): number {
  // Asterisk writes "2026-12-04T16:53:27.103+0000"; Date.parse wants "+00:00".
  return Date.parse(String(ts).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/**
 * Every item dozvon played, in order, from the phones' view of the playback events. Asterisk 22
 * starts each item of a list with PlaybackStarted and ends it with PlaybackContinuing (or
 * PlaybackFinished for the last, or a stopped one). `target` narrows to one dozvon channel.
 */
export function items(w: RealWorld, target?: string): PlayedItem[] {
  const out: PlayedItem[] = [];
  const open = new Map<string, PlayedItem>();
  for (const e of w.phones.events) {
    const pb = e.playback;
    if (!pb || (target && pb.target_uri !== `channel:${target}`)) continue;
    const at = asteriskTime(e.timestamp);
    if (e.type === 'PlaybackStarted') {
      const item: PlayedItem = {
        playback: pb.id,
        target: pb.target_uri.replace(/^channel:/, ''),
        media: pb.media_uri,
        start: at,
        end: null,
        ms: null,
      };
      open.set(pb.id, item);
      out.push(item);
    } else if (e.type === 'PlaybackContinuing' || e.type === 'PlaybackFinished') {
      const item = open.get(pb.id);
      if (!item) continue;
      item.end = at;
      item.ms = at - item.start;
      open.delete(pb.id);
    }
  }
  return out;
}

/** dozvon's channel of the call (its playbacks' target). */
export function dozvonChannel(w: RealWorld): string {
  const first = items(w)[0];
  if (!first) throw new Error('dozvon played nothing');
  return first.target;
}

/**
 * The seconds of audio dozvon sent for these items: a whole item lasts its file; one cut short
 * (barge-in, hang-up) lasts until Asterisk said it stopped.
 */
export function playedSeconds(w: RealWorld, played: PlayedItem[], lang = 'en'): number {
  return played.reduce((s, p) => {
    const full = mediaSeconds(p.media, lang, w.ttsDir, w.coreSounds(lang));
    return s + (p.ms === null ? full : Math.min(full, p.ms / 1000));
  }, 0);
}

/** Audible proof: the phone's recording is speech, as long as what dozvon played (±10 %). */
export async function expectHeard(
  w: RealWorld,
  call: PhoneCall,
  played: PlayedItem[],
  lang = 'en',
): Promise<{ heard: number; played: number }> {
  const seconds = playedSeconds(w, played, lang);
  const heard = measure(await call.recording());
  expect(heard.voicedSeconds, `speech reached the phone (${heard.voicedSeconds.toFixed(2)} s voiced)`).to.be.greaterThan(
    Math.min(1, seconds / 3),
  );
  expect(heard.seconds, `recording ${heard.seconds.toFixed(2)} s vs played ${seconds.toFixed(2)} s`).to.be.within(
    seconds * 0.9,
    seconds * 1.1,
  );
  return { heard: heard.seconds, played: seconds };
}

/**
 * Barge-in: how long after Asterisk delivered the digit to dozvon the item then playing stopped
 * (ms), and which item that was.
 */
export function bargeIn(w: RealWorld, digit: string, nth = 0): { media: string; afterMs: number } {
  const target = dozvonChannel(w);
  const dtmf = w.phones.events.filter((e) => e.type === 'ChannelDtmfReceived' && e.channel?.id === target && e.digit === digit)[nth];
  if (!dtmf) throw new Error(`dozvon's channel never received ${digit}`);
  const at = asteriskTime(dtmf.timestamp);
  const cut = items(w, target).find((p) => p.start <= at && (p.end === null || p.end >= at));
  if (!cut || cut.end === null) throw new Error(`nothing was playing when ${digit} arrived`);
  return { media: cut.media, afterMs: cut.end - at };
}

export interface PageRow {
  id: number;
  state: string;
  attempts: number;
  next_attempt_at: number;
  outcome: string | null;
  reason: string | null;
}

export function pageRow(w: RealWorld, id: number): Promise<PageRow> {
  return w.app.db('notifications').where({ id }).first();
}

/** The page after its `n`th call ended without delivery: pending again, with the reason and when. */
export function rescheduled(w: RealWorld, id: number, n = 1, timeoutMs = 60_000): Promise<PageRow> {
  return w.until(
    async () => {
      const row = await pageRow(w, id);
      return row.state === 'pending' && row.attempts === n ? row : null;
    },
    `page ${id} to be rescheduled after call ${n}`,
    timeoutMs,
  );
}

/** The `n`th attempt of a page once it has ended. */
export function endedAttempt(w: RealWorld, id: number, n = 0, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  return w.until(
    async () => ((await w.attempts(id))[n]?.ended_at ? (await w.attempts(id))[n] : null),
    `attempt ${n + 1} of page ${id} to end`,
    timeoutMs,
  );
}

/** The phones' app again after Asterisk restarted (its event socket died with the old process). */
export async function reconnectPhones(w: RealWorld): Promise<void> {
  w.phones.close();
  w.phones = await TestPhones.connect(w.asterisk);
}
