/**
 * The shift watcher: every minute (just after the minute turns) it reads who is on call in
 * the watched OnCall schedules, compares with the last look saved in the database, and tells
 * people their shift started or ended, and optionally that it starts soon. A look that cannot
 * read OnCall changes nothing, so the next one catches up; a notice that could not be sent
 * leaves that person's state as it was, so it is tried again.
 */
import type { Clock, TimerHandle } from '../../core/clock';
import { AppError, errorMessage } from '../../core/errors';
import type { Logger } from '../../core/log';
import type { OnCallClient, OnCallSchedule } from '../../oncall';
import type { ShiftsSection } from './config';
import { NoticeSender, type DeliveryResult, type LookContext, type Notice, type ShiftDirectory, type ShiftPager } from './deliver';
import { ShiftLookup } from './lookup';
import { changes, dueReminders, floorMinute, lastEndBetween, stretchAt, type OnCallSets, type ShiftChange, type Stretch } from './model';
import type { OnCallMembers, ShiftNoticesRepo } from './repo';

/** Looks happen this long after each boundary, so OnCall has already flipped `on_call_now`. */
const AFTER_BOUNDARY_MS = 2000;

export interface ShiftWatcherOptions {
  client: OnCallClient;
  repo: ShiftNoticesRepo;
  directory: ShiftDirectory;
  pager: ShiftPager;
  clock: Clock;
  logger: Logger;
  config: Pick<ShiftsSection, 'schedules' | 'remind_before' | 'every' | 'on_call' | 'off_call' | 'default_timezone'>;
  /** Whole look, all OnCall calls included; default 30 s. */
  lookTimeoutMs?: number;
}

export interface LookReport {
  ok: boolean;
  schedules: number;
  sent: number;
  failed: number;
}

export class ShiftWatcher {
  readonly name = 'shifts';
  private timer: TimerHandle | null = null;
  private stopper = new AbortController();
  private current: Promise<LookReport> | null = null;
  private oncallOk: boolean | null = null;
  private readonly missingLogged = new Set<string>();
  private readonly log: Logger;
  private readonly sender: NoticeSender;

  constructor(private readonly o: ShiftWatcherOptions) {
    this.log = o.logger.child({ module: 'shifts' });
    this.sender = new NoticeSender({ ...o, logger: this.log, defaultZone: o.config.default_timezone });
  }

  /** First look at once, then one just after every `every` boundary. */
  start(): void {
    this.stopper = new AbortController();
    this.schedule(0);
    this.log.info(
      { schedules: this.o.config.schedules, remindBeforeS: this.o.config.remind_before, everyS: this.o.config.every },
      'shift watcher started',
    );
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    this.stopper.abort(new AppError('stopped', 'shift watcher stopping'));
    await this.idle();
  }

  /** Resolves when no look is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  /** One look now (or the one under way); never rejects. */
  lookNow(): Promise<LookReport> {
    if (!this.current) {
      this.current = this.look()
        .catch((e: unknown): LookReport => {
          this.log.error({ err: errorMessage(e) }, 'shift look failed');
          return { ok: false, schedules: 0, sent: 0, failed: 0 };
        })
        .finally(() => {
          this.current = null;
        });
    }
    return this.current;
  }

