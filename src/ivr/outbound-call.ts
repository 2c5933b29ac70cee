/**
 * One outbound page call: render the summary, originate, on answer read it with
 * barge-in, take a menu digit, act on OnCall, say what happened, hang up. Runs as an
 * explicit state machine; every exit path reports what happened for the attempts table.
 */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { maskPhone } from '../core/mask';
import { AppError, errorMessage } from '../core/errors';
import type { CallLeg, CallEnd } from '../telephony/types';
import { checkDialable } from '../telephony/dial-string';
import type { Dialer, DialResult } from '../trunks/dialer';
import type { Tts } from '../tts/types';
import { promptMedia } from '../tts/prompts';
import { bundleSentences } from '../oncall/summary';
import type { AttemptOutcome, CallReport, CallRunner, OutboundCall } from './call-types';
import { prompt } from './prompt';
import { TypeAhead } from './type-ahead';
import { CallStateMachine } from './call-states';
import { MenuActions, MenuResult, resultPrompt, runMenuAction } from './menu-actions';
import type { AlertPageActions } from './alert-pages';
import type { PageTaking } from './without-oncall';
import { playedOn, speechFailuresOf } from './playable-telephony';
import type { CallProgressEvent, CallProgressSink } from './call-progress';
import type { VoicemailSection } from '../voicemail/config';
import { VoicemailWatch, talkDetectOf } from '../voicemail/watch';
import { answerMachine } from '../voicemail/call';
import { dialPhonesInOrder, type PhoneDial } from './dial-phones';

export interface OutboundCallOptions {
  callerId: string;
  ringTimeoutSec?: number;
  menuTimeoutMs?: number;
  menuReplays?: number;
  maxCallMs?: number;
  /** Answering-machine detection and the message left on one; absent: every answer is a person. */
  voicemail?: VoicemailSection | null;
}

export interface OutboundCallDeps {
  /** Places the call on the trunks in order, failing over inside this attempt. */
  dialer: Dialer;
  tts: Tts;
  actions: MenuActions | null;
  /** Digit 1 on dozvon's own pages (heartbeats, test calls) tells the others paged about them. */
  taking?: PageTaking | null;
  /** Digits on alert pages act on the alert (alerts module). */
  alerts?: AlertPageActions | null;
  clock: Clock;
  logger: Logger;
  secrets: (userId: number) => Promise<{ oncallToken: string | null }>;
  /** Live progress for the console (test calls); optional. */
  progress?: CallProgressSink;
}

const MENU_DIGITS = '12340*';
/** After "one moment", how long the summary may still take before the menu is read without it. */
const SUMMARY_WAIT_MS = 8_000;

interface SummaryInProgress {
  ready: boolean;
  media: string[];
  done: Promise<void>;
}

export class OutboundCallRunner implements CallRunner {
  constructor(
    private readonly deps: OutboundCallDeps,
    private readonly opts: OutboundCallOptions,
  ) {}

  async run(call: OutboundCall, signal: AbortSignal): Promise<CallReport> {
    return new OutboundCallSession(this.deps, this.opts, call, signal).run();
  }
}

class OutboundCallSession {
  private readonly fsm: CallStateMachine;
  private readonly log: Logger;
  private readonly report: CallReport;
  private leg: CallLeg | null = null;
  private answeredPhone: string | null = null;
  private readonly dialled = once(() => this.call.onDialled?.());
  /** The call's pages, replaced by their prepared form once ready (the alert groups digits act on). */
  private pages: OutboundCall['pages'];

  constructor(
    private readonly deps: OutboundCallDeps,
    private readonly opts: OutboundCallOptions,
    private readonly call: OutboundCall,
    private readonly signal: AbortSignal,
  ) {
    this.log = deps.logger.child({ callId: call.callId, phone: maskPhone(call.user.phone) });
    this.fsm = new CallStateMachine((from, to) => this.log.info({ from, to }, 'call state'));
    this.pages = call.pages;
    this.report = {
      outcome: 'failed',
      delivered: false,
      digits: '',
      action: null,
      actionStatus: null,
      result: null,
      cause: null,
      ringingAt: null,
      answeredAt: null,
      endedAt: 0,
      settledAlertGroups: [],
    };
  }

