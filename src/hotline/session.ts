/**
 * One hotline call (docs/hotline.md) as an explicit state machine: answer, identify (caller ID, then a
 * PIN when the config or the action needs one; three wrong PINs end the call, and wrong PINs are
 * also counted across calls by the PinGuard; an unknown caller names themselves before the PIN), say how many
 * incidents are open and read them newest first — 1 next, 2 previous, 0 repeat, 5 acknowledge,
 * 9 connect to on-call, 7 choose a team and connect to its on-call (when there are teams), # goodbye. Every wait goes through the prompt helper and the Clock.
 */
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { maskEmail } from '../core/mask';
import type { User } from '../directory/user';
import type { OnCallActions } from '../oncall/actions';
import type { CallLeg } from '../telephony/types';
import type { Tts } from '../tts/types';
import { countMedia, promptMedia } from '../tts/prompts';
import { prompt } from '../ivr/prompt';
import { TypeAhead } from '../ivr/type-ahead';
import type { Connector } from './connect';
import { playAndWait } from './connect';
import type { CallerDirectory } from './identify';
import type { HotlineIncident, IncidentList, IncidentSource } from './incidents';
import type { OnCallFinder } from './oncall-now';
import type { PinCaller, PinGuard } from './pin-guard';
import { HotlineStateMachine } from './states';
import { incidentText, text, type Lang, type TextId } from './texts';
import type { Voicemail } from './voicemail';
import type { Candidate } from './oncall-now';
import { TEAM_DIGIT, teamHintText, teamMenuText, type TeamDirectory } from './teams';

export interface SessionDeps {
  tts: Tts;
  clock: Clock;
  directory: CallerDirectory;
  incidents: IncidentSource;
  actions: Pick<OnCallActions, 'acknowledge'> | null;
  finder: OnCallFinder;
  connector: Connector;
  voicemail: Voicemail;
  pins: PinGuard;
  /** Teams with rotations: digit 7 picks one and rings its on-call. Null: the digit does nothing. */
  teams: TeamDirectory | null;
}

export interface SessionOptions {
  public: boolean;
  requirePin: boolean;
  lang: Lang;
  menuTimeoutMs: number;
  menuReplays: number;
  pinTimeoutMs: number;
  maxPinAttempts: number;
}

export type SessionOutcome = 'goodbye' | 'hangup' | 'wrong-pin' | 'pin-locked' | 'no-response' | 'bridged' | 'voicemail' | 'error';

export interface SessionReport {
  outcome: SessionOutcome;
  states: string[];
  digits: string;
  userEmail: string | null;
  verified: boolean;
  acknowledged: string[];
  /** Resolves when the OnCall alert for a voicemail is delivered or given up. */
  alert: Promise<boolean> | null;
}

type PinResult = 'ok' | 'hangup' | 'locked';
const MENU_DIGITS = '12059#';

export class HotlineSession {
  private readonly fsm: HotlineStateMachine;
  private user: User | null = null;
  private verified = false;
  private pinFailures = 0;
  private lang: Lang;
  private readonly speech = new Map<string, string[]>();
  /** Read once per call, so the digits the caller heard keep meaning the same teams. */
  private teamList: { id: string; name: string }[] | null = null;
  private readonly report: SessionReport = {
    outcome: 'hangup',
    states: [],
    digits: '',
    userEmail: null,
    verified: false,
    acknowledged: [],
    alert: null,
  };
  /** Digits pressed ahead (1 1 to skip two incidents, a PIN typed before its prompt). */
  private readonly typeAhead: TypeAhead;

  constructor(
    private readonly d: SessionDeps,
    private readonly o: SessionOptions,
    private readonly leg: CallLeg,
    private readonly log: Logger,
    private readonly signal: AbortSignal,
  ) {
    this.lang = o.lang;
    this.fsm = new HotlineStateMachine((from, to) => log.info({ from, to }, 'hotline state'));
    this.typeAhead = new TypeAhead(leg, d.clock);
  }