  private schedule(ms: number): void {
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      void this.lookNow().then(() => {
        if (!this.stopper.signal.aborted) this.schedule(this.untilNextLook());
      });
    }, ms);
  }

  private untilNextLook(): number {
    const every = this.o.config.every * 1000;
    const now = this.o.clock.now();
    const next = Math.floor((now - AFTER_BOUNDARY_MS) / every) * every + every + AFTER_BOUNDARY_MS;
    return next - now;
  }

  private async look(): Promise<LookReport> {
    const now = this.o.clock.now();
    const signal = AbortSignal.any([this.stopper.signal, AbortSignal.timeout(this.o.lookTimeoutMs ?? 30_000)]);
    // Our own loop is the retry: a failed look is repeated a minute later.
    const ctx: LookContext = { opts: { signal, retries: 0 }, users: new Map() };
    const schedules = await this.readSchedules(ctx);
    if (!schedules) return { ok: false, schedules: 0, sent: 0, failed: 0 };
    const previous = await this.o.repo.loadOnCall();
    const current = new Map(schedules.map((s) => [s.id, new Set(s.on_call_now)]));
    const prevSets: OnCallSets = new Map([...previous].map(([id, m]) => [id, new Set(m.keys())]));
    const diff = changes(prevSets, current, now);
    const lookup = new ShiftLookup(this.o.client, now, ctx.opts);
    const report: LookReport = { ok: true, schedules: schedules.length, sent: 0, failed: 0 };
    for (const s of schedules) {
      if (this.stopper.signal.aborted) break;
      const results = await this.handleSchedule(
        s,
        previous.get(s.id),
        diff.filter((c) => c.scheduleId === s.id),
        lookup,
        ctx,
        now,
      );
      report.sent += results.filter((r) => r === 'sent').length;
      report.failed += results.filter((r) => r === 'failed').length;
    }
    return report;
  }

  /** The watched schedules, or null when OnCall cannot be read (logged once per outage). */
  private async readSchedules(ctx: LookContext): Promise<OnCallSchedule[] | null> {
    let all: OnCallSchedule[];
    try {
      all = await this.o.client.listSchedules({}, ctx.opts);
    } catch (e) {
      if (this.oncallOk !== false)
        this.log.warn({ err: errorMessage(e) }, 'cannot read OnCall schedules; no shift notices until it answers');
      this.oncallOk = false;
      return null;
    }
    if (this.oncallOk === false) this.log.info('OnCall schedules readable again');
    this.oncallOk = true;
    const wanted = this.o.config.schedules;
    if (wanted === 'all') return all;
    for (const w of wanted) {
      const found = all.some((s) => s.id === w || s.name === w);
      if (!found && !this.missingLogged.has(w)) this.log.warn({ schedule: w }, 'configured schedule not found in OnCall');
      if (found) this.missingLogged.delete(w);
      else this.missingLogged.add(w);
    }
    return all.filter((s) => wanted.includes(s.id) || wanted.includes(s.name));
  }

  private async handleSchedule(
    s: OnCallSchedule,
    prev: OnCallMembers | undefined,
    diff: ShiftChange[],
    lookup: ShiftLookup,
    ctx: LookContext,
    now: number,
  ): Promise<DeliveryResult[]> {
    const cfg = this.o.config;
    const members: OnCallMembers = new Map();
    const results: DeliveryResult[] = [];
    const around = diff.length || !prev ? await this.aroundOrEmpty(s, lookup) : [];
    for (const pk of s.on_call_now) {
      const known = prev?.get(pk);
      const stretch = stretchAt(around, pk, now);
      const since = known ?? (stretch && !stretch.startClipped ? stretch.start : floorMinute(now));
      members.set(pk, since);
      if (known !== undefined || !prev) continue; // not news, or a baseline look
      if (!cfg.on_call) continue;
      const r = await this.sender.deliver(
        {
          key: { scheduleId: s.id, userPk: pk, kind: 'on', shiftStart: since },
          scheduleName: s.name,
          email: stretch?.email ?? null,
          start: since,
          end: stretch && !stretch.endClipped ? stretch.end : null,
          now,
        },
        ctx,
      );
      results.push(r);
      if (r === 'failed') members.delete(pk);
    }
    for (const c of diff.filter((d) => d.kind === 'off')) {
      const since = prev!.get(c.userPk)!;
      if (!cfg.off_call) continue;
      const end = lastEndBetween(around, c.userPk, since, now) ?? floorMinute(now);
      const r = await this.sender.deliver(
        {
          key: { scheduleId: s.id, userPk: c.userPk, kind: 'off', shiftStart: since },
          scheduleName: s.name,
          email: null,
          start: since,
          end,
          now,
        },
        ctx,
      );
      results.push(r);
      if (r === 'failed') members.set(c.userPk, since);
    }
    results.push(...(await this.remind(s, lookup, ctx, now)));
    if (!prev) this.log.info({ schedule: s.name, onCall: members.size }, 'schedule watched from now on');
    await this.o.repo.saveOnCall(s.id, s.name, members, now);
    return results;
  }

  private async remind(s: OnCallSchedule, lookup: ShiftLookup, ctx: LookContext, now: number): Promise<DeliveryResult[]> {
    const lead = this.o.config.remind_before * 1000;
    if (lead <= 0) return [];
    let due: Stretch[];
    try {
      due = dueReminders(await lookup.soon(s.id, lead), now, lead, new Set(s.on_call_now));
    } catch (e) {
      this.log.warn({ schedule: s.name, err: errorMessage(e) }, 'cannot read final shifts; reminders wait for the next look');
      return [];
    }
    const results: DeliveryResult[] = [];
    for (const st of due) {
      // The short window clips the end; the long one knows it (and only matters for the text).
      const full = st.endClipped ? stretchAt(await this.aroundOrEmpty(s, lookup), st.userPk, st.start) : st;
      const end = full && !full.endClipped ? full.end : null;
      results.push(
        await this.sender.deliver(
          {
            key: { scheduleId: s.id, userPk: st.userPk, kind: 'reminder', shiftStart: st.start },
            scheduleName: s.name,
            email: st.email,
            start: st.start,
            end,
            now,
          },
          ctx,
        ),
      );
    }
    return results;
  }

  /** Shift details make the text better but are not worth withholding a notice for. */
  private async aroundOrEmpty(s: OnCallSchedule, lookup: ShiftLookup): Promise<Stretch[]> {
    try {
      return await lookup.around(s.id);
    } catch (e) {
      this.log.warn({ schedule: s.name, err: errorMessage(e) }, 'cannot read final shifts; notices go out without shift times');
      return [];
    }
  }
}