  async run(): Promise<CallReport> {
    const cap = this.deps.clock.setTimeout(() => void this.leg?.hangup('normal').catch(() => undefined), this.opts.maxCallMs ?? 5 * 60_000);
    try {
      await this.main();
    } catch (e) {
      this.log.error({ err: errorMessage(e) }, 'call failed');
      if (this.report.outcome === 'answered') this.report.result ??= `error: ${errorMessage(e)}`;
      await this.leg?.hangup('normal').catch(() => undefined);
    } finally {
      cap.cancel();
      if (this.fsm.state !== 'done') this.fsm.to('done');
      this.report.endedAt = this.deps.clock.now();
      for (const l of this.report.legs ?? []) l.endedAt ??= this.report.endedAt;
      const failed = speechFailuresOf(this.leg);
      this.report.played = playedOn(this.leg);
      if (failed.length)
        this.report.speech = `prompts: rendered speech could not be played (${failed.length} time${failed.length > 1 ? 's' : ''})`;
      this.emit({
        phase: 'ended',
        outcome: this.report.outcome,
        cause: this.report.cause,
        action: this.report.action,
        result: this.report.result,
      });
    }
    return this.report;
  }

  /**
   * Ring first: the phone is dialled at once, and the summary (correlation, enrichment, speech)
   * is finished while it rings. Answered before it is ready, the engineer hears the greeting
   * and "one moment", then the summary: never silence.
   */
  private async main(): Promise<void> {
    const { user } = this.call;
    const lang = user.lang;
    const summary = this.prepareSummary(lang);
    const numbers = user.phones.map((p) => p.number);
    if (numbers.length === 0) return this.stop('unreachable', 'no phone number');
    this.fsm.to('dialing');
    this.emit({ phase: 'dialing' });
    const round = await dialPhonesInOrder(
      numbers,
      (number, i) => this.dialOne(number, i),
      () => this.deps.clock.now(),
      () => this.signal.aborted,
    );
    this.report.legs = round.legs;
    this.report.trunk = round.result.trunk;
    if (round.result.status === 'unanswered') {
      this.report.outcome = round.result.outcome;
      this.report.cause =
        numbers.length > 1 ? `phone ${round.phoneIndex + 1} of ${numbers.length}: ${round.result.cause}` : round.result.cause;
      if (round.result.end === null) this.log.warn({ outcome: this.report.outcome, cause: this.report.cause }, 'call not placed');
      return;
    }
    this.leg = round.result.leg;
    this.answeredPhone = numbers[round.phoneIndex];
    this.fsm.to('answered');
    this.report.answeredAt = this.deps.clock.now();
    this.report.outcome = 'answered';
    this.emit({ phase: 'answered' });
    const leg = this.leg;
    const typeAhead = new TypeAhead(leg, this.deps.clock);
    // Started at the answer and run alongside the greeting: the first words never wait for a verdict.
    const watch = this.opts.voicemail?.detect ? new VoicemailWatch(leg, this.deps.clock, this.opts.voicemail, this.log) : null;
    watch?.start();
    let left = false;
    try {
      const cut = new AbortController();
      void watch?.machine.then(() => cut.abort());
      await this.converse(leg, summary, lang, typeAhead, cut.signal);
      if (watch && cut.signal.aborted && !leg.ended()) left = await this.voicemail(leg, watch, lang, summary, typeAhead);
    } finally {
      typeAhead.dispose();
      watch?.dispose();
    }
    if (!left && !leg.ended()) {
      this.fsm.to('goodbye');
      await this.playAndWait(leg, [promptMedia('goodbye', lang)], lang);
      await leg.hangup('normal').catch(() => undefined);
    }
    this.fillCause(await this.endOf(leg));
  }