  async run(): Promise<SessionReport> {
    try {
      await this.main();
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'hotline call failed');
      this.report.outcome = 'error';
    } finally {
      this.typeAhead.dispose();
      await this.leg.hangup('normal').catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'final hangup failed'));
      if (this.fsm.state !== 'done') this.fsm.to('done');
      Object.assign(this.report, { states: [...this.fsm.history], userEmail: this.user?.email ?? null, verified: this.verified });
    }
    return this.report;
  }

  private async main(): Promise<void> {
    this.fsm.to('answering');
    await this.leg.answer();
    this.fsm.to('identifying');
    this.user = await this.d.directory.byNumber(this.leg.callerNumber);
    if (this.user) this.lang = this.user.lang;
    this.log.info({ known: !!this.user, user: maskEmail(this.user?.email) }, 'caller identified by number');
    const welcome = [promptMedia('hotline_welcome', this.lang)];
    const needPin = this.user ? this.o.requirePin : !this.o.public;
    if (needPin) {
      this.fsm.to('pin');
      if ((await this.askPin(welcome)) !== 'ok') return;
    }
    this.fsm.to('loading');
    const list = await this.d.incidents.list();
    this.log.info({ source: list.source, count: list.incidents.length }, 'incidents loaded');
    await this.menu(list, needPin ? [] : welcome);
  }

  private async menu(list: IncidentList, welcome: string[]): Promise<void> {
    const n = list.incidents.length;
    let i = 0;
    let lead = [...welcome, ...(await this.header(list))];
    let readCurrent = true;
    let silent = 0;
    for (;;) {
      this.fsm.to('reading');
      const hint = await this.teamHint();
      const media = [
        ...lead,
        ...(readCurrent && n ? await this.incidentMedia(list, i) : []),
        promptMedia('hotline_menu', this.lang),
        ...hint,
      ];
      [lead, readCurrent] = [[], true];
      const r = await prompt(this.leg, this.d.clock, {
        media,
        lang: this.lang,
        maxDigits: 1,
        terminator: null,
        firstDigitTimeoutMs: this.o.menuTimeoutMs,
        validDigits: hint.length ? MENU_DIGITS + TEAM_DIGIT : MENU_DIGITS,
        typeAhead: this.typeAhead,
        log: this.log,
      });
      if (r.status === 'hangup' || r.status === 'error') return void (this.report.outcome = 'hangup');
      if (r.status === 'timeout') {
        if (++silent > this.o.menuReplays) return this.goodbye('no-response', [promptMedia('no_response', this.lang)]);
        readCurrent = false;
        continue;
      }
      silent = 0;
      this.report.digits += r.digits;
      const d = r.digits;
      if (d === '#') return this.goodbye('goodbye', [promptMedia('goodbye', this.lang)]);
      if (d === '9') return this.connect(list.incidents[i] ?? null);
      if (d === TEAM_DIGIT) {
        const team = await this.chooseTeam();
        if (team === 'hangup') return void (this.report.outcome = 'hangup');
        if (team) return this.connect(list.incidents[i] ?? null, await this.d.teams!.onCall(team.id));
        readCurrent = false;
        continue;
      }
      if (d === '1' && i + 1 < n) i++;
      else if (d === '2' && i > 0) i--;
      else if (d === '1' || d === '2') [lead, readCurrent] = [await this.say(d === '1' ? 'lastOne' : 'firstOne'), false];
      else if (d === '5') {
        const said = await this.acknowledge(list.incidents[i] ?? null);
        if (said === null) return;
        [lead, readCurrent] = [said, false];
      }
    }
  }

  /** The spoken offer of digit 7, only when there is a team to choose. */
  private async teamHint(): Promise<string[]> {
    if (!this.d.teams) return [];
    this.teamList ??= (await this.d.teams.teams()).slice(0, 9);
    return this.teamList.length ? this.render(teamHintText(this.lang), []) : [];
  }

  /** The teams by number; null to go back to the menu (star, silence, or no speech to list them). */
  private async chooseTeam(): Promise<{ id: string; name: string } | null | 'hangup'> {
    const teams = this.teamList ?? [];
    const media = await this.render(
      teamMenuText(
        teams.map((x) => x.name),
        this.lang,
      ),
      [],
    );
    if (!media.length) return null;
    const r = await prompt(this.leg, this.d.clock, {
      media,
      lang: this.lang,
      maxDigits: 1,
      terminator: null,
      firstDigitTimeoutMs: this.o.menuTimeoutMs,
      validDigits: '123456789'.slice(0, teams.length) + '*',
      typeAhead: this.typeAhead,
      log: this.log,
    });
    if (r.status === 'hangup' || r.status === 'error') return 'hangup';
    if (r.status !== 'digits' || r.digits === '*') return null;
    this.report.digits += r.digits;
    const team = teams[Number(r.digits) - 1];
    this.log.info({ team: team.name }, 'hotline team chosen');
    return team;
  }

  /** "There are 3 open incidents", after the OnCall-is-down notice when reading local pages. */
  private async header(list: IncidentList): Promise<string[]> {
    const notice = list.source === 'local' ? await this.say('oncallDown') : [];
    return [...notice, promptMedia('there_are', this.lang), ...countMedia(list.incidents.length, 'open_incident', this.lang)];
  }

  private async incidentMedia(list: IncidentList, i: number): Promise<string[]> {
    const inc = list.incidents[i];
    return this.render(incidentText(i, list.incidents.length, inc.spoken[this.lang], this.lang), [promptMedia('incident', this.lang)]);
  }

  private say(id: TextId): Promise<string[]> {
    return this.render(text(id, this.lang), []);
  }

  /** Speech for a text, rendered once per call; `fallback` when every engine failed. */
  private async render(t: string, fallback: string[]): Promise<string[]> {
    const key = `${this.lang}:${t}`;
    const known = this.speech.get(key);
    if (known) return known;
    try {
      const media = (await this.d.tts.render(t, this.lang, this.signal)).media;
      this.speech.set(key, media);
      return media;
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'speech failed: using fixed prompts');
      return fallback;
    }
  }

  /**
   * PIN entry with up to maxPinAttempts wrong tries over the whole call (silence counts as one).
   * Every PIN typed wrong also counts across calls; past the PinGuard's limits PIN entry is refused.
   */
  private async askPin(lead: string[]): Promise<PinResult> {
    const caller: PinCaller = { number: this.leg.callerNumber, known: this.user !== null };
    let media = lead;
    while (this.pinFailures < this.o.maxPinAttempts) {
      const gate = await this.d.pins.check(caller);
      if (!gate.ok) return this.pinLocked(media, gate.reason);
      const entry = await this.enterPin(media);
      if (entry === 'hangup') return 'hangup';
      const who = entry === null ? null : await this.checkPin(entry);
      if (who) {
        [this.user, this.verified, this.lang] = [who, true, who.lang];
        this.log.info({ user: maskEmail(who.email) }, 'PIN accepted');
        return 'ok';
      }
      this.pinFailures++;
      if (entry !== null) await this.d.pins.failed(caller);
      this.log.warn({ failures: this.pinFailures }, 'wrong PIN');
      media = [promptMedia('wrong_pin', this.lang)];
    }
    this.goodbyeState();
    this.report.outcome = 'wrong-pin';
    await playAndWait(this.leg, [promptMedia('wrong_pin', this.lang), promptMedia('goodbye', this.lang)], this.lang);
    return 'locked';
  }

  /**
   * What the caller typed: a known caller their PIN; an unknown caller first who they are (their
   * extension or the last digits of their phone), then the PIN, or both at once as `<who>*<PIN>#`.
   * Null for silence or an entry that cannot be a PIN.
   */
  private async enterPin(lead: string[]): Promise<{ who: string | null; pin: string } | null | 'hangup'> {
    const ask = (media: string[], maxDigits: number, validDigits: string) =>
      prompt(this.leg, this.d.clock, {
        media,
        lang: this.lang,
        maxDigits,
        terminator: '#',
        firstDigitTimeoutMs: this.o.pinTimeoutMs,
        interDigitTimeoutMs: 5000,
        validDigits,
        typeAhead: this.typeAhead,
        log: this.log,
      });
    let who: string | null = null;
    let media = lead;
    if (!this.user) {
      const r = await ask([...media, ...(await this.say('identify'))], 24, '0123456789*#');
      if (r.status === 'hangup' || r.status === 'error') return 'hangup';
      if (r.status !== 'digits') return null;
      const star = r.digits.indexOf('*');
      if (star >= 0) return { who: r.digits.slice(0, star), pin: r.digits.slice(star + 1).replace(/\*/g, '') };
      [who, media] = [r.digits, []];
    }
    const r = await ask([...media, promptMedia('enter_pin', this.lang)], 8, '0123456789#');
    if (r.status === 'hangup' || r.status === 'error') return 'hangup';
    return r.status === 'digits' ? { who, pin: r.digits } : null;
  }

  private async checkPin(entry: { who: string | null; pin: string }): Promise<User | null> {
    if (this.user) return (await this.d.directory.checkPin(this.user, entry.pin)) ? this.user : null;
    return entry.who === null ? null : this.d.directory.identify(entry.who, entry.pin);
  }

  /** Too many wrong PINs from this number (or, for unknown callers, from everyone): say so and end the call. */
  private async pinLocked(lead: string[], reason: 'number' | 'everyone'): Promise<PinResult> {
    this.log.warn({ reason }, 'PIN entry refused: too many wrong PINs');
    this.goodbyeState();
    this.report.outcome = 'pin-locked';
    await playAndWait(this.leg, [...lead, ...(await this.say('pinLocked')), promptMedia('goodbye', this.lang)], this.lang);
    return 'locked';
  }

  /** Digit 5. Returns what to say next, or null when the call is over (hangup, PIN lockout). */
  private async acknowledge(inc: HotlineIncident | null): Promise<string[] | null> {
    if (!inc) return this.say('nothingToAck');
    if (!inc.alertGroupId) return this.say('cannotAck');
    if (!this.d.actions) return this.say('noActions');
    if (!this.verified) {
      this.fsm.to('pin');
      if ((await this.askPin([])) !== 'ok') return null;
    }
    this.fsm.to('acting');
    const user = this.user!;
    const actor = {
      name: user.name,
      email: user.email,
      phone: this.leg.callerNumber ?? user.phone,
      oncallToken: await this.d.directory.oncallToken(user),
    };
    const onSlow = () =>
      void this.leg
        .play([promptMedia('one_moment', this.lang)], { lang: this.lang })
        .catch((err: unknown) => this.log.debug({ err: errorMessage(err) }, 'one-moment cue failed'));
    const result = await this.d.actions.acknowledge(
      { alertGroupIds: [inc.alertGroupId], actor, channel: 'hotline' },
      { onSlow, signal: this.signal },
    );
    this.log.info({ alertGroupId: inc.alertGroupId, status: result.status }, 'hotline acknowledge');
    if (result.status !== 'failed') {
      this.report.acknowledged.push(inc.alertGroupId);
      this.d.incidents.invalidate();
    }
    return this.render(result.spoken[this.lang], [promptMedia(result.status === 'failed' ? 'failed' : 'acknowledged', this.lang)]);
  }

  /** Digit 9 (or a chosen team): hunt through the on-call engineers; nobody answering leads to voicemail. */
  private async connect(inc: HotlineIncident | null, chosen?: Candidate[]): Promise<void> {
    this.fsm.to('connecting');
    const candidates = chosen ?? (await this.d.finder.find(this.signal));
    // Known by caller ID alone (no PIN): the engineer is told the name is not verified.
    const from = { name: this.user?.name ?? null, number: this.leg.callerNumber, verified: this.verified };
    let lead: string[] = [];
    if (candidates.length === 0) lead = await this.say('nobodyOnCall');
    const outcome = candidates.length
      ? await this.d.connector.connect({
          caller: this.leg,
          candidates,
          lang: this.lang,
          from,
          about: inc?.title ?? null,
          onBridged: () => this.fsm.to('bridged'),
          log: this.log,
        })
      : 'nobody';
    if (outcome === 'bridged') return void (this.report.outcome = 'bridged');
    if (outcome === 'hangup') return void (this.report.outcome = 'hangup');
    this.fsm.to('voicemail');
    await playAndWait(this.leg, lead, this.lang);
    const vm = await this.d.voicemail.record({
      leg: this.leg,
      lang: this.lang,
      caller: { ...from, userId: this.user?.id ?? null },
      incident: inc,
      log: this.log,
    });
    this.report.alert = vm.alert;
    this.report.outcome = 'voicemail';
    if (!this.leg.ended()) {
      this.goodbyeState();
      // Never claim a message was passed on when none was stored.
      await playAndWait(
        this.leg,
        [...(await this.say(vm.message ? 'messageTaken' : 'callNoted')), promptMedia('goodbye', this.lang)],
        this.lang,
      );
    }
  }

  private async goodbye(outcome: SessionOutcome, media: string[]): Promise<void> {
    this.report.outcome = outcome;
    this.goodbyeState();
    await playAndWait(this.leg, media, this.lang);
  }

  private goodbyeState(): void {
    if (this.fsm.state !== 'goodbye') this.fsm.to('goodbye');
  }
}
