/**
 * Nobody on call answered: the caller leaves a message (ended by #, hangup or the length cap),
 * it is stored in the database and served at an unguessable URL, and OnCall gets an alert
 * linking to it — also when the caller hung up without a word, since a missed hotline call matters.
 */
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { randomName } from '../core/ids';
import type { Logger } from '../core/log';
import { maskPhone } from '../core/mask';
import type { CallLeg } from '../telephony/types';
import { promptMedia } from '../tts/prompts';
import type { HotlineAlerter } from './alert';
import type { HotlineIncident } from './incidents';
import type { HotlineMessage, HotlineMessagesRepo } from './messages-repo';
import { messageUrl } from './router';
import { messageTitle, type CallerInfo, type Lang } from './texts';
import { playAndWait } from './connect';

export interface VoicemailOptions {
  messages: Pick<HotlineMessagesRepo, 'insert'>;
  alerter: HotlineAlerter | null;
  clock: Clock;
  publicUrl: string;
  maxSeconds: number;
  /** Aborts alert retries when the hotline stops (the call itself may be long over by then). */
  signal?: AbortSignal;
}

export interface VoicemailInput {
  leg: CallLeg;
  lang: Lang;
  caller: CallerInfo & { userId: number | null };
  incident: HotlineIncident | null;
  log: Logger;
}

const WAV_HEADER = 44;
const WAV_BYTES_PER_SEC = 16_000; // 8 kHz, 16-bit mono: what Asterisk records as `wav`

export class Voicemail {
  constructor(private readonly o: VoicemailOptions) {}

  /** Records (when the caller is still there), then stores and alerts; the caller is not kept waiting for the alert. */
  async record(i: VoicemailInput): Promise<{ message: HotlineMessage | null; alert: Promise<boolean> }> {
    const message = await this.recordAndStore(i);
    return { message, alert: this.alert(i, message) };
  }

  private async recordAndStore(i: VoicemailInput): Promise<HotlineMessage | null> {
    await playAndWait(i.leg, [promptMedia('nobody_answered', i.lang)], i.lang);
    if (i.leg.ended()) return null;
    const startedAt = this.o.clock.now();
    let audio: Buffer;
    let durationSec: number | null;
    try {
      const rec = await i.leg.record({ name: `hotline-${randomName(12)}`, maxDurationSec: this.o.maxSeconds, beep: true });
      durationSec = (await rec.finished).durationSec;
      audio = await rec.fetch();
    } catch (err) {
      i.log.error({ err: errorMessage(err) }, 'voicemail recording failed');
      return null;
    }
    // Under half a second is a caller who pressed # (or hung up) at the beep: Asterisk keeps
    // about 0.2 s of it. That is no message, and the caller must not be told one was passed on.
    if (audio.length - WAV_HEADER < WAV_BYTES_PER_SEC / 2) {
      i.log.info('empty voicemail: nothing stored');
      return null;
    }
    const durationMs = durationSec !== null ? durationSec * 1000 : Math.round(((audio.length - WAV_HEADER) / WAV_BYTES_PER_SEC) * 1000);
    const m = await this.o.messages.insert({
      token: randomName(24),
      caller: i.caller.number,
      userId: i.caller.userId,
      recordedAt: startedAt,
      durationMs,
      contentType: 'audio/wav',
      audio,
      incidentId: i.incident?.alertGroupId ?? null,
      alertUid: `dozvon-hotline-${randomName(12)}`,
    });
    i.log.info({ messageId: m.id, durationMs }, 'voicemail stored');
    return m;
  }

  private alert(i: VoicemailInput, m: HotlineMessage | null): Promise<boolean> {
    if (!this.o.alerter) return Promise.resolve(false);
    const url = m ? messageUrl(this.o.publicUrl, m.token) : null;
    const lines = [
      m
        ? 'A hotline caller left a message: nobody on call answered.'
        : 'A hotline caller asked for the engineer on call; nobody answered and no message was left.',
      `Caller: ${i.caller.name ? `${i.caller.name} ` : ''}${i.caller.number ?? 'unknown number'}${i.caller.name && i.caller.verified === false ? ' (caller ID only, no PIN: not verified)' : ''}`,
      i.incident ? `About: ${i.incident.title}` : null,
      url ? `Recording: ${url}` : null,
    ].filter(Boolean);
    i.log.info({ caller: maskPhone(i.caller.number) }, 'raising the hotline alert in OnCall');
    return this.o.alerter.send(
      {
        alert_uid: m?.alertUid ?? `dozvon-hotline-${randomName(12)}`,
        title: messageTitle(i.caller),
        message: lines.join('\n'),
        state: 'alerting',
        link_to_upstream_details: url,
      },
      this.o.signal,
    );
  }
}