  /** Greeting, summary, menu: the call as a person hears it; `cut` ends it where it stands. */
  private async converse(
    leg: CallLeg,
    summary: SummaryInProgress,
    lang: 'en' | 'ru',
    typeAhead: TypeAhead,
    cut?: AbortSignal,
  ): Promise<void> {
    const greeting = promptMedia('greeting', lang);
    let first: string[];
    if (summary.ready) {
      first = [greeting, ...summary.media];
    } else {
      await this.holdUntilReady(leg, summary, lang, cut); // greeting and "one moment" heard
      first = [...summary.media];
    }
    if (cut?.aborted) return;
    await this.menu(leg, first, () => [greeting, ...summary.media], lang, typeAhead, cut);
  }

  /** An answering machine: what played was stopped; the message, unless a digit shows a person after all. */
  private async voicemail(
    leg: CallLeg,
    watch: VoicemailWatch,
    lang: 'en' | 'ru',
    summary: SummaryInProgress,
    typeAhead: TypeAhead,
  ): Promise<boolean> {
    this.report.outcome = 'voicemail';
    const r = await answerMachine({
      leg,
      watch,
      tts: this.deps.tts,
      pages: this.pages,
      lang,
      callbackNumber: this.opts.voicemail?.callback_number ?? null,
      signal: this.signal,
      log: this.log,
      enter: (s) => this.fsm.to(s),
      asPerson: () => {
        this.report.outcome = 'answered';
        return this.converse(leg, summary, lang, typeAhead);
      },
    });
    if (r.kind === 'person') return false;
    this.report.result = r.result;
    this.emit({ phase: 'action', action: 'voicemail', result: r.result });
    return true;
  }

  /** Starts the summary now; `ready`/`media` fill in when it is done (it never rejects). */
  private prepareSummary(lang: 'en' | 'ru'): SummaryInProgress {
    const out: SummaryInProgress = { ready: false, media: [], done: Promise.resolve() };
    out.done = (async () => {
      const pages = this.call.ready ? await this.call.ready.catch(() => this.call.pages) : this.call.pages;
      this.pages = pages;
      const summaries = pages.map((p) => p.summary).filter((x) => x !== null);
      const text = summaries.length === pages.length ? bundleSentences(summaries, lang) : pages.map((p) => p.text).join(' ');
      const speech = await this.deps.tts.render(text, lang, this.signal).catch((e: unknown) => {
        this.log.warn({ err: errorMessage(e) }, 'summary speech failed; greeting with prompts only');
        return null;
      });
      out.media = speech?.media ?? [];
      out.ready = true;
    })();
    return out;
  }

  /**
   * Answered before the summary was ready: the greeting plays (digits typed meanwhile are kept),
   * then "one moment" if still needed, then we wait a bounded time.
   */
  private async holdUntilReady(leg: CallLeg, summary: SummaryInProgress, lang: 'en' | 'ru', cut?: AbortSignal): Promise<void> {
    this.log.info('answered before the summary was ready: greeting first');
    // Hurried once the greeting plays: their preparation must not hold up this call's first words.
    await this.playAndWait(leg, [promptMedia('greeting', lang)], lang, undefined, cut, () => this.call.hurry?.());
    if (!summary.ready && !leg.ended() && !cut?.aborted)
      await this.playAndWait(leg, [promptMedia('one_moment', lang)], lang, undefined, cut);
    if (!summary.ready && !leg.ended() && !cut?.aborted) {
      let timer: { cancel(): void } | null = null;
      const cap = new Promise<void>((resolve) => (timer = this.deps.clock.setTimeout(resolve, SUMMARY_WAIT_MS)));
      await Promise.race([summary.done, cap, ...(cut ? [aborted(cut)] : [])]);
      (timer as { cancel(): void } | null)?.cancel();
      if (!summary.ready) this.log.warn({ waitedMs: SUMMARY_WAIT_MS }, 'summary still not ready: going on with the menu');
    }
  }

