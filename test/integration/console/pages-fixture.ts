/**
 * Pages for the console's Pages tests, seeded through the real repositories at chosen times: a
 * delivered call with what it played (a real rendered file in the app's TTS folder, prompts, a
 * reply whose file was pruned), an SMS of the same alert group, a failed call with a hostile
 * message, an old cancelled Russian page and a pending heartbeat page.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NotificationsRepo, type PlayedItem } from '../../../src/db/notifications-repo';
import { encodeWav, parseWav } from '../../../src/tts/audio/wav';
import { SOUNDS_ROOT } from '../../../src/tts/prompts';
import type { RunningApp } from './harness';

export const EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
export const ALICE_PHONE = '+79161234567';
export const SUMMARY_FILE = 'SummarySummarySummarySummary0001.wav';
export const REPLY_FILE = 'ReplyReplyReplyReplyReplyRep0002.wav';
export const SUMMARY_MS = 2300;
export const DAY = 86_400_000;

export interface Seeded {
  now: number;
  call: number;
  callAttempt: number;
  sms: number;
  failed: number;
  russian: number;
  heartbeat: number;
  /** The call whose every file is gone. */
  gone: number;
  goneAttempt: number;
  played: PlayedItem[];
}

/** Length in ms of a WAV file (prompts in sounds/, rendered speech). */
export function wavMs(file: string): number {
  const w = parseWav(readFileSync(file));
  return (w.samples.length / w.channels / w.sampleRate) * 1000;
}

export function promptMs(id: string, lang = 'en'): number {
  return wavMs(path.join(SOUNDS_ROOT, lang, 'dozvon', `${id}.wav`));
}

/** A 16-bit mono WAV with a tone in it (not silence: the browser must decode something). */
export function toneWav(ms: number, rate = 8000): Buffer {
  const s = new Int16Array(Math.round((ms / 1000) * rate));
  for (let i = 0; i < s.length; i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / rate));
  return encodeWav(s, rate);
}

/** Inserted oldest first, so ids grow with time as they do in production. */
export async function seedPages(t: RunningApp, now = Date.now()): Promise<Seeded> {
  let at = now;
  const repo = new NotificationsRepo(t.app.db, () => at);
  const users = t.app.users;
  const alice = await users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: ALICE_PHONE }, { lang: 'en' });
  const bob = await users.create({ email: 'bob@example.com', name: `Bob ${EVIL}`, phone: '+15557654321' }, { lang: 'en' });
  const ivan = await users.create({ email: 'ivan@example.ru', name: 'Иван Петров', phone: '+79031112233' }, { lang: 'ru' });

  const ttsDir = t.app.tts.store.dir;
  mkdirSync(ttsDir, { recursive: true });
  writeFileSync(path.join(ttsDir, SUMMARY_FILE), toneWav(SUMMARY_MS));
  const media = (f: string) => `sound:http://dozvon.test:8080/media/${f}`;
  const played: PlayedItem[] = [
    { media: ['sound:dozvon/greeting'], lang: 'en' },
    { media: [media(SUMMARY_FILE)], lang: 'en' },
    { media: ['sound:dozvon/menu'], lang: 'en' },
    { media: [media(REPLY_FILE)], lang: 'en' },
    { media: ['sound:dozvon/goodbye'], lang: 'en' },
  ];

  at = now - 40 * DAY;
  const russian = (
    await repo.enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: ivan.id,
      email: ivan.email,
      message: 'Диск переполнен: 100% на db_1',
      correlation: 'none',
    })
  ).notification.id;
  await repo.cancelPending(russian, 'settled-elsewhere', 'acknowledged in OnCall');

  at = now - 5 * DAY;
  const gone = (
    await repo.enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: alice.id,
      email: alice.email,
      message: 'Old page whose audio is gone',
    })
  ).notification.id;
  const goneAttempt = await repo.startAttempt({ notificationId: gone, channel: 'voice' });
  await repo.updateAttempt(goneAttempt, {
    answeredAt: at + 3000,
    endedAt: at + 20_000,
    outcome: 'answered',
    played: [{ media: [media(REPLY_FILE), 'number:3'], lang: 'en' }],
  });
  await repo.finish(gone, null, 'failed', 'not-delivered', 'no digit');

  at = now - 3 * DAY;
  const failed = (
    await repo.enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: bob.id,
      email: bob.email,
      message: `Database down ${EVIL}`,
      correlation: 'none',
    })
  ).notification.id;
  const busy = await repo.startAttempt({ notificationId: failed, channel: 'voice' });
  await repo.updateAttempt(busy, {
    ringingAt: at + 800,
    endedAt: at + 2000,
    outcome: 'busy',
    cause: '17 User busy; dial BUSY',
    played: [],
  });
  await repo.finish(failed, null, 'failed', 'not-delivered', 'busy 3 times');

  at = now - 2 * 3600_000;
  const call = (
    await repo.enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: alice.id,
      email: alice.email,
      message: 'Disk full on web1.example.com',
      alertGroupId: 'IGROUP1',
      correlation: 'exact',
    })
  ).notification.id;
  const callAttempt = await repo.startAttempt({ notificationId: call, channel: 'voice' });
  const t0 = at;
  await repo.updateAttempt(callAttempt, {
    ringingAt: t0 + 1200,
    answeredAt: t0 + 6200,
    endedAt: t0 + 48_200,
    outcome: 'answered',
    cause: '16 Normal Clearing',
    digits: '1',
    action: 'acknowledge',
    result: 'Acknowledged.',
    played,
    trunk: 'second',
    legs: [
      { trunk: 'first', phoneIndex: 0, startedAt: t0, endedAt: t0 + 80, outcome: 'congestion', cause: 34, sipCode: 503 },
      { trunk: 'second', phoneIndex: 0, startedAt: t0 + 90, endedAt: t0 + 48_200, outcome: 'answered', cause: 16, sipCode: null },
    ],
  });
  at = t0 + 48_300;
  await repo.finish(call, null, 'delivered', 'digit', 'pressed 1: Acknowledged.');

  at = now - 2 * 3600_000 + 60_000;
  const sms = (
    await repo.enqueue({
      kind: 'sms',
      source: 'oncall-cloud',
      userId: alice.id,
      email: alice.email,
      message: 'Disk full on web1.example.com (SMS)',
      alertGroupId: 'IGROUP1',
      correlation: 'matched',
    })
  ).notification.id;
  const smsAttempt = await repo.startAttempt({ notificationId: sms, channel: 'sms:gateway' });
  await repo.updateAttempt(smsAttempt, { endedAt: at + 900, outcome: 'sent', result: 'id 42' });
  await repo.finish(sms, null, 'delivered', 'sent', 'sent by sms');

  at = now - 10 * 60_000;
  const heartbeat = (
    await repo.enqueue({
      kind: 'call',
      source: 'heartbeat',
      userId: null,
      email: 'carol@example.com',
      message: 'Heartbeat nightly-backup is down',
    })
  ).notification.id;

  return { now, call, callAttempt, sms, failed, russian, heartbeat, gone, goneAttempt, played };
}
