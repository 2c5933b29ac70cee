/**
 * Digit 9: ring the on-call engineers one after another (the hunt). The caller hears whom they are
 * being connected to and a ring tone; the engineer who answers hears who is calling and about
 * what, then both are bridged until one of them hangs up.
 */
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { maskPhone } from '../core/mask';
import type { Bridge, CallEnd, CallLeg, Playback, Telephony } from '../telephony/types';
import type { Dialer } from '../trunks/dialer';
import type { Tts } from '../tts/types';
import { promptMedia } from '../tts/prompts';
import type { Candidate } from './oncall-now';
import { announceText, type CallerInfo, type Lang } from './texts';

export type ConnectOutcome = 'bridged' | 'nobody' | 'hangup';

export interface ConnectInput {
  caller: CallLeg;
  candidates: Candidate[];
  lang: Lang;
  from: CallerInfo;
  /** Title of the incident being read when 9 was pressed. */
  about: string | null;
  onBridged: () => void;
  log: Logger;
}

export interface ConnectorOptions {
  telephony: Telephony;
  tts: Tts;
  clock: Clock;
  /** Dials on the trunks in order, failing over when a carrier refuses the call. */
  dialer: Dialer;
  callerId: string;
  ringTimeoutSec: number;
  /** Our own deadline beyond the ring timeout, in case Asterisk never says (default 10 000). */
  ringGraceMs?: number;
  /** What the caller hears while an engineer's phone rings. */
  holdMedia?: string;
}

type Attempt = 'bridged' | 'hangup' | 'next';

export class Connector {
  constructor(private readonly o: ConnectorOptions) {}

  async connect(i: ConnectInput): Promise<ConnectOutcome> {
    for (const c of i.candidates) {
      if (i.caller.ended()) return 'hangup';
      const r = await this.tryOne(i, c).catch((err: unknown): Attempt => {
        i.log.warn({ to: maskPhone(c.phone), err: errorMessage(err) }, 'connect attempt failed');
        return 'next';
      });
      if (r !== 'next') return r;
    }
    return i.caller.ended() ? 'hangup' : 'nobody';
  }

  private async tryOne(i: ConnectInput, c: Candidate): Promise<Attempt> {
    const log = i.log.child({ to: maskPhone(c.phone) });
    const name = await this.o.tts.render(c.name, i.lang).catch((err: unknown) => warn(log, 'name speech failed', err));
    await playAndWait(i.caller, [promptMedia('connecting_to', i.lang), ...(name?.media ?? [])], i.lang);
    if (i.caller.ended()) return 'hangup';
    const hold = await i.caller
      .play([this.o.holdMedia ?? 'tone:ring'], { lang: i.lang })
      .catch((err: unknown) => warn(log, 'hold tone failed', err));
    try {
      const { leg } = await this.o.dialer.dial(c.phone, {
        callerId: this.o.callerId,
        timeoutSec: this.o.ringTimeoutSec,
        appArgs: ['hotline-connect'],
      });
      log.info('ringing the on-call engineer');
      const answered = await this.waitAnswer(leg, i.caller, log);
      if (answered === 'caller-gone') {
        await leg.hangup('normal').catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'cancelling the engineer call failed'));
        return 'hangup';
      }
      if (answered === 'ended') {
        log.info({ outcome: leg.ended()?.outcome }, 'engineer did not answer: next');
        return 'next';
      }
      return await this.announceAndBridge(i, c, leg, hold, log);
    } finally {
      await stopQuietly(hold, log);
    }
  }

  private async announceAndBridge(i: ConnectInput, c: Candidate, leg: CallLeg, hold: Playback | null, log: Logger): Promise<Attempt> {
    const speech = await this.o.tts
      .render(announceText(i.from, i.about, c.lang), c.lang)
      .catch((err: unknown) => warn(log, 'announcement speech failed', err));
    await playAndWait(leg, speech?.media ?? [promptMedia('connecting_to', c.lang)], c.lang);
    if (i.caller.ended()) {
      await leg.hangup('normal').catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'hangup of engineer failed'));
      return 'hangup';
    }
    if (leg.ended()) return 'next';
    await stopQuietly(hold, log);
    let bridge: Bridge;
    try {
      bridge = await this.o.telephony.bridge(i.caller, leg);
    } catch (err) {
      log.error({ err: errorMessage(err) }, 'bridge failed');
      await leg.hangup('normal').catch((err: unknown) => warn(log, 'hangup of engineer failed', err));
      return 'next';
    }
    i.onBridged();
    await firstEnd([i.caller, leg]);
    await Promise.all(
      [i.caller.hangup('normal'), leg.hangup('normal'), bridge.destroy()].map((p) =>
        p.catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'cleanup after bridge failed')),
      ),
    );
    log.info('bridged call ended');
    return 'bridged';
  }

  /** Answer, an end before it, or the caller giving up; a deadline of our own in case Asterisk stays silent. */
  private waitAnswer(leg: CallLeg, caller: CallLeg, log: Logger): Promise<'answered' | 'ended' | 'caller-gone'> {
    return new Promise((resolve) => {
      const done = (r: 'answered' | 'ended' | 'caller-gone') => {
        timer.cancel();
        leg.off('answered', onAnswered);
        leg.off('ended', onEnded);
        caller.off('ended', onCallerGone);
        resolve(r);
      };
      const onAnswered = () => done('answered');
      const onEnded = () => done('ended');
      const onCallerGone = () => done('caller-gone');
      const timer = this.o.clock.setTimeout(
        () => {
          void leg.hangup('no_answer').catch((err: unknown) => warn(log, 'cancel after ring deadline failed', err));
          done('ended');
        },
        this.o.ringTimeoutSec * 1000 + (this.o.ringGraceMs ?? 10_000),
      );
      leg.on('answered', onAnswered);
      leg.on('ended', onEnded);
      caller.on('ended', onCallerGone);
      if (caller.ended()) done('caller-gone');
      else if (leg.isUp()) done('answered');
      else if (leg.ended()) done('ended');
    });
  }
}

export async function playAndWait(leg: CallLeg, media: string[], lang: string): Promise<void> {
  if (leg.ended() || media.length === 0) return;
  // A play refused because the leg just ended is the only expected failure; the caller checks ended().
  const pb = await leg.play(media, { lang }).catch((err: unknown) => (leg.ended() ? null : Promise.reject(err)));
  if (pb) await pb.finished;
}

function warn(log: Logger, what: string, err: unknown): null {
  log.warn({ err: errorMessage(err) }, what);
  return null;
}

function stopQuietly(pb: Playback | null, log: Logger): Promise<void> {
  return pb ? pb.stop().catch((err: unknown) => log.debug({ err: errorMessage(err) }, 'hold tone already gone')) : Promise.resolve();
}

/** Resolves when the first of the legs ends (at once if one already has). */
function firstEnd(legs: CallLeg[]): Promise<CallEnd> {
  return new Promise((resolve) => {
    const over = legs.map((l) => l.ended()).find((e) => e);
    if (over) return resolve(over);
    const handlers = legs.map((l) => {
      const fn = (end: CallEnd) => {
        legs.forEach((x, k) => x.off('ended', handlers[k]));
        resolve(end);
      };
      l.on('ended', fn);
      return fn;
    });
  });
}