  /** One of the person's phones, through the trunks (which fail over among themselves), up to its answer or its end. */
  private async dialOne(number: string, phoneIndex: number): Promise<PhoneDial> {
    const unanswered = (outcome: AttemptOutcome, cause: string, end: CallEnd | null = null, dialled?: DialResult): PhoneDial => ({
      status: 'unanswered',
      outcome,
      end,
      cause,
      trunk: dialled?.trunk ?? null,
      legs: dialled?.legs,
    });
    if (phoneIndex > 0) {
      this.log.info({ to: maskPhone(number), phoneIndex }, 'not answered: ringing the next phone');
      this.fsm.to('dialing');
      this.emit({ phase: 'dialing' });
    }
    try {
      checkDialable(number);
    } catch (e) {
      return unanswered('unreachable', `not dialable: ${errorMessage(e)}`);
    }
    let dialled: DialResult;
    try {
      dialled = await this.deps.dialer.dial(number, {
        callerId: this.opts.callerId,
        timeoutSec: this.opts.ringTimeoutSec ?? 30,
        appArgs: ['page', this.call.callId],
        phoneIndex,
        signal: this.signal,
        ...(this.opts.voicemail?.detect ? { talkDetect: talkDetectOf(this.opts.voicemail) } : {}),
      });
    } catch (e) {
      const notConfigured = e instanceof AppError && e.code === 'telephony-not-configured';
      const unavailable = e instanceof AppError && (e.code === 'telephony-unavailable' || e.code === 'ari-unavailable');
      return unanswered(notConfigured ? 'not-configured' : unavailable ? 'unavailable' : 'failed', errorMessage(e));
    }
    const leg = (this.leg = dialled.leg);
    this.fsm.to('ringing');
    this.report.ringingAt ??= this.deps.clock.now();
    this.emit({ phase: 'ringing' });
    const end = await this.waitAnswer(leg);
    if (end === null) return { status: 'answered', leg, trunk: dialled.trunk, legs: dialled.legs };
    return unanswered(this.signal.aborted ? 'interrupted' : mapOutcome(end), causeText(end), end, dialled);
  }

  /** Resolves null on answer, or how the leg ended before anyone answered. */
  private waitAnswer(leg: CallLeg): Promise<CallEnd | null> {
    return new Promise((resolve) => {
      if (leg.isUp()) return resolve(null);
      const onAbort = () => void leg.hangup('normal').catch(() => undefined);
      const done = (end: CallEnd | null) => {
        leg.off('answered', onAnswered);
        leg.off('ended', onEnded);
        this.signal.removeEventListener('abort', onAbort);
        resolve(end);
      };
      const onAnswered = () => done(null);
      const onEnded = (end: CallEnd) => done(end);
      leg.on('answered', onAnswered);
      leg.on('ended', onEnded);
      this.signal.addEventListener('abort', onAbort, { once: true });
      const end = leg.ended();
      if (end) onEnded(end);
    });
  }

  private async menu(
    leg: CallLeg,
    first: string[],
    summaryMedia: () => string[],
    lang: 'en' | 'ru',
    typeAhead: TypeAhead,
    cut?: AbortSignal,
  ): Promise<void> {
    let media = [...first, promptMedia('menu', lang)];
    let silent = 0;
    for (;;) {
      if (this.signal.aborted) return void (await leg.hangup('normal').catch(() => undefined));
      if (cut?.aborted) return;
      this.fsm.to('playing');
      const r = await prompt(leg, this.deps.clock, {
        media,
        lang,
        maxDigits: 1,
        terminator: null,
        firstDigitTimeoutMs: this.opts.menuTimeoutMs ?? 10_000,
        validDigits: MENU_DIGITS,
        typeAhead,
        signal: cut,
        log: this.log,
      });
      if (r.status === 'hangup' || r.status === 'error' || r.status === 'cancelled') return;
      if (r.status === 'timeout') {
        if (++silent > (this.opts.menuReplays ?? 2)) {
          await this.playAndWait(leg, [promptMedia('no_response', lang)], lang, undefined, cut);
          return;
        }
        this.fsm.to('awaiting-digit');
        media = [promptMedia('menu', lang)];
        continue;
      }
      this.press(r.digits);
      if (r.digits === '0' || r.digits === '*') {
        media = [...summaryMedia(), promptMedia('menu', lang)];
        continue;
      }
      if ((await this.act(leg, r.digits, lang, typeAhead)) !== 'menu') return;
      media = [promptMedia('menu', lang)];
    }
  }

  private async act(leg: CallLeg, digit: string, lang: 'en' | 'ru', typeAhead: TypeAhead): Promise<'menu' | void> {
    const actor = {
      name: this.call.user.name,
      email: this.call.user.email,
      // The phone that was answered, which tells OnCall's timeline how the person was reached.
      phone: this.answeredPhone ?? this.call.user.phone,
      oncallToken: (await this.deps.secrets(this.call.user.id)).oncallToken,
    };
    const ctx = {
      alertGroupIds: [...new Set(this.pages.map((p) => p.alertGroupId).filter((id): id is string => id !== null))],
      actor,
      channel: 'phone' as const,
    };
    const result: MenuResult | 'menu' | null = await runMenuAction({
      digit,
      leg,
      typeAhead,
      lang,
      ctx,
      actions: this.deps.actions,
      pages: this.pages,
      taking: this.deps.taking,
      alerts: this.deps.alerts,
      clock: this.deps.clock,
      tts: this.deps.tts,
      log: this.log,
      signal: this.signal,
      enter: (s) => this.fsm.to(s),
      onDigits: (d) => this.press(d),
    });
    if (!result || result === 'menu') return result ?? undefined;
    this.report.action = result.action;
    this.report.actionStatus = result.status;
    this.report.result = result.spoken[lang];
    this.emit({ phase: 'action', action: result.action, result: this.report.result });
    if ((result.action === 'acknowledge' || result.action === 'resolve') && result.status !== 'failed')
      this.report.settledAlertGroups = ctx.alertGroupIds;
    this.fsm.to('telling-result');
    const spoken = await this.deps.tts.render(result.spoken[lang], lang, this.signal).catch(() => null);
    await this.playAndWait(leg, spoken?.media ?? [promptMedia(resultPrompt(result), lang)], lang, 'reply');
  }

  private press(digits: string): void {
    for (const d of digits) this.emit({ phase: 'digit', digit: d });
    this.report.digits += digits;
    this.report.delivered = true;
  }

  private async playAndWait(
    leg: CallLeg,
    media: string[],
    lang: string,
    speech?: 'reply',
    cut?: AbortSignal,
    started?: () => void,
  ): Promise<void> {
    if (leg.ended() || cut?.aborted) return void started?.();
    const pb = await leg.play(media, { lang, speech }).catch(() => null);
    started?.();
    if (!pb) return;
    if (!cut) return void (await pb.finished);
    const stop = () => void pb.stop().catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'could not stop a prompt'));
    if (cut.aborted) stop();
    cut.addEventListener('abort', stop, { once: true });
    await pb.finished;
    cut.removeEventListener('abort', stop);
  }

  private endOf(leg: CallLeg): Promise<CallEnd> {
    const now = leg.ended();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const t = this.deps.clock.setTimeout(
        () => resolve({ outcome: 'answered', answered: true, cause: null, causeText: 'no end event', dialStatus: null }),
        10_000,
      );
      leg.on('ended', (end) => {
        t.cancel();
        resolve(end);
      });
    });
  }

  private fillCause(end: CallEnd): void {
    this.report.cause = causeText(end);
    if (end.lostConnection && this.report.outcome === 'answered' && !this.report.delivered) this.report.outcome = 'interrupted';
  }

  private emit(e: Omit<CallProgressEvent, 'at' | 'callId'>): void {
    if (e.phase === 'ringing' || e.phase === 'ended') this.dialled();
    this.deps.progress?.emit(
      this.call.pages.map((p) => p.notification.id),
      { ...e, at: this.deps.clock.now(), callId: this.call.callId },
    );
  }

  private stop(outcome: AttemptOutcome, cause: string): void {
    this.report.outcome = outcome;
    this.report.cause = cause;
    this.log.warn({ outcome, cause }, 'call not placed');
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

function causeText(end: CallEnd): string {
  return [
    end.cause !== null ? `${end.cause} ${end.causeText}` : end.causeText,
    end.dialStatus ? `dial ${end.dialStatus}` : null,
    end.lostConnection ? 'connection lost' : null,
  ]
    .filter(Boolean)
    .join('; ');
}

function mapOutcome(end: CallEnd): AttemptOutcome {
  if (end.lostConnection && !end.answered) return 'interrupted';
  return end.outcome;
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) ((done = true), fn());
  };
}
